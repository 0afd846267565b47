#!/usr/bin/env bash
# Run Care Clock: action server, Rasa server (REST, socket.io, Slack when set up)
# and the web chat page, supervised by supervisord (bot/supervisord.conf).
#
# - Ctrl-C, SIGTERM, SIGHUP, or the death of whatever started this script
#   (even by SIGKILL) stops every server: nothing is left holding a port.
# - A server that crashes is restarted (supervisord prints a line); while the
#   action server is down, patients get the outage answer, not silence.
# - A server that cannot start stops the run at once, with its last log lines.

source "$(dirname "$0")/common.sh"
exec_with_parent_death "$@"
bash scripts/train.sh

umask 077  # conversations and logs are health information
mkdir -p "$CARE_CLOCK_VAR/log" "$(dirname "$TRACKER_DB")"
chmod 700 "$CARE_CLOCK_VAR"

require_free_ports "$RASA_PORT" "$ACTION_PORT" "$WEB_PORT"

bash scripts/credentials.sh "$CARE_CLOCK_VAR/credentials.yml"
set_page_addresses

start_supervisor bot/supervisord.conf
wait_for_servers "$ACTION_PORT/health" "$RASA_PORT/" "$WEB_PORT/"

say "Care Clock is running"
cat <<INFO
  Web chat: http://localhost:$WEB_PORT/
  REST:     curl -s -X POST http://localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' -d '{"sender":"me","message":"hello"}'
  Terminal: make shell   (in another terminal)
  Logs:     $CARE_CLOCK_VAR/log/ (rasa.log, actions.log, web.log, supervisord.log)
  Stop:     Ctrl-C
INFO

watch_supervisor
