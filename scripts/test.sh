#!/usr/bin/env bash
# Every test: data validation, conversation tests, NLU cross-validation, pytest.
# Any failure stops the run with a non-zero exit.
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh --tests

say "Lint and format (ruff, pyproject.toml)"
ruff check .
ruff format --check .

say "Type check (mypy, care_clock/)"
mypy

say "Validating training data and domain"
rasa data validate --config config.yml "${RASA_ARGS[@]}" --data data --fail-on-warnings

bash scripts/train.sh

say "Conversation tests (tests/stories) against a real action server"
bash scripts/test_stories.sh tests/stories

say "NLU cross-validation (${NLU_FOLDS:-5} folds)"
# Intent macro F1 must reach 0.95 overall (issue 4) and in each language
# (issue 17: English files vs data/nlu/es/). The folds are drawn with a fixed
# seed, so the gates give the same answer every run. About 3 minutes on 2
# cores with the English and Spanish examples.
rm -rf results/nlu-cv
CARE_CLOCK_CV_SEED="${NLU_CV_SEED:-0}" rasa test nlu --config config.yml "${RASA_ARGS[@]}" --nlu data/nlu --cross-validation --folds "${NLU_FOLDS:-5}" \
  --out results/nlu-cv --successes --no-plot --quiet
python scripts/check_nlu_report.py results/nlu-cv/intent_report.json --min-macro-f1 "${NLU_MIN_MACRO_F1:-0.95}"
python scripts/nlu_report_by_language.py results/nlu-cv --min-macro-f1 "${NLU_MIN_MACRO_F1:-0.95}"

bash scripts/ensure_test_packages.sh

say "pytest"
# The slowest tests are listed at the end, to see where the time goes.
python -m pytest -q --durations=15 tests
