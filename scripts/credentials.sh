#!/usr/bin/env bash
# Write the channel credentials Rasa starts with to $1: REST and socket.io
# always; Slack only when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set
# (Rasa's Slack input refuses to start without a signing secret).
set -euo pipefail
out="$1"
cp bot/credentials.yml "$out"
if [ -n "${SLACK_BOT_TOKEN:-}" ] && [ -n "${SLACK_SIGNING_SECRET:-}" ]; then
  cat >> "$out" <<'YAML'

bot.channels.slack.CareClockSlackInput:
  slack_token: ${SLACK_BOT_TOKEN}
  slack_signing_secret: ${SLACK_SIGNING_SECRET}
  slack_api_url: ${SLACK_API_URL}
YAML
  echo "Slack: on (events at /webhooks/slack/webhook)" >&2
else
  echo "Slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on)" >&2
fi
