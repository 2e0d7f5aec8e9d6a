"""Pseudonymisation and leak checks: no BSN, password or key in any output, log, row or export.

The tests feed data with known BSNs and passwords through the CLI and the services,
capture stdout, stderr and every log record (SQLAlchemy's statement log included, so
even the parameters sent to the database are scanned), and look for the secrets.
"""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from app.cli import main as kiss
from households.accounts import authenticate, create_user
from households.actor import SYSTEM, Actor
from households.audit.log import AuditFilter, events_csv
from households.bsn import hash_bsn
from households.db import Base, import_all_models
from households.errors import AccessDenied
from households.models import Person
from tests.conftest import TEST_KEY

ROOT = Path(__file__).resolve().parents[1]
BSNS = ("111222333", "123456782", "100000009")
INVALID_BSN = "123456789"  # fails the elfproef: must not be echoed in the error either
PASSWORD = "geheim-wachtwoord-voor-de-test"
WRONG_PASSWORD = "verkeerd-geheim-wachtwoord-42"
SECRETS = (*BSNS, INVALID_BSN, PASSWORD, WRONG_PASSWORD, TEST_KEY)

HOUSEHOLDS = "huishouden_id;wijk;buurt;postcode;huisnummer\nH1;Noord;Kern;6441AB;12\nH2;Oost;;;\n"
PERSONS = (
    "bsn,huishouden_id,geboortejaar,rol,naam\n"
    f"{BSNS[0]},H1,1980,hoofdbewoner,Jan Jansen\n"
    f"{BSNS[1]},H1,1984,partner,Els Jansen\n"
    f"{BSNS[2]},H2,1990,hoofdbewoner,Piet Pieters\n"
)
DEBTS = (
    "bron_id;bsn;schuldeiser;hoofdsom;openstaand;sinds\n"
    f"S1;{BSNS[0]};ISD BOL terugvordering;1000,00;800,00;2024-01-01\n"
)
BAD_PERSONS = f"bsn,huishouden_id,geboortejaar,rol,naam\n{INVALID_BSN},H1,1980,kind,Kees\n"


def _assert_clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} found in {where}"


def _write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


@pytest.fixture
def loaded(db_url, tmp_path, capsys, caplog, monkeypatch) -> str:
    """Run the CLI over files with known BSNs and a new user's password; return all output."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # statements and parameters
    codes = [
        kiss(["import", "huishoudens", _write(tmp_path, "h.csv", HOUSEHOLDS)]),
        kiss(["import", "personen", _write(tmp_path, "p.csv", PERSONS)]),
        kiss(["import", "schulden", _write(tmp_path, "s.csv", DEBTS)]),
        kiss(["import", "personen", _write(tmp_path, "fout.csv", BAD_PERSONS)]),
    ]
    monkeypatch.setenv("KISS_NEW_PASSWORD", PASSWORD)
    codes.append(kiss(["user", "add", "vera", "--role", "voordeur"]))
    codes.append(kiss(["report", "stacking", "--out", str(tmp_path / "stapeling.csv")]))
    codes.append(kiss(["report", "overview"]))
    codes.append(kiss(["report", "overview", "--format", "csv"]))
    codes.append(kiss(["audit", "verify"]))
    assert codes == [0, 0, 0, 2, 0, 0, 0, 0, 0]
    out = capsys.readouterr()
    return "\n".join([out.out, out.err, caplog.text, (tmp_path / "stapeling.csv").read_text()])


def test_cli_output_logs_and_reports_hold_no_secrets(loaded):
    assert "INSERT INTO" in loaded  # the statement log was captured, parameters and all
    _assert_clean(loaded, "CLI output, logs or the stacking report")


def test_person_table_holds_only_the_keyed_hash(loaded, engine):
    import_all_models()
    columns = {c["name"] for c in inspect(engine).get_columns("person")}
    assert "bsn" not in columns and "bsn_hash" in columns
    with engine.connect() as conn:
        hashes = set(conn.scalars(select(Person.bsn_hash)))
    assert hashes == {hash_bsn(b) for b in BSNS}


def test_no_table_holds_a_clear_bsn_or_password(loaded, engine, session, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    vera = authenticate(session, "vera", PASSWORD)
    session.commit()
    for typed in (WRONG_PASSWORD, PASSWORD + "x"):
        with pytest.raises(AccessDenied):
            authenticate(session, "vera", typed)
    from households.search import find_households

    hits = find_households(session, vera, bsn=BSNS[0])
    assert hits
    session.commit()
    _assert_clean(caplog.text, "logs of login and search")
    # A password typed into the name field: the name is necessarily a query parameter
    # (so not scanned in the statement log above), but it must not be stored anywhere.
    with pytest.raises(AccessDenied):
        authenticate(session, PASSWORD, PASSWORD)
    import_all_models()
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                _assert_clean(repr(tuple(row)), f"table {table.name}")


def test_audit_export_holds_no_secrets(loaded, session):
    bea = create_user(session, SYSTEM, "bea", "beheer", PASSWORD + "-beheer")
    session.commit()
    text = events_csv(session, Actor(bea.id, "bea", "beheer"), AuditFilter())
    assert len(text.splitlines()) > 3
    _assert_clean(text, "the audit CSV export")


def _cache_decorated_functions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                if any(k in ast.unparse(deco) for k in ("cache_data", "cache_resource", "cache(")):
                    found.append(node.name)
    return found


def test_only_the_engine_is_cached_across_users():
    """Nothing personal in a cache shared between users: the engine is the only cached thing."""
    cached = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        names = _cache_decorated_functions(path)
        source = path.read_text(encoding="utf-8")
        # st.cache_data(...)(fn) and similar call forms count too.
        calls = source.count("cache_data") + source.count("cache_resource")
        if names or calls:
            cached[str(path.relative_to(ROOT))] = (names, calls)
    assert cached == {
        "app/context.py": (["_engine_for"], 1),
        "app/server.py": (["_engine"], 0),  # the cookie routes' engine (outside a script run)
    }
