#!/usr/bin/env bash
# Run Care Clock: action server, Rasa server (REST + socket.io) and the web chat page.
# Ctrl-C or SIGTERM stops everything this script started.
source "$(dirname "$0")/common.sh"
bash scripts/train.sh
mkdir -p "$(dirname "$TRACKER_DB")" var/log

pids=()
stop() {
  trap - INT TERM EXIT
  if [ "${#pids[@]}" -gt 0 ]; then
    say "Stopping"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# Servers run in their own session (setsid): a Ctrl-C reaches only this script,
# whose trap then stops them in order, instead of racing them to exit.
start_action_server "$ACTION_PORT" var/log/actions.log || { pids+=("$ACTION_PID"); exit 1; }
pids+=("$ACTION_PID")

bash scripts/credentials.sh var/credentials.yml
setsid rasa run --model "$MODEL" --endpoints bot/endpoints.yml --credentials var/credentials.yml \
  --interface "$CARE_CLOCK_HOST" --port "$RASA_PORT" --cors "http://localhost:$WEB_PORT" "http://127.0.0.1:$WEB_PORT" \
  > var/log/rasa.log 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$RASA_PORT/" 180 || { tail -20 var/log/rasa.log >&2; exit 1; }

setsid python bot/web/serve.py --host "$CARE_CLOCK_HOST" --port "$WEB_PORT" > var/log/web.log 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$WEB_PORT/" 30 || { tail -20 var/log/web.log >&2; exit 1; }

say "Care Clock is running"
cat <<INFO
  Web chat: http://localhost:$WEB_PORT/
  REST:     curl -s -X POST http://localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"me","message":"hello"}'
  Terminal: make shell   (in another terminal)
  Logs:     var/log/rasa.log, var/log/actions.log
  Stop:     Ctrl-C
INFO
wait -n "${pids[@]}"
say "A server stopped unexpectedly; see var/log/"
exit 1
