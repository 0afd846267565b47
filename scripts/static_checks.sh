#!/usr/bin/env bash
# What `make test` and `make test-fast` both check first: lint, format and the engine's types.
source "$(dirname "$0")/common.sh"

say "Lint and format (ruff, pyproject.toml)"
ruff check .
ruff format --check .

say "Type check (mypy, care_clock/)"
mypy
