#!/usr/bin/env bash
# Install the project with its test tools into .venv and run the whole test suite.
# Backend: SQLite by default; KISS_TEST_BACKEND=postgresql for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]"
exec .venv/bin/python -m pytest "$@"
