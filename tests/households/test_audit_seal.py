"""Sealing and anchoring: no lock in the user's transaction, and still every tampering caught.

On both databases: concurrent writers with a sealer at work give one verifiable chain; a
rolled-back transaction's gap is accepted; a deleted, edited, inserted or cut-off sealed
row is detected (the tail against an anchor, also one kept outside the database); a
verify from the last anchor checks only the rows after it.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.cli import main as kiss
from households import audit
from households.actor import Actor
from households.audit import Event, verify_chain
from households.audit.anchor import parse_anchor
from households.audit.sealer import stop_sealer
from households.models import AuditEvent

GBD = Actor(user_id=None, naam="gijs", rol="gbd")


def _write(engine: Engine, n: int, start: int = 0) -> list[int]:
    with Session(engine) as s:
        ids = [audit.household_viewed(s, GBD, start + i, doel="test").id for i in range(n)]
        s.commit()
    return ids


def _tamper(engine: Engine, *statements: str) -> None:
    """What an attacker with the owner's rights does: triggers off, then change rows."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            for name in ("audit_event_no_update", "audit_event_no_delete",
                         "audit_anker_no_delete"):  # fmt: skip
                conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        else:
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
            conn.execute(text("ALTER TABLE audit_anker DISABLE TRIGGER USER"))
        for stmt in statements:
            conn.execute(text(stmt))


def _verify(engine: Engine, **kwargs) -> audit.ChainReport:
    with Session(engine) as s:
        report = verify_chain(s, **kwargs)
        s.commit()
    return report


def _anchor(engine: Engine) -> audit.Anchor:
    with Session(engine) as s:
        report, anchor = audit.write_anchor(s)
        s.commit()
    assert report.ok and anchor is not None
    return anchor


def test_a_row_is_written_unsealed_and_sealed_afterwards(engine):
    (row_id,) = _write(engine, 1)
    with Session(engine) as s:
        row = s.get(AuditEvent, row_id)
        assert (row.keten_nr, row.hash, len(row.rij_mac)) == (None, "", 64)
    assert audit.seal(engine) == 1
    with Session(engine) as s:
        row = s.get(AuditEvent, row_id)
        assert (row.keten_nr, row.vorige_hash, len(row.hash)) == (1, audit.GENESIS, 64)
    assert audit.seal(engine) == 0 and _verify(engine).ok


def _concurrent(engine: Engine, threads: int, per_thread: int) -> None:
    stop = threading.Event()
    errors: list[BaseException] = []

    def sealer() -> None:
        while not stop.is_set():
            try:
                audit.seal(engine, wait=False)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
            time.sleep(0.01)

    def writer(n: int) -> None:
        try:
            for i in range(per_thread):
                with Session(engine) as s:
                    audit.record(s, Actor(None, f"w{n}", "gbd"), Event.HUISHOUDEN_INZIEN,
                                 "household", i)  # fmt: skip
                    s.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    background = threading.Thread(target=sealer)
    background.start()
    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    stop.set()
    background.join()
    assert errors == []
    report = _verify(engine)
    assert report == audit.ChainReport(ok=True, rows=threads * per_thread)
    assert (report.tot, report.onverzegeld) == (threads * per_thread, 0)
    with Session(engine) as s:
        positions = s.scalars(select(AuditEvent.keten_nr).order_by(AuditEvent.keten_nr)).all()
    assert positions == list(range(1, threads * per_thread + 1))


def test_concurrent_writers_and_a_sealer_give_one_chain(engine):
    _concurrent(engine, threads=3, per_thread=15)


def test_concurrent_writers_and_a_sealer_give_one_chain_on_postgresql(pg_engine):
    _concurrent(pg_engine, threads=6, per_thread=25)


def test_a_rolled_back_transaction_leaves_a_gap_that_is_accepted(engine):
    _write(engine, 2)
    with Session(engine) as s:
        audit.household_viewed(s, GBD, 99, doel="teruggedraaid")
        s.flush()
        s.rollback()
    _write(engine, 2, start=10)
    report = _verify(engine)
    assert report.ok and report.rows == 4
    with Session(engine) as s:
        ids = s.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    if engine.dialect.name == "postgresql":  # a sequence never gives a number back
        assert ids[2] - ids[1] == 2


def test_a_late_commit_is_sealed_at_the_next_position_on_postgresql(pg_engine):
    with Session(pg_engine) as slow:
        late = audit.household_viewed(slow, GBD, 1, doel="langzaam").id  # id taken, not committed
        (early,) = _write(pg_engine, 1, start=2)
        assert audit.seal(pg_engine) == 1  # only the committed row
        slow.commit()
    assert audit.seal(pg_engine) == 1
    with Session(pg_engine) as s:
        order = s.scalars(select(AuditEvent.id).order_by(AuditEvent.keten_nr)).all()
    assert late < early and order == [early, late]
    assert _verify(pg_engine).ok


def test_an_unsealed_row_edited_before_sealing_is_detected(engine):
    ids = _write(engine, 3)
    _tamper(engine, f"UPDATE audit_event SET doel = 'iets anders' WHERE id = {ids[1]}")
    report = _verify(engine)  # seals first: the row's own HMAC no longer fits
    assert (report.ok, report.first_bad_id) == (False, ids[1])


@pytest.mark.parametrize("sealed", [True, False], ids=["as-sealed-row", "as-new-row"])
def test_an_inserted_row_is_detected(engine, sealed):
    ids = _write(engine, 3)
    audit.seal(engine)
    forged = (
        "INSERT INTO audit_event (tijdstip, gebruiker, rol, actie, object_type, object_id, "
        "resultaat, vorige_hash, hash, rij_mac, keten_nr) VALUES ('2026-11-26 10:00:00', "
        f"'gijs', 'gbd', 'huishouden_inzien', 'household', '5', 'ok', '', '{'a' * 64}', "
        f"'{'b' * 64}', {4 if sealed else 'NULL'})"
    )
    _tamper(engine, forged, "UPDATE audit_lock SET teller = 4" if sealed else "SELECT 1")
    report = _verify(engine)
    assert not report.ok and report.first_bad_id > ids[-1]
    assert report.rows == 3


def test_a_deleted_sealed_row_in_the_middle_is_detected(engine):
    ids = _write(engine, 5)
    audit.seal(engine)
    _tamper(engine, f"DELETE FROM audit_event WHERE id = {ids[2]}")
    report = _verify(engine)
    assert (report.ok, report.first_bad_id, report.rows) == (False, ids[3], 2)


def test_the_tail_cut_off_after_an_anchor_is_detected(engine):
    ids = _write(engine, 6)
    _anchor(engine)  # anchors row 6
    _write(engine, 2, start=10)
    audit.seal(engine)
    # cut rows 5..8 and lower the counter to match: the chain itself looks whole
    _tamper(engine, f"DELETE FROM audit_event WHERE id >= {ids[4]}",
            "UPDATE audit_lock SET teller = 4")  # fmt: skip
    report = _verify(engine)
    assert not report.ok and "anker" in report.reason and report.first_bad_id == ids[-1]


def test_the_tail_cut_off_with_the_anchors_is_caught_by_the_anchor_kept_outside(engine, tmp_path):
    ids = _write(engine, 6)
    outside = tmp_path / "ankers.log"
    outside.write_text(_anchor(engine).line() + "\n")
    _tamper(engine, f"DELETE FROM audit_event WHERE id >= {ids[3]}",
            "UPDATE audit_lock SET teller = 3", "DELETE FROM audit_anker")  # fmt: skip
    assert _verify(engine).ok  # what the database alone can tell
    report = _verify(engine, extern=parse_anchor(outside.read_text()))
    assert not report.ok and "ingekort" in report.reason


def test_a_forged_anchor_is_detected(engine):
    _write(engine, 3)
    anchor = _anchor(engine)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_anker (tijdstip, keten_nr, laatste_id, hash, handtekening) "
                 "VALUES (:t, 2, 2, :h, :s)"),
            {"t": anchor.tijdstip, "h": "c" * 64, "s": "d" * 64},
        )  # fmt: skip
    assert _verify(engine).ok  # the newest anchor (position 3) is the genuine one
    report = _verify(engine, volledig=True)
    assert not report.ok and "vervalst" in report.reason


def test_verify_from_the_last_anchor_checks_only_the_rows_after_it(engine):
    _write(engine, 10)
    first = _anchor(engine)
    assert first.keten_nr == 10
    _write(engine, 3, start=20)
    report = _verify(engine)
    assert (report.ok, report.rows, report.vanaf, report.tot) == (True, 3, 10, 13)
    assert _verify(engine, volledig=True).rows == 13
    second = _anchor(engine)
    assert (second.keten_nr, _verify(engine).rows) == (13, 0)


def test_an_edit_before_the_anchor_needs_the_full_check(engine):
    ids = _write(engine, 4)
    _anchor(engine)
    _tamper(engine, f"UPDATE audit_event SET gebruiker = 'iemand' WHERE id = {ids[1]}")
    assert _verify(engine).ok  # bounded: rows before the anchor were checked when it was made
    report = _verify(engine, volledig=True)
    assert (report.ok, report.first_bad_id) == (False, ids[1])


def test_anchor_line_round_trips_and_is_signed(engine):
    _write(engine, 2)
    anchor = _anchor(engine)
    again = parse_anchor(anchor.line())
    assert again == anchor and again.genuine()
    assert not parse_anchor(anchor.line().replace("keten=2", "keten=1")).genuine()


def test_kiss_audit_seal_anchor_and_verify(engine, tmp_path, capsys):
    ids = _write(engine, 4)
    assert kiss(["audit", "seal"]) == 0
    assert "4 auditregels verzegeld" in capsys.readouterr().out
    log = tmp_path / "ankers.log"
    assert kiss(["audit", "anchor", "--out", str(log)]) == 0
    out = capsys.readouterr().out
    assert "Audittrail intact: 4 regels gecontroleerd" in out and out.strip().endswith(
        log.read_text().strip()
    )
    _write(engine, 2, start=9)
    assert kiss(["audit", "verify", "--anker", str(log)]) == 0
    assert "2 regels gecontroleerd (vanaf anker op positie 4" in capsys.readouterr().out
    assert kiss(["audit", "verify", "--volledig"]) == 0
    assert "6 regels gecontroleerd (vanaf het begin" in capsys.readouterr().out
    _tamper(engine, f"DELETE FROM audit_event WHERE id = {ids[-1]}")
    assert kiss(["audit", "verify", "--anker", str(log)]) == 1
    assert "GEBROKEN" in capsys.readouterr().err
    assert kiss(["audit", "verify", "--anker", str(tmp_path / "weg.log")]) == 2
    assert kiss(["audit", "anchor", "--out", str(tmp_path / "geen" / "map.log")]) == 2


def test_the_background_sealer_seals_within_seconds(engine):
    _write(engine, 3)
    thread = audit.start_sealer(engine, interval=0.05)
    assert thread is not None and audit.start_sealer(engine) is thread  # one per engine
    deadline = time.monotonic() + 10
    try:
        with Session(engine) as s:
            while time.monotonic() < deadline:
                open_rows = s.scalar(
                    select(func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.keten_nr.is_(None))
                )
                s.rollback()
                if open_rows == 0:
                    break
                time.sleep(0.05)
    finally:
        stop_sealer(engine)
    assert open_rows == 0 and not thread.is_alive()


def test_the_sealer_can_be_turned_off(engine, monkeypatch):
    monkeypatch.setenv("KISS_AUDIT_SEALER", "uit")
    assert audit.start_sealer(engine) is None


def test_the_seal_is_the_only_update_the_database_allows(engine):
    (row_id,) = _write(engine, 1)
    _anchor(engine)  # seals the row and anchors it
    for stmt in (
        f"UPDATE audit_event SET keten_nr = 7 WHERE id = {row_id}",  # sealed once
        f"UPDATE audit_event SET hash = 'x' WHERE id = {row_id}",
        "DELETE FROM audit_anker",
    ):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(stmt))
    (new_id,) = _write(engine, 1, start=5)
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:  # content too
        conn.execute(text(f"UPDATE audit_event SET doel = 'x', keten_nr = 2 WHERE id = {new_id}"))
