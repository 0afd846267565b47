#!/usr/bin/env bash
# The tests drive Debian's chromium headless (web page) and start a throwaway
# PostgreSQL server (tracker store); install whichever is missing.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null || missing+=(postgresql)
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "error: the tests need ${missing[*]}: install them (Debian: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "==> Installing ${missing[*]} for the tests" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
