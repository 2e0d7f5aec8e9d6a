"""Scratch databases for the benchmarks: fresh, migrated, dropped afterwards; demo workflows."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from data.demo import seed_workflows
from households import settings
from households.actor import Actor
from households.bsn import ensure_key_file
from households.db import make_engine, upgrade_schema

__all__ = ["_Scratch", "_seed_workflows"]


class _Scratch:
    """A fresh, migrated database on the server/kind of ``url``; dropped afterwards."""

    def __init__(self, url: str | None, workdir: Path):
        self.base = url
        self.workdir = workdir
        self.name: str | None = None

    def __enter__(self) -> str:
        if self.base is None or self.base.startswith("sqlite"):
            path = self.workdir / f"bench_{uuid.uuid4().hex[:8]}.db"
            self.url = f"sqlite:///{path}"
        else:
            self.name = f"kiss_bench_{uuid.uuid4().hex[:10]}"
            with create_engine(self.base, isolation_level="AUTOCOMMIT").connect() as c:
                c.execute(text(f'CREATE DATABASE "{self.name}"'))
            self.url = make_url(self.base).set(database=self.name).render_as_string(False)
        engine = make_engine(self.url)
        upgrade_schema(engine)
        engine.dispose()
        return self.url

    def __exit__(self, *exc) -> None:
        if self.name:
            with create_engine(self.base, isolation_level="AUTOCOMMIT").connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


def _seed_workflows(url: str) -> dict[str, Actor]:
    """Demo users, case tables and experiments, as `kiss demo` adds them; one actor per role."""
    engine = make_engine(url)
    with contextlib.redirect_stdout(io.StringIO()):  # stdout carries the JSON records
        seed_workflows(engine, seed=2024)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, naam, rol FROM app_user ORDER BY id")).all()
    engine.dispose()
    actors: dict[str, Actor] = {}
    for user_id, naam, rol in rows:
        actors.setdefault(rol, Actor(user_id=user_id, naam=naam, rol=rol))
    return actors


def scratch_databases(args) -> Iterator[tuple[str, int, Path]]:
    """For `kiss bench --users/--browsers`: per ``--database`` URL and ``--households`` size a
    fresh scratch database with generated data and the demo's workflows; yields
    ``(url, households, workdir)`` and drops the database afterwards."""
    from data.generator import generate
    from data.load import load

    with tempfile.TemporaryDirectory(prefix="kiss_bench_") as tmp:
        if not settings.secret_key_text():
            settings.point_at("KISS_KEY_FILE", str(Path(tmp) / "bench.key"))  # scratch only
            ensure_key_file()
        for url in args.database or [None]:
            for n in args.households:
                with _Scratch(url, Path(tmp)) as scratch:
                    engine = make_engine(scratch)
                    load(engine, generate(n, seed=2024, reference_date=dt.date.today()))
                    engine.dispose()
                    _seed_workflows(scratch)
                    yield scratch, n, Path(tmp)
