#!/usr/bin/env bash
# The web page tests drive Debian's chromium headless; install it when missing.
set -euo pipefail
command -v chromium >/dev/null && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "error: the web page tests need chromium: install it (Debian: apt-get install chromium)" >&2
  exit 1
fi
echo "==> Installing chromium for the web page tests" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
