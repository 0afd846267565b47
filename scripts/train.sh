#!/usr/bin/env bash
# Train the model only when something that shapes it changed: config, domain,
# training data, the custom NLU components (bot/nlu) or the installed packages.
# With --check: exit 0 if the model is up to date, 1 if it would be retrained.
source "$(dirname "$0")/common.sh"
[ "${1:-}" = "--check" ] || bash scripts/setup.sh

fingerprint="$(find config.yml bot/domain bot/nlu data requirements.lock -type f -not -name "*.pyc" -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d" " -f1)"
stamp="$ROOT/models/.fingerprint"
up_to_date() { [ -f "$MODEL" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ]; }
if [ "${1:-}" = "--check" ]; then
  up_to_date
  exit
fi
if up_to_date; then
  say "Model is up to date (no change in config, domain, data, NLU components or packages)"
  exit 0
fi
say "Training the model"
mkdir -p models
rasa train --config config.yml "${RASA_ARGS[@]}" --data data --out models --fixed-model-name care-clock
echo "$fingerprint" > "$stamp"
