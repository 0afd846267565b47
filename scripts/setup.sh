#!/usr/bin/env bash
# Create .venv with Python 3.10 and install requirements.lock into it; with
# --tests, requirements-test.lock too. Does nothing when .venv already holds
# exactly these lock files' packages.
source "$(dirname "$0")/common.sh"

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.10 \
      "$(command -v pyenv >/dev/null && pyenv root)"/versions/3.10*/bin/python3.10 \
      /usr/bin/python3.10 /usr/local/bin/python3.10; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# Each install is redone only when its lock file changed: the lock's hash is
# kept in a stamp file inside what it installed.
lock_changed() {  # LOCK STAMP
  [ ! -f "$2" ] || [ "$(cat "$2")" != "$(sha256sum "$1" | cut -d' ' -f1)" ]
}
mark_installed() {  # LOCK STAMP
  sha256sum "$1" | cut -d' ' -f1 > "$2"
}

# The web chat page's socket.io client, and axe-core for its accessibility tests (npm).
web_stamp="bot/web/node_modules/.care-clock-lock"
if lock_changed bot/web/package-lock.json "$web_stamp"; then
  command -v npm >/dev/null || { echo "error: the web chat page needs Node.js and npm: install them (e.g. apt-get install nodejs npm)" >&2; exit 1; }
  say "Installing the web chat page's packages (npm ci)"
  (cd bot/web && npm ci --include=dev --no-audit --no-fund --loglevel=error)
  mark_installed bot/web/package-lock.json "$web_stamp"
fi

install_lock() {  # LOCK: pip-install it unless .venv already has exactly it
  local stamp="$VENV/.care-clock-$(basename "$1" .lock)"
  lock_changed "$1" "$stamp" || return 0
  if [ ! -x "$VENV/bin/python" ]; then
    if ! python="$(find_python)"; then
      echo "error: Rasa 3.6 needs Python 3.10: install it (e.g. 'pyenv install 3.10') or set PYTHON=/path/to/python3.10" >&2
      exit 1
    fi
    say "Creating .venv with $python"
    "$python" -m venv "$VENV"
  fi
  say "Installing $1 (first time: several minutes)"
  # The filter drops pip's notes about this machine's optional local mirrors.
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$1" \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  "$VENV/bin/python" -m pip check
  mark_installed "$1" "$stamp"
  say "Environment ready"
}

install_lock requirements.lock
if [ "${1:-}" = "--tests" ]; then
  install_lock requirements-test.lock
fi
