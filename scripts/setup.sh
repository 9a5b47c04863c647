#!/usr/bin/env bash
# Create .venv and install engram with its dev tools (CPU torch pinned first).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements-torch.txt
.venv/bin/python -m pip install -q -e '.[dev]'
# The web UI's browser tests drive Debian's chromium through Playwright (which cannot download
# a browser of its own here). Installed when missing; as root (CI) a failure stops the setup.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: /usr/bin/chromium is missing and cannot be installed here (not root);" \
         "the browser tests will be skipped: apt-get install chromium" >&2
  fi
fi
