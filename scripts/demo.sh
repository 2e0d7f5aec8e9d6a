#!/usr/bin/env bash
# Install the project into .venv, create demo data (SQLite, kiss.db) and start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
[ -f kiss.db ] || .venv/bin/kiss demo "$@"
exec .venv/bin/kiss serve
