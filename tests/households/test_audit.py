"""Audit trail: typed events, hash chain, tamper detection, concurrency, beheer reading."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.cli import main as kiss
from households import audit
from households.access import refuse
from households.actor import SYSTEM, Actor
from households.audit import Event, verify_chain
from households.audit.log import AuditFilter, events_csv, search_events
from households.audit.writer import row_hash
from households.errors import AccessDenied
from households.models import AuditEvent, User

GBD = Actor(user_id=None, naam="gijs", rol="gbd")


def _user(session: Session, naam: str, rol: str) -> Actor:
    user = User(naam=naam, rol=rol, wachtwoord_hash="x", mislukte_pogingen=0)
    session.add(user)
    session.commit()
    return Actor(user.id, naam, rol)


@pytest.fixture
def beheer(session) -> Actor:
    """A real beheer account: the access core re-reads the role from the database."""
    return _user(session, "bea", "beheer")


def _write_rows(session: Session, n: int) -> list[int]:
    ids = [audit.record(session, GBD, Event.HUISHOUDEN_INZIEN, "household", i).id for i in range(n)]
    session.commit()
    audit.seal(session.get_bind())  # what the app's sealer does within a second
    return ids


def _drop_append_only_triggers(engine: Engine) -> None:
    """What an attacker with database rights would do before tampering."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_event_no_update"))
            conn.execute(text("DROP TRIGGER audit_event_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER audit_event_no_change ON audit_event"))


def test_intact_chain_verifies(session):
    _write_rows(session, 5)
    assert verify_chain(session) == audit.ChainReport(ok=True, rows=5)


def test_empty_trail_verifies(session):
    assert verify_chain(session).ok


def test_rows_link_to_their_predecessor(session):
    ids = _write_rows(session, 3)
    rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [r.id for r in rows] == ids
    assert rows[0].vorige_hash == audit.GENESIS
    assert [r.vorige_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]


def test_edited_row_is_detected(engine, session):
    ids = _write_rows(session, 4)
    _drop_append_only_triggers(engine)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_event SET gebruiker = 'iemand' WHERE id = :i"), {"i": ids[1]}
        )
    report = verify_chain(session)
    assert (report.ok, report.first_bad_id, report.rows) == (False, ids[1], 1)
    assert "gewijzigd" in report.reason


def test_removed_row_is_detected(engine, session):
    ids = _write_rows(session, 4)
    _drop_append_only_triggers(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": ids[2]})
    report = verify_chain(session)
    assert (report.ok, report.first_bad_id) == (False, ids[3])
    assert "ontbreekt" in report.reason


def test_removed_last_row_is_detected(engine, session):
    ids = _write_rows(session, 3)
    _drop_append_only_triggers(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": ids[-1]})
    report = verify_chain(session)
    assert not report.ok and report.rows == 2
    assert "ontbreken" in report.reason


def test_rechaining_without_the_key_is_detected(engine, session):
    """An attacker who recomputes the hashes (without the key outside the DB) is caught."""
    ids = _write_rows(session, 3)
    _drop_append_only_triggers(engine)
    key = b"guessed-key"
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actie = 'niets' WHERE id = :i"), {"i": ids[0]})
    s2 = Session(engine)
    previous = audit.GENESIS
    for row in s2.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        fields = {
            c: getattr(row, c)
            for c in ("tijdstip", "gebruiker", "rol", "actie", "object_type", "object_id",
                      "resultaat", "doel", "oud", "nieuw")
        }  # fmt: skip
        row.vorige_hash, row.hash = previous, row_hash(fields, previous, key)
        previous = row.hash
    s2.commit()
    s2.close()
    report = verify_chain(session)
    assert (report.ok, report.first_bad_id) == (False, ids[0])


def _concurrent_writers(engine: Engine, threads: int = 2, per_thread: int = 20) -> None:
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        actor = Actor(None, f"schrijver{n}", "gbd")
        try:
            barrier.wait()
            for i in range(per_thread):
                with Session(engine) as s:
                    audit.record(s, actor, Event.HUISHOUDEN_INZIEN, "household", i)
                    s.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    with Session(engine) as s:
        assert verify_chain(s) == audit.ChainReport(ok=True, rows=threads * per_thread)
        forks = s.execute(
            select(AuditEvent.vorige_hash).group_by(AuditEvent.vorige_hash).having(func.count() > 1)
        ).all()
        assert forks == []


def test_concurrent_writers_do_not_fork_the_chain(engine):
    _concurrent_writers(engine)


def test_concurrent_writers_do_not_fork_the_chain_on_postgresql(pg_engine):
    _concurrent_writers(pg_engine, threads=4)


def test_typed_events(session):
    audit.household_viewed(session, GBD, 7, doel="casustafel")
    audit.export_made(session, GBD, "stapeling", 12)
    audit.record(session, GBD, Event.REGIE_TOEWIJZEN, "regie", 3, oud=None, nieuw={"houder": 2})
    audit.login_attempt(session, GBD, "mislukt", user_id=None)
    audit.access_refused(session, GBD, Event.HUISHOUDEN_INZIEN, "household", 8)
    session.commit()
    rows = session.execute(
        select(AuditEvent.actie, AuditEvent.object_id, AuditEvent.resultaat).order_by(AuditEvent.id)
    ).all()
    assert rows == [
        ("huishouden_inzien", "7", "ok"),
        ("exporteren", None, "ok"),
        ("regie_toewijzen", "3", "ok"),
        ("inloggen", None, "mislukt"),
        ("huishouden_inzien", "8", "geweigerd"),
    ]
    assert verify_chain(session).ok


def test_refuse_discards_pending_work_and_keeps_the_audit_row(session):
    session.add(User(naam="halfweg", rol="gbd", wachtwoord_hash="x", mislukte_pogingen=0))
    session.flush()
    with pytest.raises(AccessDenied, match="nee"):
        refuse(session, GBD, Event.HUISHOUDEN_INZIEN, "household", 1, "nee")
    assert session.scalar(select(func.count()).select_from(User)) == 0
    assert session.scalar(select(AuditEvent.resultaat)) == "geweigerd"


def test_cli_verify_exit_codes(engine, session, capsys):
    ids = _write_rows(session, 3)
    assert kiss(["audit", "verify"]) == 0
    assert "3 regels" in capsys.readouterr().out
    _drop_append_only_triggers(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET doel = 'x' WHERE id = :i"), {"i": ids[1]})
    assert kiss(["audit", "verify"]) == 1
    assert f"GEBROKEN bij regel {ids[1]}" in capsys.readouterr().err


def test_search_events_filters_and_is_beheer_only(session, beheer):
    audit.record(session, GBD, Event.HUISHOUDEN_INZIEN, "household", 1)
    vera = Actor(None, "vera", "voordeur")
    audit.record(session, vera, Event.HUISHOUDEN_OPENEN, "household", 2)
    audit.record(session, GBD, Event.HUISHOUDEN_INZIEN, "household", 3, resultaat="geweigerd")
    session.commit()
    rows = search_events(session, beheer, AuditFilter(gebruiker="gijs", resultaat="ok"))
    assert [(r["actie"], r["object_id"]) for r in rows] == [("huishouden_inzien", "1")]
    today = dt.datetime.now(dt.UTC).date()
    assert len(search_events(session, beheer, AuditFilter(van=today, tot=today))) == 4
    assert search_events(session, beheer, AuditFilter(tot=today - dt.timedelta(days=1))) == []
    with pytest.raises(AccessDenied):
        search_events(session, GBD, AuditFilter())


def test_csv_export_is_audited_and_defuses_formulas(session, beheer):
    audit.record(session, GBD, Event.REGELS_WIJZIGEN, "household", 1, doel='=HYPERLINK("x")')
    session.commit()
    text_out = events_csv(session, beheer, AuditFilter(actie="regels_wijzigen"))
    lines = text_out.splitlines()
    assert lines[0].startswith("id,tijdstip,gebruiker,rol,actie")
    assert len(lines) == 2 and "'=HYPERLINK" in lines[1]
    last = session.execute(
        select(AuditEvent.actie, AuditEvent.gebruiker, AuditEvent.nieuw)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).one()
    assert last.actie == "exporteren" and last.gebruiker == "bea"
    assert '"soort": "auditlog"' in last.nieuw and '"rijen": 1' in last.nieuw


def test_csv_export_refused_for_other_roles(session):
    kim = _user(session, "kim", "kiss")
    with pytest.raises(AccessDenied):
        events_csv(session, kim, AuditFilter())
    assert session.scalar(select(AuditEvent.resultaat)) == "geweigerd"


def test_system_actor_may_read(session):
    assert search_events(session, SYSTEM, AuditFilter()) == []


def test_missing_lock_row_is_reported_and_stops_the_sealer_not_the_writers(engine, session):
    _write_rows(session, 2)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_lock"))
    report = verify_chain(session)
    assert not report.ok and "audit_lock" in report.reason
    audit.record(session, GBD, Event.HUISHOUDEN_INZIEN, "household", 1)  # no lock taken
    session.commit()
    with pytest.raises(RuntimeError, match="audit_lock"):
        audit.seal(engine)


def test_over_long_values_are_clipped_so_the_row_is_always_written(session):
    actor = Actor(None, "n" * 200, "r" * 50)
    event = audit.record(session, actor, Event.HUISHOUDEN_INZIEN, "t" * 90, 10**80)
    session.commit()
    assert (len(event.gebruiker), len(event.rol), len(event.object_type)) == (80, 20, 40)
    assert len(event.object_id) == 64 and verify_chain(session).ok


def test_nul_bytes_do_not_break_the_audit_row(session):
    event = audit.record(
        session, GBD, Event.HUISHOUDEN_OPENEN, "household", 1, doel="a\x00b", nieuw={"x": "\x00"}
    )
    session.commit()
    assert "\x00" not in event.doel and verify_chain(session).ok


def test_record_many_writes_one_structured_row_in_the_chain(session):
    audit.record(session, SYSTEM, Event.HUISHOUDEN_OPENEN, "household", 1)
    assert audit.record_many(session, SYSTEM, Event.ZOEKEN, "household", [7, 8, 9],
                             nieuw={"zoekwijze": "naam"}) == 3  # fmt: skip
    audit.record(session, SYSTEM, Event.HUISHOUDEN_OPENEN, "household", 2)
    session.commit()
    rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(r.actie, r.object_type, r.object_id) for r in rows[-3:]] == [
        ("huishouden_openen", "household", "1"), ("zoeken", "household", None),
        ("huishouden_openen", "household", "2"),
    ]  # fmt: skip
    assert json.loads(rows[-2].nieuw) == {"ids": [7, 8, 9], "zoekwijze": "naam"}
    assert verify_chain(session).ok
