"""`kiss backup` / `kiss restore`: the restore drill on the backend under test, and refusals.

Backup while the app writes -> destroy -> restore into an empty database ->
`kiss audit verify` intact and `kiss report stacking` identical.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app.cli import main
from data.generator import generate
from data.load import load
from households import audit
from households.actor import SYSTEM
from households.backup import create_backup, database_is_empty, read_manifest, restore_backup
from households.db import make_engine, session_scope, upgrade_schema
from households.errors import Conflict, InvalidInput
from households.models import AuditEvent, Household
from tests.conftest import PG_ADMIN_URL, TEST_KEY, backend
from tests.data.conftest import REFERENCE_DATE

BACKUP_KEY = "back-up-sleutel-voor-de-tests-0123456789"


@pytest.fixture(autouse=True)
def _backup_key(monkeypatch):
    monkeypatch.setenv("KISS_BACKUP_KEY", BACKUP_KEY)


@pytest.fixture
def empty_url(request, tmp_path, monkeypatch):
    """Factory: the URL of a new, empty database (no tables) on the backend under test."""
    made: list[str] = []

    def make() -> str:
        name = f"kiss_leeg_{uuid.uuid4().hex[:10]}"
        if backend() != "postgresql":
            return f"sqlite:///{tmp_path / (name + '.db')}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        made.append(name)
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    yield make
    if made:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def filled(engine):
    """The test database with 120 synthetic households and a few audit rows."""
    load(engine, generate(120, seed=11, reference_date=REFERENCE_DATE))
    with session_scope(engine) as session:
        for i in range(5):
            audit.household_viewed(session, SYSTEM, i + 1, doel="test")
    return engine


def _audit_rows(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


class Writer(threading.Thread):
    """The app at work: audited reads, one committed unit of work after the other."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.engine = make_engine(url)
        self.stop = threading.Event()
        self.written = 0

    def run(self) -> None:
        while not self.stop.is_set():
            with session_scope(self.engine) as session:
                audit.household_viewed(session, SYSTEM, 1 + self.written % 100, doel="drill")
            self.written += 1

    def wait_for(self, n: int) -> None:
        deadline = time.monotonic() + 30
        target = self.written + n
        while self.written < target:
            assert time.monotonic() < deadline, "the writer stopped writing"
            time.sleep(0.005)


def _destroy(url: str) -> None:
    """Gone: the SQLite file with its WAL, or every table of the PostgreSQL database."""
    if url.startswith("sqlite"):
        path = Path(make_url(url).database)
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        return
    eng = create_engine(url)
    with eng.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    eng.dispose()


def test_restore_drill_backup_destroy_restore(
    filled, db_url, empty_url, tmp_path, monkeypatch, capsys
):
    file = tmp_path / "drill.kissbak"
    writer = Writer(db_url)
    writer.start()
    try:
        writer.wait_for(20)
        before = _audit_rows(filled)
        assert main(["backup", "--out", str(file)]) == 0
        writer.wait_for(20)
    finally:
        writer.stop.set()
        writer.join()
        writer.engine.dispose()
    after = _audit_rows(filled)
    manifest = read_manifest(file)
    # the backup is one moment while the app wrote: between the counts before and after
    assert before <= manifest["audit"]["regels"] < after
    date = REFERENCE_DATE.isoformat()
    assert main(["report", "stacking", "--date", date, "--out", str(tmp_path / "voor.csv")]) == 0
    filled.dispose()
    _destroy(db_url)

    target = empty_url() if backend() == "postgresql" else db_url  # a new database / file
    monkeypatch.setenv("KISS_DATABASE_URL", target)
    capsys.readouterr()
    assert main(["restore", str(file)]) == 0
    assert "kloppen met het manifest" in capsys.readouterr().out
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert f"Audittrail intact: {manifest['audit']['regels'] + 1} regels" in out
    assert f"(UTC): de {manifest['audit']['regels']} regels daarvoor komen uit" in out
    assert main(["report", "stacking", "--date", date, "--out", str(tmp_path / "na.csv")]) == 0
    before_csv = (tmp_path / "voor.csv").read_text()
    assert before_csv.count("\n") == 121  # header + 120 households
    assert (tmp_path / "na.csv").read_text() == before_csv


def test_manifest_counts_rows_and_holds_the_chain_head(filled, tmp_path):
    result = create_backup(filled, tmp_path / "b.kissbak")
    m = result.manifest
    with filled.connect() as conn:
        households = conn.execute(select(func.count()).select_from(Household)).scalar_one()
        head = conn.execute(text("SELECT max(id) FROM audit_event")).scalar_one()
    assert m["rijen"]["household"] == households == 120
    assert m["audit"]["regels"] == 5 and m["audit"]["laatste_id"] == head - 1  # + backup_maken
    assert m["schemaversie"] == read_manifest(result.path)["schemaversie"]
    assert m["database"] == backend()


def test_backup_file_holds_no_plaintext_and_no_pseudonymisation_key(filled, tmp_path):
    with filled.connect() as conn:
        some_hash = conn.execute(text("SELECT bsn_hash FROM person LIMIT 1")).scalar_one()
    raw = create_backup(filled, tmp_path / "b.kissbak").path.read_bytes()
    for needle in (some_hash.encode(), b"SQLite format 3", b"PGDMP", b"household", b"systeem"):
        assert needle not in raw
    assert TEST_KEY.encode() not in raw
    assert oct((tmp_path / "b.kissbak").stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda raw: raw[: len(raw) // 2], "onvolledig"),
        (lambda raw: raw[:-1], "onvolledig"),
        (lambda raw: raw[:300] + bytes([raw[300] ^ 1]) + raw[301:], "beschadigd of gewijzigd"),
        (lambda raw: raw + b"\0", "beschadigd of gewijzigd"),
        (lambda raw: b"hello" + raw[5:], "geen back-up van de KISS hub"),
    ],
    ids=["half", "last-byte", "flipped-bit", "appended", "foreign"],
)
def test_damaged_backup_is_refused_and_nothing_restored(
    filled, tmp_path, empty_url, monkeypatch, capsys, damage, message
):
    good = create_backup(filled, tmp_path / "b.kissbak").path
    bad = tmp_path / "bad.kissbak"
    bad.write_bytes(damage(good.read_bytes()))
    target = empty_url()
    monkeypatch.setenv("KISS_DATABASE_URL", target)
    capsys.readouterr()
    assert main(["restore", str(bad)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    eng = make_engine(target)
    assert database_is_empty(eng) is None
    with eng.connect() as conn:
        assert not [t for t in conn.dialect.get_table_names(conn) if t != "sqlite_sequence"]
    eng.dispose()


def test_restore_into_a_database_with_data_is_refused(filled, tmp_path, capsys):
    file = create_backup(filled, tmp_path / "b.kissbak").path
    rows = _audit_rows(filled)
    capsys.readouterr()
    assert main(["restore", str(file)]) == 2  # KISS_DATABASE_URL is the filled database
    err = capsys.readouterr().err
    assert "alleen in een lege database" in err and "Traceback" not in err
    assert _audit_rows(filled) == rows


def _instance(engine) -> int | None:
    with engine.connect() as conn:
        return conn.execute(text("SELECT max(versie) FROM data_version "
                                 "WHERE tabel = '_instantie'")).scalar()  # fmt: skip


def test_restore_into_a_fresh_kiss_init_database_works(filled, tmp_path, empty_url):
    file = create_backup(filled, tmp_path / "b.kissbak").path
    target = make_engine(empty_url())
    upgrade_schema(target)  # `kiss init` ran: schema, no data
    result = restore_backup(target, file)
    assert result.migrated_from is None
    with session_scope(target) as session:
        assert session.scalar(select(func.count()).select_from(Household)) == 120
        assert audit.verify_chain(session).ok
    # a restored database is another database to the caches (households/figurecache.py,
    # coordination/factcache.py): its counters may be reached again by other data
    assert _instance(target) not in (None, _instance(filled))
    with pytest.raises(Conflict):
        restore_backup(target, file)
    target.dispose()


def test_wrong_backup_key_is_named(filled, tmp_path, empty_url, monkeypatch):
    file = create_backup(filled, tmp_path / "b.kissbak").path
    monkeypatch.setenv("KISS_BACKUP_KEY", "een-heel-andere-sleutel-van-iemand")
    target = make_engine(empty_url())
    with pytest.raises(InvalidInput, match="andere back-upsleutel"):
        restore_backup(target, file)
    target.dispose()


def test_backup_key_must_differ_from_the_pseudonymisation_key(filled, tmp_path, monkeypatch):
    monkeypatch.setenv("KISS_BACKUP_KEY", TEST_KEY)
    with pytest.raises(InvalidInput, match="gelijk aan de sleutel van de BSN-pseudonimisering"):
        create_backup(filled, tmp_path / "b.kissbak")
    assert not (tmp_path / "b.kissbak").exists()


def test_restore_with_another_pseudonymisation_key_is_refused(
    filled, tmp_path, empty_url, monkeypatch
):
    from households.bsn import secret_key

    file = create_backup(filled, tmp_path / "b.kissbak").path
    monkeypatch.setenv("KISS_SECRET_KEY", "een-andere-pseudonimiseringssleutel")
    secret_key.cache_clear()
    target = make_engine(empty_url())
    with pytest.raises(InvalidInput, match="sleutel van de\\s+BSN-pseudonimisering"):
        restore_backup(target, file)
    assert database_is_empty(target) is None
    target.dispose()


def test_backup_key_file_is_made_beside_the_pseudonymisation_key(
    filled, tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("KISS_BACKUP_KEY")
    monkeypatch.setenv("KISS_KEY_FILE", str(tmp_path / "keys" / "kiss.key"))
    assert main(["backup", "--out", str(tmp_path / "b.kissbak")]) == 0
    key_file = tmp_path / "keys" / "kiss-backup.key"
    assert "Back-upsleutel aangemaakt" in capsys.readouterr().out
    assert oct(key_file.stat().st_mode & 0o777) == "0o600" and len(key_file.read_text()) == 64
    assert read_manifest(tmp_path / "b.kissbak")["rijen"]["household"] == 120


def _old_audit_row(engine) -> None:
    """One audit row as the writer before migration 0011 made it (chained under the lock)."""
    from households.audit.writer import chain_key, row_hash

    fields = {"tijdstip": dt.datetime(2026, 1, 5, 9, 30), "gebruiker": "systeem",
              "rol": "systeem", "actie": "huishouden_inzien", "object_type": "household",
              "object_id": "7", "resultaat": "ok", "doel": "oud schema", "oud": None,
              "nieuw": None}  # fmt: skip
    digest = row_hash(fields, audit.GENESIS, chain_key())
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_event (tijdstip, gebruiker, rol, actie, object_type, "
                 "object_id, resultaat, doel, oud, nieuw, vorige_hash, hash) VALUES (:tijdstip, "
                 ":gebruiker, :rol, :actie, :object_type, :object_id, :resultaat, :doel, :oud, "
                 ":nieuw, :vorige, :hash)"),
            {**fields, "vorige": audit.GENESIS, "hash": digest},
        )  # fmt: skip
        conn.execute(text("UPDATE audit_lock SET teller = 1"))


def test_older_backup_is_migrated_forward(empty_url, tmp_path, monkeypatch):
    old = make_engine(empty_url())
    upgrade_schema(old, "0002_audit_append_only")
    _old_audit_row(old)
    with monkeypatch.context() as m:  # today's writer writes today's columns (0011: keten_nr)
        m.setattr("households.backup.audit.record", lambda *a, **k: None)
        file = create_backup(old, tmp_path / "oud.kissbak").path
    old.dispose()
    target = make_engine(empty_url())
    result = restore_backup(target, file)
    assert result.migrated_from == "0002_audit_append_only"
    with session_scope(target) as session:
        assert (
            session.scalar(text("SELECT version_num FROM alembic_version"))
            != "0002_audit_append_only"
        )
        assert audit.verify_chain(session).ok
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 2  # + the restore
    target.dispose()


def test_backup_to_an_existing_file_is_refused(filled, tmp_path, capsys):
    (tmp_path / "b.kissbak").write_text("iets")
    assert main(["backup", "--out", str(tmp_path / "b.kissbak")]) == 2
    assert "bestaat al" in capsys.readouterr().err
    assert (tmp_path / "b.kissbak").read_text() == "iets"


def test_restore_of_a_missing_file_says_so_and_creates_no_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KISS_DATABASE_URL", f"sqlite:///{tmp_path / 'nieuw.db'}")
    assert main(["restore", str(tmp_path / "weg.kissbak")]) == 2
    assert "Bestand niet gevonden" in capsys.readouterr().err
    assert not (tmp_path / "nieuw.db").exists()


def test_backup_of_a_database_without_schema_is_refused(empty_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KISS_DATABASE_URL", empty_url())
    assert main(["backup", "--out", str(tmp_path / "b.kissbak")]) == 2
    err = capsys.readouterr().err
    assert "bestaat niet" in err if backend() == "sqlite" else "geen schema van de KISS hub" in err
    assert len(err.strip().splitlines()) == 1
    assert list(tmp_path.glob("*b.kissbak*")) == []
