#!/usr/bin/env bash
# Talk to Care Clock in the terminal (starts its own action server if none is running).
source "$(dirname "$0")/common.sh"
bash scripts/train.sh
mkdir -p var/log
if ! curl -sf -o /dev/null "http://127.0.0.1:$ACTION_PORT/health"; then
  trap 'kill ${ACTION_PID:-} 2>/dev/null || true; wait ${ACTION_PID:-} 2>/dev/null || true' EXIT
  # A closed terminal (HUP), Ctrl-C or SIGTERM still runs the EXIT trap above.
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
  start_action_server "$ACTION_PORT" var/log/actions-shell.log
fi
rasa shell --model "$MODEL" --endpoints bot/endpoints.yml --port "${SHELL_PORT:-5006}"
