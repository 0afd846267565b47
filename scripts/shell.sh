#!/usr/bin/env bash
# Talk to Care Clock in the terminal (starts its own action server if none is running).
source "$(dirname "$0")/common.sh"
bash scripts/train.sh >/dev/null
umask 077
mkdir -p "$CARE_CLOCK_VAR/log"
if ! curl -sf -o /dev/null "http://127.0.0.1:$ACTION_PORT/health"; then
  trap 'kill ${ACTION_PID:-} 2>/dev/null || true; wait ${ACTION_PID:-} 2>/dev/null || true' EXIT
  # A closed terminal (HUP), Ctrl-C or SIGTERM still runs the EXIT trap above.
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
  start_action_server "$ACTION_PORT" "$CARE_CLOCK_VAR/log/actions-shell.log"
fi
# Quiet: Python's and Rasa's start-up notices go to the log, not the patient.
export PYTHONWARNINGS=ignore
rasa shell --model "$MODEL" --endpoints bot/endpoints.yml --interface 127.0.0.1 --port "${SHELL_PORT:-5006}" \
  --quiet 2>>"$CARE_CLOCK_VAR/log/shell.log" || {
  status=$?
  echo "The terminal chat stopped (status $status); its last log lines ($CARE_CLOCK_VAR/log/shell.log):" >&2
  tail -n 20 "$CARE_CLOCK_VAR/log/shell.log" >&2
  exit "$status"
}
