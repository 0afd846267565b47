# Shared settings for the project's scripts: sourced, not run.
# Every value can be overridden from the environment.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
export PATH="$VENV/bin:$PATH"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export RASA_TELEMETRY_ENABLED=false
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export TF_CPP_MIN_LOG_LEVEL=3
export CARE_CLOCK_HOST="${CARE_CLOCK_HOST:-127.0.0.1}"
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_PORT="${ACTION_PORT:-5055}"
export WEB_PORT="${WEB_PORT:-8080}"
export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://127.0.0.1:$ACTION_PORT/webhook}"
# Conversations, logs and the process manager's socket (created private).
export CARE_CLOCK_VAR="${CARE_CLOCK_VAR:-$ROOT/var}"
export TRACKER_DB="${TRACKER_DB:-$CARE_CLOCK_VAR/tracker.db}"
# Rasa expands ${SLACK_API_URL} in the credentials whenever Slack is on.
export SLACK_API_URL="${SLACK_API_URL:-https://slack.com/api/}"
export ROOT
export MODEL="${CARE_CLOCK_MODEL:-$ROOT/models/care-clock.tar.gz}"
RASA_ARGS=(--domain bot/domain)

# A free TCP port on loopback (tests use these, so runs side by side never collide).
free_port() {
  python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Every Rasa command goes through the one entry, bot/server.py (Rasa's CLI
# with the bot's fixes); a plain `rasa` here would be the venv's program.
rasa() { python -m bot.server "$@"; }

# Start the action server on 127.0.0.1:$1 in the background, logging to $2, in
# its own session (a Ctrl-C reaches only the calling script, whose trap stops
# it), and wait until it answers. Sets ACTION_PID.
start_action_server() {
  SANIC_HOST=127.0.0.1 setsid python -m rasa_sdk --actions actions --port "$1" --quiet > "$2" 2>&1 &
  ACTION_PID=$!
  wait_for "http://127.0.0.1:$1/health" 120 || { tail -20 "$2" >&2; return 1; }
  kill -0 "$ACTION_PID" 2>/dev/null || { echo "error: the action server did not start:" >&2; tail -20 "$2" >&2; return 1; }
}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Wait until a URL answers, or give up after $2 seconds (default 120).
wait_for() {
  local url="$1" limit="${2:-120}" waited=0
  until curl -sf -o /dev/null "$url"; do
    sleep 1
    waited=$((waited + 1))
    if [ "$waited" -ge "$limit" ]; then
      echo "error: $url did not answer within ${limit}s" >&2
      return 1
    fi
  done
}
