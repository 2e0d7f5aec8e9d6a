"""Crash safety, tried for real: SIGKILL mid-import, a save killed mid-transaction, a full disk.

Each leaves all or nothing (and the audit row with it), the audit chain intact,
and the same action then succeeds.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import Pool

from app.cli import main
from households import audit
from households.db import make_engine, session_scope
from households.models import AuditEvent, Household, User
from tests.conftest import backend

ROOT = Path(__file__).resolve().parents[2]
ROWS = 150_000
WIJKEN = ("Noord", "Oost", "Zuid", "West", "Centrum")


@pytest.fixture(scope="module")
def large_file(tmp_path_factory) -> Path:
    """150,000 households (3 MB): big enough that the importer shows its progress bar."""
    path = tmp_path_factory.mktemp("groot") / "huishoudens.csv"
    lines = ["huishouden_id,wijk,buurt,postcode,huisnummer"]
    lines += [f"H{i:07d},{WIJKEN[i % 5]},Buurt {i % 40},6441AB,{i % 300 + 1}" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _kiss(*args: str) -> subprocess.Popen:
    """``kiss ARGS`` in its own process (the environment carries the database and the key)."""
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ),
    )  # fmt: skip


def _wait_for_progress(proc: subprocess.Popen, percent: int) -> None:
    """Read the importer's progress bar on stderr until it shows ``percent`` or more."""
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        chunk = os.read(proc.stderr.fileno(), 256)
        assert chunk, f"the importer ended before {percent}%: {seen[-300:]!r}"
        seen += chunk
        shown = [int(p) for p in re.findall(rb"(\d+)%", seen)]
        if shown and max(shown) >= percent:
            return
    raise AssertionError("no progress")


def _wait_for_copy(proc: subprocess.Popen, engine) -> None:
    """PostgreSQL: wait until the importer's connection is busy in ``COPY household``."""
    deadline = time.monotonic() + 120
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
        "AND query LIKE 'COPY household%' AND datname = current_database()"
    )
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the importer ended before its COPY was seen"
        with engine.connect() as conn:
            if conn.execute(query).scalar_one():
                return
        time.sleep(0.002)
    raise AssertionError("no COPY seen")


def _state(engine) -> tuple[int, int, bool]:
    with session_scope(engine) as session:
        households = session.scalar(select(func.count()).select_from(Household))
        imports = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.actie == "import")
        )
        return households, imports, audit.verify_chain(session).ok


STAGES = ["writing-starts", "all-written-not-committed"]
if backend() == "postgresql":
    STAGES.append("mid-copy")


@pytest.mark.slow
@pytest.mark.parametrize("stage", STAGES)
def test_importer_killed_halfway_leaves_nothing_and_the_retry_succeeds(engine, large_file, stage):
    proc = _kiss("import", "huishoudens", str(large_file))
    try:
        if stage == "mid-copy":
            _wait_for_copy(proc, engine)
        else:  # 70%: validated, the writes begin; 95%: every row inserted, commit pending
            _wait_for_progress(proc, 70 if stage == "writing-starts" else 95)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    households, imports, chain_ok = _state(engine)
    assert chain_ok
    if stage == "all-written-not-committed":
        # the kill may land just after the commit (a few milliseconds later): then all of it
        assert (households, imports) in ((0, 0), (ROWS, 1))
    else:
        assert (households, imports) == (0, 0)  # nothing of the file, and no audit row

    retry = _kiss("import", "huishoudens", str(large_file))
    out, err = retry.communicate(timeout=300)
    assert retry.returncode == 0, err.decode()
    assert f"{ROWS - households} nieuw" in out.decode()
    assert _state(engine) == (ROWS, imports + 1, True)


SAVE = """
import os, sys, time
from households.accounts import create_user
from households.actor import SYSTEM
from households.db import make_engine, session_scope
with session_scope(make_engine()) as session:
    create_user(session, SYSTEM, "nieuwe.collega", "gbd", "een-lang-wachtwoord-2026")
    session.flush()
    print("geschreven", flush=True)
    if sys.argv[1] == "sterf":
        time.sleep(120)  # killed here: record and audit row written, not committed
print("bewaard", flush=True)
"""


@pytest.mark.parametrize("died", [True, False], ids=["killed-mid-save", "completed"])
def test_a_save_killed_mid_transaction_is_complete_or_absent_with_its_audit_row(engine, died):
    """The server process dies while a save (record + audit row) is in its transaction.

    A service write in a process of its own stands in for the Streamlit server: the
    page calls the same service inside the same unit of work.
    """
    with engine.connect() as conn:
        teller = conn.execute(text("SELECT teller FROM audit_lock")).scalar_one()
    proc = subprocess.Popen(
        [sys.executable, "-c", SAVE, "sterf" if died else "klaar"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ),
    )  # fmt: skip
    try:
        assert proc.stdout.readline() == b"geschreven\n", proc.stderr.read()
        if died:
            proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    with session_scope(engine) as session:
        users = session.scalar(select(func.count()).select_from(User))
        rows = session.scalars(
            select(AuditEvent.actie).where(AuditEvent.actie == "gebruiker_aanmaken")
        ).all()
        report = audit.verify_chain(session)
        now = session.scalar(text("SELECT teller FROM audit_lock"))
    assert report.ok
    if died:
        assert (users, rows, now) == (0, [], teller)
    else:
        assert (users, rows, now) == (1, ["gebruiker_aanmaken"], teller + 1)


@pytest.mark.skipif(backend() != "sqlite", reason="SQLite's page limit; PostgreSQL: tmpfs test")
def test_full_database_says_so_in_dutch_and_writes_nothing(engine, large_file, capsys):
    """SQLite with ``max_page_count`` just above its size: the import runs out of room."""
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

    def limit(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 40}")

    event.listen(Pool, "connect", limit)
    try:
        engine.dispose()
        assert main(["import", "huishoudens", str(large_file)]) == 2
    finally:
        event.remove(Pool, "connect", limit)
    err = capsys.readouterr().err.rstrip("\n").split("\n")
    assert err[0].startswith("\rImporteren") and len(err) == 2  # the bar, then one message
    assert err[-1].startswith("Fout: De opslag van de database is vol; er is niets opgeslagen")
    assert "Traceback" not in "\n".join(err)
    engine.dispose()
    assert _state(engine) == (0, 0, True)
    assert main(["import", "huishoudens", str(large_file)]) == 0  # room again: it goes through
    assert _state(engine) == (ROWS, 1, True)


@pytest.fixture
def small_disk():
    """A 2 MB file system (tmpfs) that can be enlarged; skipped where mounting is not allowed."""
    import pwd
    import shutil
    import tempfile

    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("een klein bestandssysteem koppelen (mount) kan alleen als root")
    where = Path(tempfile.mkdtemp(prefix="kiss-klein-"))
    where.chmod(0o755)
    try:
        owner = pwd.getpwnam("postgres")
        ids = f",uid={owner.pw_uid},gid={owner.pw_gid}"
    except KeyError:
        ids = ""
    mount = ["mount", "-t", "tmpfs", "-o", f"size=2m,mode=0777{ids}", "tmpfs", str(where)]
    if subprocess.run(mount, capture_output=True, check=False).returncode != 0:
        where.rmdir()
        pytest.skip("mount is hier niet toegestaan (container zonder rechten)")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)
    where.rmdir()


def _enlarge(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,size=256m", str(where)], check=True)


def test_full_disk_says_so_in_dutch_writes_nothing_and_retry_succeeds(
    engine, db_url, large_file, small_disk, monkeypatch, capsys
):
    """A real full file system: the SQLite file, or a PostgreSQL tablespace, on a 2 MB tmpfs."""
    if backend() == "sqlite":
        engine.dispose()
        target = small_disk / "kiss.db"
        target.write_bytes(Path(make_url(db_url).database).read_bytes())
        monkeypatch.setenv("KISS_DATABASE_URL", f"sqlite:///{target}")
        engine = make_engine(f"sqlite:///{target}")
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"CREATE TABLESPACE kiss_klein LOCATION '{small_disk}'"))
            conn.execute(text("ALTER TABLE household SET TABLESPACE kiss_klein"))
    try:
        assert main(["import", "huishoudens", str(large_file)]) == 2
        err = capsys.readouterr().err.rstrip("\n").split("\n")
        assert err[-1].startswith("Fout: De opslag van de database is vol; er is niets opgeslagen")
        assert len(err) == 2 and "Traceback" not in err[0]
        assert _state(engine) == (0, 0, True)
        _enlarge(small_disk)
        assert main(["import", "huishoudens", str(large_file)]) == 0
        assert _state(engine) == (ROWS, 1, True)
    finally:
        if backend() == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ALTER TABLE household SET TABLESPACE pg_default"))
                conn.execute(text("DROP TABLESPACE kiss_klein"))
        engine.dispose()
