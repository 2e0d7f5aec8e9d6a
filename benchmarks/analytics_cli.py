"""``python -m benchmarks.analytics_cli DATABASE_URL``: the analytics figures as one JSON line.

See :mod:`benchmarks.analytics`; ``kiss bench`` records the same figures per size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from benchmarks.analytics import measure_analytics
from benchmarks.suite import DUCKDB_STACKING_SQL


def main(argv: list[str] | None = None) -> int:
    """Measure the database at the URL and print the record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    record = measure_analytics(args.url, DUCKDB_STACKING_SQL, args.date, args.repeats)
    print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
