#!/usr/bin/env bash
# Train the model only when config, domain or training data changed.
source "$(dirname "$0")/common.sh"
bash scripts/setup.sh

fingerprint="$(find config.yml bot/domain data -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
stamp="$ROOT/models/.fingerprint"
if [ -f "$MODEL" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ]; then
  say "Model is up to date (no change in config, domain or data)"
  exit 0
fi
say "Training the model"
mkdir -p models
rasa train --config config.yml "${RASA_ARGS[@]}" --data data --out models --fixed-model-name care-clock
echo "$fingerprint" > "$stamp"
