#!/usr/bin/env bash
# Create .venv and install engram with its dev tools (CPU torch pinned first).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements-torch.txt
.venv/bin/python -m pip install -q -e '.[dev]'
