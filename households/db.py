"""Engine, session scope and the one declarative ``Base`` every bounded context shares.

The database comes from ``KISS_DATABASE_URL``; without it, a SQLite file ``kiss.db``
in the working directory. The schema is created and upgraded by Alembic only
(:func:`upgrade_schema`), never by ``create_all`` in production code.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from households.errors import Busy, InvalidInput, StorageFull
from households.settings import database_url, pool_settings
from households.validation import has_control_characters

__all__ = [
    "Base",
    "Engine",
    "Session",
    "make_engine",
    "session_scope",
    "transaction_memo",
    "upgrade_schema",
    "is_sqlite",
    "utcnow",
    "is_storage_full",
    "is_locked",
    "MSG_BUSY",
]

MSG_STORAGE_FULL = (
    "De opslag van de database is vol; er is niets opgeslagen. Maak ruimte vrij (of vraag "
    "de beheerder van de server) en probeer het daarna opnieuw."
)

MSG_BUSY = (  # the pool had no free connection, or SQLite's write lock stayed taken
    "Het is op dit moment erg druk: er kwam niet op tijd een verbinding met de database vrij. "
    "Er is niets opgeslagen. Probeer het over een ogenblik opnieuw."
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention (stable Alembic diffs)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    """Now in UTC as a naive datetime: how every timestamp column is stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@event.listens_for(Session, "before_flush")
def _refuse_control_characters(session: Session, _context, _instances) -> None:
    """Safety net under every form: no NUL or other control character reaches a text column.

    PostgreSQL refuses NUL in text outright and SQLite would store it silently; both
    backends must answer a user the same way, with a message instead of a traceback.
    """
    for obj in (*session.new, *session.dirty):
        for attr in obj.__mapper__.column_attrs:
            value = getattr(obj, attr.key, None)
            if isinstance(value, str) and has_control_characters(value):
                raise InvalidInput("Een tekstveld bevat ongeldige tekens.")


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-200000")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def _pool_kwargs(url: str) -> dict:
    """The pool of this process (``households.settings.pool_settings``); none for in-memory
    SQLite, which keeps one connection per thread."""
    if url.startswith("sqlite") and (url in ("sqlite://", "sqlite:///") or ":memory:" in url):
        return {}
    pool = pool_settings()
    kwargs = {
        "pool_size": pool.size,
        "max_overflow": pool.max_overflow,
        "pool_timeout": pool.timeout,
        "pool_recycle": pool.recycle,
    }
    if not url.startswith("sqlite"):  # a connection the server closed is replaced, not an error
        kwargs["pool_pre_ping"] = True
    return kwargs


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """Create an engine for ``url`` (default: ``households.settings.database_url()``).

    The connection pool is sized per process from the ``KISS_DB_POOL_*`` settings
    (explicit ``kwargs`` win); an exhausted pool becomes :class:`~households.errors.Busy`
    with a Dutch message in :func:`session_scope`.
    """
    url = url or database_url()
    kwargs.setdefault("hide_parameters", True)  # no personal values in logs or error texts
    if "poolclass" not in kwargs:
        for key, value in _pool_kwargs(url).items():
            kwargs.setdefault(key, value)
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, **kwargs)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any exception."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException as exc:
        session.rollback()
        if is_storage_full(exc):  # a full disk is said in Dutch, not as a traceback
            raise StorageFull(MSG_STORAGE_FULL) from exc
        if isinstance(exc, sa_exc.TimeoutError) or is_locked(exc):  # Dutch, not a traceback
            raise Busy(MSG_BUSY) from exc
        raise
    finally:
        session.close()


_MEMO = "kiss_transaction_memo"


def transaction_memo(session: Session) -> dict:
    """A dict that lives as long as the session's transaction: a value that every access
    rule of one unit of work needs (a setting of ``beheer``) is read once, not once per
    rule. Its writer drops its key; a commit or a rollback forgets everything."""
    return session.info.setdefault(_MEMO, {})


@event.listens_for(Session, "after_transaction_end")
def _forget_memo(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended
        session.info.pop(_MEMO, None)


def check_in(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK that ``column`` holds one of ``values`` (the codes of a model).

    >>> check_in("stap", ("a", "b"))
    "stap IN ('a', 'b')"
    """
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def redacted_url(url: str) -> str:
    """``url`` without its password, for messages ("(ongeldige URL)" when it is no URL)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL that is not even a URL
        return "(ongeldige URL)"


def is_unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be reached or its URL is wrong."""
    return isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError,
                            sa_exc.ArgumentError, sa_exc.NoSuchModuleError))  # fmt: skip


def is_locked(exc: BaseException) -> bool:
    """True when SQLite's write lock did not come free within ``busy_timeout``."""
    import sqlite3

    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlite3.OperationalError) and "database is locked" in str(orig)


def is_storage_full(exc: BaseException) -> bool:
    """True for "disk full" from either database (SQLITE_FULL; PostgreSQL SQLSTATE 53100)."""
    import sqlite3

    orig = getattr(exc, "orig", exc)
    if isinstance(orig, sqlite3.Error):
        return getattr(orig, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
    return getattr(orig, "sqlstate", None) == "53100"


MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine):
    """An Alembic config that runs the project's migrations on ``engine``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision`` with Alembic."""
    import_all_models()
    command.upgrade(alembic_config(engine), revision)


def import_all_models() -> None:
    """Import every bounded context's models so ``Base.metadata`` is complete."""
    for name in (
        "households.models",
        "households.dataversion",
        "households.audit",
        "coordination.models",
        "experiments.models",
        "coordination.loopmodels",
        "coordination.shvmodels",
        "coordination.steeringmodels",
    ):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a context without tables yet
            if exc.name != name:
                raise
