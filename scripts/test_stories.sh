#!/usr/bin/env bash
# Run conversation tests (a file or folder of test stories) with a real action
# server, as if today were CARE_CLOCK_TODAY, and fail on any wrong prediction.
source "$(dirname "$0")/common.sh"
target="${1:-tests/stories}"
[ -e "$target" ] || { echo "error: no such test stories file or folder: $target" >&2; exit 2; }
bash scripts/train.sh

export CARE_CLOCK_TODAY="${CARE_CLOCK_TODAY:-2024-11-22}"
export ACTION_PORT="${TEST_ACTION_PORT:-$(free_port)}"
export ACTION_SERVER_URL="http://127.0.0.1:$ACTION_PORT/webhook"
export TRACKER_DB="$(mktemp -d)/tracker.db"
mkdir -p var/log results
trap 'kill ${ACTION_PID:-} 2>/dev/null || true; wait ${ACTION_PID:-} 2>/dev/null || true' EXIT
start_action_server "$ACTION_PORT" var/log/actions-test.log

out="results/stories"
rm -rf "$out"
if ! rasa test core --model "$MODEL" --stories "$target" --endpoints bot/endpoints.yml \
    --out "$out" --fail-on-prediction-errors --successes --no-plot --quiet; then
  echo "Conversation tests failed; the stories as the bot played them:" >&2
  cat "$out/failed_test_stories.yml" >&2 2>/dev/null || true
  exit 1
fi
python scripts/story_report.py "$out"
