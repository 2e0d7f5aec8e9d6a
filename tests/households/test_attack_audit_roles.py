"""Attack finding 4 of issue 16 (DESIGN 8.5): the application role cannot rewrite the audit.

On PostgreSQL the app's own database user owned the audit table, so it could disable the
trigger, delete the newest rows and lower the counter. Now the schema owner migrates and
``kiss db roles`` sets up an application role that can only read and append the audit;
the app works as that role (writes, seals, anchors) and every step of the attack fails.
On both databases a tail cut by someone with the owner's rights is caught by ``kiss audit
verify`` against the anchor kept outside the database.
"""

from __future__ import annotations

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.cli import main as kiss
from households import audit
from households.actor import SYSTEM
from households.db import make_engine
from households.dbroles import grant_app_role
from households.models import AuditEvent, Household

APP_ROLE = "kiss_app_test"
ATTACKS = [
    "DELETE FROM audit_event WHERE id IN (SELECT id FROM audit_event ORDER BY id DESC LIMIT 3)",
    "ALTER TABLE audit_event DISABLE TRIGGER ALL",
    "ALTER TABLE audit_event DISABLE TRIGGER USER",
    "DROP TRIGGER audit_event_no_change ON audit_event",
    "UPDATE audit_lock SET teller = teller - 3",
    "UPDATE audit_lock SET teller = 0",
    "DELETE FROM audit_lock",
    "TRUNCATE audit_event",
    "TRUNCATE audit_lock",
    "UPDATE audit_event SET doel = 'niets gebeurd'",
    "DELETE FROM audit_anker",
    "DROP TABLE audit_event",
    "CREATE TABLE schaduw (id int)",
    "ALTER TABLE audit_event OWNER TO " + APP_ROLE,
]

REFUSED = "permission denied|must be owner|audit_lock volgt de keten"


def _write(engine, n: int) -> None:
    with Session(engine) as s:
        for i in range(n):
            audit.record(s, SYSTEM, audit.Event.HUISHOUDEN_INZIEN, "household", i, doel="test")
        s.commit()


@pytest.fixture
def app_engine(pg_engine):
    """The schema migrated by the owner (the fixture's user), the app connected as its role."""
    grant_app_role(pg_engine, APP_ROLE)
    grant_app_role(pg_engine, APP_ROLE)  # idempotent
    _write(pg_engine, 6)
    engine = make_engine(pg_engine.url.set(username=APP_ROLE).render_as_string(hide_password=False))
    yield engine
    engine.dispose()


def test_the_app_role_works_writes_seals_and_anchors(app_engine):
    _write(app_engine, 4)
    assert audit.seal(app_engine) == 10
    with Session(app_engine) as s:
        s.add(Household(huishouden_id="H1", wijk="Noord"))
        s.flush()
        s.delete(s.scalars(select(Household)).one())  # ordinary data: read, write, delete
        report, anchor = audit.write_anchor(s)
        s.commit()
    assert report.ok and anchor is not None and anchor.keten_nr == 10


@pytest.mark.parametrize("attack", ATTACKS)
def test_every_step_of_the_attack_fails_for_the_app_role(app_engine, attack):
    audit.seal(app_engine)
    with pytest.raises(sa_exc.DBAPIError, match=REFUSED), app_engine.begin() as conn:
        conn.execute(text(attack))
    with Session(app_engine) as s:
        assert len(s.scalars(select(AuditEvent.id)).all()) == 6
        assert audit.verify_chain(s, volledig=True).ok


def test_only_the_owner_may_set_up_roles(app_engine):
    from households.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="eigenaar"):
        grant_app_role(app_engine, "kiss_app_ander")


def test_kiss_db_roles_and_init_use_the_migration_url(pg_engine, monkeypatch, capsys):
    owner = pg_engine.url.render_as_string(hide_password=False)
    app = pg_engine.url.set(username=APP_ROLE).render_as_string(hide_password=False)
    monkeypatch.setenv("KISS_MIGRATION_URL", owner)
    monkeypatch.setenv("KISS_DATABASE_URL", app)
    assert kiss(["db", "roles", "--app-role", APP_ROLE]) == 0
    assert "Applicatierol kiss_app_test" in capsys.readouterr().out
    assert kiss(["init"]) == 0  # migrates as the owner, though the app URL is the app role
    monkeypatch.setenv("KISS_MIGRATION_URL", app)
    assert kiss(["db", "roles", "--app-role", "kiss_app_ander"]) == 2
    assert "eigenaar" in capsys.readouterr().err


def test_a_cut_tail_with_a_lowered_counter_is_caught_by_kiss_audit_verify(engine, tmp_path, capsys):
    """The attack of the finding, by someone with the owner's rights, on both databases."""
    _write(engine, 8)
    anchors = tmp_path / "ankers.log"
    assert kiss(["audit", "anchor", "--out", str(anchors)]) == 0
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            for name in ("audit_event_no_update", "audit_event_no_delete", "audit_anker_no_delete"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        else:
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
            conn.execute(text("ALTER TABLE audit_anker DISABLE TRIGGER USER"))
        conn.execute(text("DELETE FROM audit_event WHERE keten_nr > 5"))
        conn.execute(text("UPDATE audit_lock SET teller = teller - 3"))
        conn.execute(text("DELETE FROM audit_anker"))
    capsys.readouterr()
    assert kiss(["audit", "verify"]) == 0  # what the database alone can tell: "intact"
    assert kiss(["audit", "verify", "--anker", str(anchors)]) == 1
    assert "GEBROKEN" in capsys.readouterr().err
