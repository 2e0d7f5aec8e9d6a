"""Run the steering overview once in its own process and print seconds and peak RSS as JSON.

python -m benchmarks.overview_child DATABASE_URL YYYY-MM-DD
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time

from coordination.overview import steering_overview
from households.actor import SYSTEM
from households.db import make_engine, session_scope


def _peak_rss_mb() -> float:
    # VmHWM belongs to this process image only; ru_maxrss survives exec and would report
    # the high-water mark of the benchmark process that started us.
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(url: str, date: str) -> None:
    """Time one full stacking + overview; peak RSS covers the whole process."""
    engine = make_engine(url)
    t0 = time.perf_counter()
    with session_scope(engine) as session:
        steering_overview(session, SYSTEM, dt.date.fromisoformat(date))
    seconds = time.perf_counter() - t0
    peak_mb = _peak_rss_mb()
    print(json.dumps({"seconds": round(seconds, 3), "peak_mb": round(peak_mb, 1)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
