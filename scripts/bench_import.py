"""Import throughput: N synthetic provision rows through the importer; prints JSON.

Usage: .venv/bin/python scripts/bench_import.py [--rows N] [--url URL]
(default 1,000,000 rows into a temporary SQLite database).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--url", help="database URL (default: temporary SQLite file)")
    args = parser.parse_args(argv)
    os.environ.setdefault("KISS_SECRET_KEY", "bench-key-not-for-production")
    from households.importing_bench import bench_import

    print(json.dumps(bench_import(args.rows, args.url), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
