"""PostgreSQL's own tools for ``kiss backup`` / ``kiss restore``: pg_dump and pg_restore.

The tools come with the PostgreSQL client (Debian: ``postgresql-client``); their
major version must be at least the server's. The password goes to them in the
environment (``PGPASSWORD``), never on the command line, where ``ps`` shows it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import inspect, text

from households.db import Engine
from households.errors import InvalidInput

__all__ = ["dump_snapshot", "restore_dump", "drop_kiss_schema"]


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """A libpq URI for the tools, and an environment with the password (never argv)."""
    url = engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None)
    return uri.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise InvalidInput(
            f"{name} ontbreekt op deze machine; installeer de PostgreSQL-client "
            "(Debian: apt-get install postgresql-client)."
        )
    return found


def _last_line(stderr: bytes) -> str:
    lines = stderr.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


def dump_snapshot(engine: Engine, snapshot: str, out: BinaryIO) -> None:
    """Stream ``pg_dump --format=custom`` of the exported ``snapshot`` into ``out``.

    The transaction that exported the snapshot must stay open until this returns.
    """
    cmd = [_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", "--no-owner"]
    uri, env = _libpq(engine)
    with subprocess.Popen(
        [*cmd, f"--dbname={uri}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        shutil.copyfileobj(proc.stdout, out, 1 << 20)
        err = proc.stderr.read()
    if proc.returncode != 0:
        raise InvalidInput(f"pg_dump is mislukt: {_last_line(err)}")


def restore_dump(engine: Engine, dump: Path) -> None:
    """Load a custom-format dump with ``pg_restore`` in one transaction (all or nothing)."""
    uri, env = _libpq(engine)
    cmd = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
           "--exit-on-error", f"--dbname={uri}", str(dump)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, env=env, check=False)
    if done.returncode != 0:
        raise InvalidInput(
            f"pg_restore is mislukt; er is niets hersteld: {_last_line(done.stderr)}"
        )


def drop_kiss_schema(engine: Engine) -> None:
    """Drop the KISS tables (and the trigger functions) of an *empty* database.

    Only for a database :func:`households.backup.database_is_empty` found empty (a
    fresh ``kiss init``), so pg_restore can create them as the dump has them.
    """
    with engine.begin() as conn:
        for table in inspect(conn).get_table_names():
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
        for function in (
            "audit_event_append_only", "audit_anker_append_only", "kiss_data_version_bump",
            "audit_lock_follows_chain",
        ):  # fmt: skip
            conn.execute(text(f"DROP FUNCTION IF EXISTS {function}() CASCADE"))
