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

# --- Running servers under supervisord (make run, make run-cluster) ---------

# Re-run the calling script under pdeathsig: if whatever started it dies (even
# by SIGKILL), the kernel sends it SIGTERM, whose trap stops the servers.
# Call before anything else: exec_with_parent_death "$@".
exec_with_parent_death() {
  if [ -z "${CARE_CLOCK_RUNNER:-}" ]; then
    export CARE_CLOCK_RUNNER=$$
    exec setpriv --pdeathsig TERM bash "$ROOT/scripts/$(basename "$0")" "$@"
  fi
}

# The address patients' browsers use for the Rasa server (RASA_PORT: the Rasa
# server, or the proxy in front of several), and the page's origins.
set_page_addresses() {
  local page_host="$CARE_CLOCK_HOST"
  case "$page_host" in 0.0.0.0 | 127.0.0.1) page_host=localhost ;; esac
  export RASA_URL="${CARE_CLOCK_PUBLIC_RASA_URL:-http://$page_host:$RASA_PORT}"
  export WEB_ORIGINS="http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT http://$page_host:$WEB_PORT"
}

# Refuse to start when one of the given loopback ports is taken.
require_free_ports() {
  local port
  for port in "$@"; do
    if ! python -c 'import socket, sys; socket.create_server(("127.0.0.1", int(sys.argv[1]))).close()' "$port" 2>/dev/null; then
      echo "error: port $port is already in use (another 'make run'?); stop it or choose other ports, e.g. RASA_PORT=5105 ACTION_PORT=5155 WEB_PORT=8180 make run" >&2
      exit 1
    fi
  done
}

# Start supervisord with config $1 in its own process group (a terminal's Ctrl-C
# or hang-up reaches only the calling script, which stops it in order:
# supervisord would take SIGHUP as "reload"); Ctrl-C, SIGTERM, SIGHUP and exit
# stop it. If the calling script dies unannounced, pdeathsig stops supervisord.
start_supervisor() {
  supervisor_pid=""
  trap 'stop_supervisor; exit 130' INT
  trap 'stop_supervisor; exit 143' TERM
  trap 'stop_supervisor; exit 129' HUP
  trap stop_supervisor EXIT
  supervisor_log="$CARE_CLOCK_VAR/log/supervisord.log"
  supervisor_log_start=$(( $(stat -c %s "$supervisor_log" 2>/dev/null || echo 0) + 1 ))
  supervisor_conf="$1"
  setsid setpriv --pdeathsig TERM supervisord -c "$1" &
  supervisor_pid=$!
}

stop_supervisor() {
  trap - INT TERM HUP EXIT
  if [ -n "${supervisor_pid:-}" ] && kill -0 "$supervisor_pid" 2>/dev/null; then
    say "Stopping"
    kill -TERM "$supervisor_pid" 2>/dev/null || true
    wait "$supervisor_pid" 2>/dev/null || true
  fi
}

# The first program that gave up starting (FATAL), read from supervisord's log
# written since supervisor_log_start. With "starting": any unexpected exit counts
# too (a server that dies while starting is reported at once, not after
# supervisord's retries).
failed_program() {
  local lines program
  lines="$(tail -c +"$supervisor_log_start" "$supervisor_log" 2>/dev/null)"
  program="$(sed -n 's/.*gave up: \([a-z_0-9]*\) entered FATAL.*/\1/p' <<<"$lines" | head -n 1)"
  if [ -z "$program" ] && [ "${1:-}" = starting ]; then
    program="$(sed -n 's/.*exited: \([a-z_0-9]*\) .*not expected.*/\1/p' <<<"$lines" | head -n 1)"
  fi
  echo "$program"
}

# A program that gave up starting or a supervisord that died: say which, and
# show its log.
supervisor_failed() {
  if ! kill -0 "$supervisor_pid" 2>/dev/null; then
    echo "error: supervisord stopped; see $supervisor_log" >&2
    return 0
  fi
  local program
  program="$(failed_program "${1:-}")"
  [ -n "$program" ] || return 1
  echo "error: the $program server could not start; its last log lines ($CARE_CLOCK_VAR/log/$program.log):" >&2
  tail -n 20 "$CARE_CLOCK_VAR/log/$program.log" >&2
}

# Wait until every loopback address given ("port/path") answers, or report the
# first program that cannot start; give up after 240 s.
wait_for_servers() {
  local waited=0 address
  while true; do
    for address in "$@"; do
      curl -sf -o /dev/null "http://127.0.0.1:$address" || break
      address=""
    done
    [ -n "$address" ] || return 0
    if supervisor_failed starting; then exit 1; fi
    if [ "$waited" -ge 240 ]; then
      echo "error: the servers did not answer within 240 s; see $CARE_CLOCK_VAR/log/" >&2
      exit 1
    fi
    sleep 1 & wait $!
    waited=$((waited + 1))
  done
}

# Once running, the site never goes dark: supervisord restarts a crashed server
# (a few quick retries, each a second longer apart), and a server it gave up on
# (FATAL, e.g. four crashes within seconds of starting) is started again here,
# after a pause that doubles from RESTART_FIRST_DELAY to RESTART_MAX_DELAY
# seconds, for as long as it takes. The other servers stay up meanwhile: while
# Rasa is down the web page shows its "not available, call DMHC / 988" notice.
# Stops only when supervisord itself is gone.
watch_supervisor() {
  local first="${RESTART_FIRST_DELAY:-5}" max="${RESTART_MAX_DELAY:-60}" delay program last_gave_up=$SECONDS
  delay="$first"
  while kill -0 "$supervisor_pid" 2>/dev/null; do
    program="$(failed_program)"
    if [ -n "$program" ]; then
      ((SECONDS - last_gave_up < 10 * max)) || delay="$first"  # a long calm since the last time: start over
      last_gave_up=$SECONDS
      say "The $program server keeps stopping; starting it again in ${delay} s (its log: $CARE_CLOCK_VAR/log/$program.log)"
      sleep "$delay" & wait $!
      supervisor_log_start=$(($(stat -c %s "$supervisor_log" 2>/dev/null || echo 0) + 1))
      supervisorctl -c "$supervisor_conf" start "$program" >/dev/null 2>&1 & wait $! || true
      delay=$((delay * 2 > max ? max : delay * 2))
    fi
    sleep 2 & wait $!
  done
  echo "error: supervisord stopped; see $supervisor_log" >&2
  exit 1
}
