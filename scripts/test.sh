#!/usr/bin/env bash
# Every test: data validation, conversation tests, NLU cross-validation, pytest.
# Any failure stops the run with a non-zero exit.
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh

say "Validating training data and domain"
rasa data validate --config config.yml "${RASA_ARGS[@]}" --data data --fail-on-warnings

bash scripts/train.sh

say "Conversation tests (tests/stories) against a real action server"
bash scripts/test_stories.sh tests/stories

say "NLU cross-validation"
# The gate sits just under the measured macro F1 (0.905 with 5 folds), so a
# regression fails the run; the product target is 0.95 (see issue 4).
rm -rf results/nlu-cv
rasa test nlu --config config.yml "${RASA_ARGS[@]}" --nlu data/nlu --cross-validation --folds "${NLU_FOLDS:-5}" \
  --out results/nlu-cv --no-plot --quiet
python scripts/check_nlu_report.py results/nlu-cv/intent_report.json --min-macro-f1 "${NLU_MIN_MACRO_F1:-0.89}"

bash scripts/ensure_test_packages.sh

say "pytest"
python -m pytest -q tests
