#!/usr/bin/env bash
# Run Care Clock: action server, Rasa server (REST, socket.io, Slack when set up)
# and the web chat page, supervised by supervisord (bot/supervisord.conf).
#
# - Ctrl-C, SIGTERM, SIGHUP, or the death of whatever started this script
#   (even by SIGKILL) stops every server: nothing is left holding a port.
# - A server that crashes is restarted (supervisord prints a line); while the
#   action server is down, patients get the outage answer, not silence.
# - A server that cannot start stops the run at once, with its last log lines.

# If our parent dies, the kernel sends us SIGTERM, whose trap stops the servers.
if [ -z "${CARE_CLOCK_RUNNER:-}" ]; then
  export CARE_CLOCK_RUNNER=$$
  exec setpriv --pdeathsig TERM bash "$0" "$@"
fi
source "$(dirname "$0")/common.sh"
bash scripts/train.sh

umask 077  # conversations and logs are health information
mkdir -p "$CARE_CLOCK_VAR/log" "$(dirname "$TRACKER_DB")"
chmod 700 "$CARE_CLOCK_VAR"

for port in "$RASA_PORT" "$ACTION_PORT" "$WEB_PORT"; do
  if ! python -c 'import socket, sys; socket.create_server(("127.0.0.1", int(sys.argv[1]))).close()' "$port" 2>/dev/null; then
    echo "error: port $port is already in use (another 'make run'?); stop it or choose other ports, e.g. RASA_PORT=5105 ACTION_PORT=5155 WEB_PORT=8180 make run" >&2
    exit 1
  fi
done

bash scripts/credentials.sh "$CARE_CLOCK_VAR/credentials.yml"
# The address patients' browsers use for the Rasa server, and the page's origins.
page_host="$CARE_CLOCK_HOST"
case "$page_host" in 0.0.0.0 | 127.0.0.1) page_host=localhost ;; esac
export RASA_URL="${CARE_CLOCK_PUBLIC_RASA_URL:-http://$page_host:$RASA_PORT}"
export WEB_ORIGINS="http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT http://$page_host:$WEB_PORT"

supervisor_pid=""
stop() {
  trap - INT TERM HUP EXIT
  if [ -n "$supervisor_pid" ] && kill -0 "$supervisor_pid" 2>/dev/null; then
    say "Stopping"
    kill -TERM "$supervisor_pid" 2>/dev/null || true
    wait "$supervisor_pid" 2>/dev/null || true
  fi
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop; exit 129' HUP
trap stop EXIT

# supervisord gets its own process group: a terminal's Ctrl-C or hang-up reaches
# only this script, which stops it in order (supervisord would take SIGHUP as
# "reload"). If this script dies unannounced, pdeathsig stops supervisord.
setsid setpriv --pdeathsig TERM supervisord -c bot/supervisord.conf &
supervisor_pid=$!

# A program that gave up starting (FATAL) or a supervisord that died: say which,
# and show its log. Read from supervisord's log, written from this run on.
supervisor_log="$CARE_CLOCK_VAR/log/supervisord.log"
log_start=$(( $(stat -c %s "$supervisor_log" 2>/dev/null || echo 0) + 1 ))
failed() {  # [starting]: while starting, any unexpected exit is a failure too
  if ! kill -0 "$supervisor_pid" 2>/dev/null; then
    echo "error: supervisord stopped; see $supervisor_log" >&2
    return 0
  fi
  local lines program
  lines="$(tail -c +"$log_start" "$supervisor_log" 2>/dev/null)"
  program="$(sed -n 's/.*gave up: \([a-z]*\) entered FATAL.*/\1/p' <<<"$lines" | head -n 1)"
  if [ -z "$program" ] && [ "${1:-}" = starting ]; then
    program="$(sed -n 's/.*exited: \([a-z]*\) .*not expected.*/\1/p' <<<"$lines" | head -n 1)"
  fi
  [ -n "$program" ] || return 1
  echo "error: the $program server could not start; its last log lines ($CARE_CLOCK_VAR/log/$program.log):" >&2
  tail -n 20 "$CARE_CLOCK_VAR/log/$program.log" >&2
}

# Wait until every server answers, or report the first that cannot start.
ready() { curl -sf -o /dev/null "http://127.0.0.1:$1"; }
waited=0
until ready "$ACTION_PORT/health" && ready "$RASA_PORT/" && ready "$WEB_PORT/"; do
  if failed starting; then exit 1; fi
  if [ "$waited" -ge 240 ]; then
    echo "error: the servers did not answer within 240 s; see $CARE_CLOCK_VAR/log/" >&2
    exit 1
  fi
  sleep 1 & wait $!
  waited=$((waited + 1))
done

say "Care Clock is running"
cat <<INFO
  Web chat: http://localhost:$WEB_PORT/
  REST:     curl -s -X POST http://localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"me","message":"hello"}'
  Terminal: make shell   (in another terminal)
  Logs:     $CARE_CLOCK_VAR/log/ (rasa.log, actions.log, web.log, supervisord.log)
  Stop:     Ctrl-C
INFO

# Crashed servers are restarted by supervisord; stop only when one gives up.
while ! failed; do
  sleep 2 & wait $!
done
exit 1
