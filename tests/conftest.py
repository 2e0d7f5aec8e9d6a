"""Test databases: every test gets a fresh, migrated database.

Backend: SQLite by default; PostgreSQL when ``KISS_TEST_BACKEND=postgresql``
(server from ``KISS_TEST_PG_URL``, default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
The schema is built once per session by Alembic into a template; each test gets
a copy (SQLite: a file copy; PostgreSQL: ``CREATE DATABASE ... TEMPLATE``).
Under ``CI=true`` an unreachable PostgreSQL is an error, never a skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from households.db import make_engine, upgrade_schema

TEST_KEY = "test-key-not-for-production"
# Steering figures never lag behind writes in tests (households/figurecache.py; the tests
# of lagging figures set their own value). Set here, before any test server is started.
os.environ.setdefault("KISS_CIJFERS_MAX_OUD", "0")
PG_ADMIN_URL = os.environ.get(
    "KISS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def backend() -> str:
    """The backend under test: ``sqlite`` or ``postgresql``."""
    return os.environ.get("KISS_TEST_BACKEND", "sqlite").lower()


@pytest.fixture(autouse=True, scope="session")
def _bootstrap() -> None:
    """Wire the household access rules once, as app/main.py and the CLI do."""
    from app.bootstrap import bootstrap

    bootstrap()


@pytest.fixture(autouse=True)
def _secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from households.bsn import secret_key

    monkeypatch.setenv("KISS_SECRET_KEY", TEST_KEY)
    secret_key.cache_clear()


def _pg_admin() -> Engine:
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def pg_available() -> bool:
    """True when the PostgreSQL test server answers."""
    try:
        with _pg_admin().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def _require_pg() -> None:
    if pg_available():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required under CI=true but {PG_ADMIN_URL} does not answer")
    pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")


class _PgTemplates:
    """Creates a migrated template database once; clones it per test."""

    def __init__(self) -> None:
        self.template: str | None = None
        self.created: list[str] = []

    def _url(self, name: str) -> str:
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def clone(self) -> str:
        admin = _pg_admin()
        if self.template is None:
            self.template = f"kiss_tpl_{uuid.uuid4().hex[:10]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.template}"'))
            self.created.append(self.template)
            eng = make_engine(self._url(self.template))
            upgrade_schema(eng)
            eng.dispose()
        name = f"kiss_t_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        self.created.append(name)
        return self._url(name)

    def drop_all(self) -> None:
        if not self.created:
            return
        with _pg_admin().connect() as conn:
            for name in reversed(self.created):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def _pg_templates() -> Iterator[_PgTemplates]:
    templates = _PgTemplates()
    yield templates
    templates.drop_all()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    eng = make_engine(f"sqlite:///{path}")
    upgrade_schema(eng)
    with eng.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return str(path)


def _fresh_url(request: pytest.FixtureRequest, tmp_path, which: str) -> str:
    if which == "postgresql":
        _require_pg()
        return request.getfixturevalue("_pg_templates").clone()
    template = request.getfixturevalue("_sqlite_template")
    target = tmp_path / "kiss.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    """URL of a fresh migrated database on the backend under test (also in KISS_DATABASE_URL)."""
    url = _fresh_url(request, tmp_path, backend())
    monkeypatch.setenv("KISS_DATABASE_URL", url)
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a fresh migrated database."""
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on a fresh database; the test decides when to commit."""
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def account(session: Session):
    """Factory: ``account(naam, rol)`` creates an active user and returns its ``Actor``.

    The access core re-reads the role from ``app_user``, so a test actor needs a real account.
    """
    from households.actor import Actor
    from households.models import User

    def make(naam: str, rol: str) -> Actor:
        user = User(naam=naam, rol=rol, wachtwoord_hash="$argon2id$niet-bruikbaar")
        session.add(user)
        session.commit()
        return Actor(user.id, naam, rol)

    return make


@pytest.fixture
def pg_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A fresh migrated PostgreSQL database, whatever the backend under test."""
    eng = make_engine(_fresh_url(request, tmp_path, "postgresql"))
    yield eng
    eng.dispose()


@pytest.fixture
def make_actor(session: Session):
    """Factory for real users: ``make_actor("kiss")`` is an active ``kiss`` user and its Actor.

    Each call adds a new user (name ``<rol><n>`` unless ``naam`` is given) to the test's session.
    """
    from tests.builders import make_user

    counter = iter(range(1, 1_000))

    def make(rol: str = "gbd", naam: str | None = None):
        return make_user(session, naam or f"{rol}{next(counter)}", rol)

    return make
