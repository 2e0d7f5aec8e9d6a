#!/usr/bin/env bash
# Install the project into .venv, create demo data (SQLite, kiss.db) and start the app.
#
#   ./scripts/demo.sh [--port P] [kiss demo options, e.g. --households 2000 --seed 7]
#
# --port P (or --port=P) is for `kiss serve` (default 8501); every other argument goes
# to `kiss demo`, which runs only when kiss.db does not exist yet.
set -euo pipefail
cd "$(dirname "$0")/.."
port=8501
demo_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port)
      [ $# -ge 2 ] || { echo "Fout: --port verwacht een poortnummer." >&2; exit 2; }
      port="$2"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    *) demo_args+=("$1"); shift ;;
  esac
done
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
[ -f kiss.db ] || .venv/bin/kiss demo ${demo_args[@]+"${demo_args[@]}"}
exec .venv/bin/kiss serve --port "$port"
