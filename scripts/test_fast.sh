#!/usr/bin/env bash
# The quick loop while changing the engine: lint, then every test that starts no server and needs
# no trained model (tests marked `servers` are left to `make test`).
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh --tests

bash scripts/static_checks.sh

say "pytest: the engine and unit tests (no servers)"
python -m pytest -q -m "not servers" tests
