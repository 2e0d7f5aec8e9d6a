"""Import throughput benchmark: a synthetic valid ``voorzieningen`` file through the importer.

Households and persons are created directly (bulk insert); only the provision file
goes through :func:`households.importing.import_stream`, timed end to end (decode,
validate, upsert, commit). Run it on its own (prints one JSON object)::

    .venv/bin/python -m benchmarks.importing [--rows N] [--url URL]

(default 1,000,000 rows into a temporary SQLite database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import delete, select

from households import settings
from households.actor import SYSTEM
from households.bsn import hash_bsn, secret_key
from households.db import make_engine, session_scope, upgrade_schema
from households.importing import import_stream
from households.models import DOMAINS, Household, Institution, Person, Provision

__all__ = ["bench_import", "synthetic_bsns", "provision_csv", "main"]


def synthetic_bsns(n: int, start: int = 10_000_000) -> list[str]:
    """``n`` distinct 9-digit numbers that pass the elfproef, counting up from ``start``.

    >>> synthetic_bsns(2)
    ['100000009', '100000010']
    """
    out: list[str] = []
    base = start
    while len(out) < n:
        digits = f"{base:08d}"
        total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10:
            out.append(digits + str(check))
        base += 1
    return out


def provision_csv(n_rows: int, bsns: list[str], prefix: str, seed: int = 1) -> bytes:
    """A valid ``voorzieningen`` file (``;``-separated, Dutch spellings) of ``n_rows`` rows."""
    rng = random.Random(seed)
    soorten = ("huishoudelijke hulp", "ambulante begeleiding", "bijzondere bijstand")
    aanbieders = ("Zorggroep Brunssum", "Mondriaan", "Impuls")
    lines = ["bron_id;bsn;domein;soort;start;einde;aanbieder;maatwerk;kosten_per_maand"]
    day0 = dt.date(2020, 1, 1).toordinal()
    nb = len(bsns)
    for i in range(n_rows):
        start = dt.date.fromordinal(day0 + rng.randrange(1500))
        einde = "" if i % 3 else (start + dt.timedelta(days=365)).strftime("%d-%m-%Y")
        lines.append(
            f"{prefix}{i};{bsns[i % nb]};{DOMAINS[i % 3]};{soorten[i % 3]};"
            f"{start.isoformat()};{einde};{aanbieders[i % 3]};{'ja' if i % 2 else 'nee'};"
            f"{rng.randrange(100_000) // 100}.{rng.randrange(100):02d}"
        )
    return ("\n".join(lines) + "\n").encode()


def _seed_people(session, n_persons: int, prefix: str, start: int) -> list[str]:
    conn = session.connection()
    n_households = (n_persons + 1) // 2
    conn.execute(
        Household.__table__.insert(),
        [{"huishouden_id": f"{prefix}H{i}", "wijk": "Noord"} for i in range(n_households)],
    )
    hh = dict(
        session.execute(
            select(Household.huishouden_id, Household.id).where(
                Household.huishouden_id.like(f"{prefix}H%")
            )
        ).all()
    )
    bsns = synthetic_bsns(n_persons, start)
    key = secret_key()
    conn.execute(
        Person.__table__.insert(),
        [
            {
                "bsn_hash": hash_bsn(b, key=key),
                "household_id": hh[f"{prefix}H{i // 2}"],
                "geboortejaar": 1950 + i % 60,
                "rol": "hoofdbewoner" if i % 2 == 0 else "partner",
            }
            for i, b in enumerate(bsns)
        ],
    )
    conn.execute(
        Institution.__table__.insert(),
        [
            {"instelling_id": f"{prefix}I1", "naam": "Zorggroep Brunssum", "type": "zorg"},
            {"instelling_id": f"{prefix}I2", "naam": "Mondriaan", "type": "ggz"},
        ],
    )
    return bsns


def _cleanup(engine, prefix: str, bsns: list[str]) -> None:
    key = secret_key()
    hashes = [hash_bsn(b, key=key) for b in bsns]
    with session_scope(engine) as s:
        s.execute(delete(Provision).where(Provision.bron_id.like(f"{prefix}%")))
        for i in range(0, len(hashes), 10_000):
            s.execute(delete(Person).where(Person.bsn_hash.in_(hashes[i : i + 10_000])))
        s.execute(delete(Household).where(Household.huishouden_id.like(f"{prefix}H%")))
        s.execute(delete(Institution).where(Institution.instelling_id.like(f"{prefix}I%")))


def bench_import(n_rows: int = 1_000_000, url: str | None = None) -> dict:
    """Time importing ``n_rows`` provision rows; returns a JSON-ready dict with rows/s.

    Without ``url`` a temporary SQLite database is used. With ``url`` the schema is
    upgraded, the run uses its own key prefix and removes its rows afterwards
    (audit rows stay: the trail is append-only).
    """
    with tempfile.TemporaryDirectory() as tmp:
        own_db = url is None
        url = url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade_schema(engine)
        prefix = f"B{uuid.uuid4().hex[:6]}-"
        n_persons = max(1, n_rows // 3)
        t0 = time.perf_counter()
        with session_scope(engine) as s:
            bsns = _seed_people(s, n_persons, prefix, 10_000_000 + random.randrange(80_000_000))
        data = provision_csv(n_rows, bsns, prefix)
        generate_s = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        with session_scope(engine) as s:
            result = import_stream(s, SYSTEM, "voorzieningen", data, "bench.csv")
        import_s, import_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        t0 = time.perf_counter()
        with session_scope(engine) as s:
            again = import_stream(s, SYSTEM, "voorzieningen", data, "bench.csv")
        reimport_s = time.perf_counter() - t0
        if not own_db:  # a temporary database goes with its directory
            _cleanup(engine, prefix, bsns)
        database = engine.dialect.name
        engine.dispose()
    return {
        "database": database,
        "rows": n_rows,
        "persons": n_persons,
        "file_mb": round(len(data) / 1e6, 1),
        "generate_s": round(generate_s, 2),
        "import_s": round(import_s, 2),
        "import_rows_per_s": round(n_rows / import_s),
        "import_cpu_s": round(import_cpu_s, 2),  # this process only; the database server not
        "inserted": result.inserted,
        "reimport_s": round(reimport_s, 2),
        "reimport_rows_per_s": round(n_rows / reimport_s),
        "reimport_unchanged": again.unchanged,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--url", help="database URL (default: temporary SQLite file)")
    args = parser.parse_args(argv)
    if not settings.secret_key_text():
        settings.point_at("KISS_SECRET_KEY", "bench-key-not-for-production")  # scratch data only
    print(json.dumps(bench_import(args.rows, args.url), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
