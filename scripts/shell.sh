#!/usr/bin/env bash
# Talk to Care Clock in the terminal (starts its own action server if none is running).
source "$(dirname "$0")/common.sh"
bash scripts/train.sh
mkdir -p var/log
if ! curl -sf -o /dev/null "http://127.0.0.1:$ACTION_PORT/health"; then
  SANIC_HOST=127.0.0.1 python -m rasa_sdk --actions actions --port "$ACTION_PORT" --quiet > var/log/actions-shell.log 2>&1 &
  action_pid=$!
  trap 'kill $action_pid 2>/dev/null; wait $action_pid 2>/dev/null' EXIT
  # A closed terminal (HUP), Ctrl-C or SIGTERM still runs the EXIT trap above.
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
  wait_for "http://127.0.0.1:$ACTION_PORT/health" 120
fi
rasa shell --model "$MODEL" --endpoints bot/endpoints.yml --port "${SHELL_PORT:-5006}"
