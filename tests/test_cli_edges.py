"""Attack finding 7 of issue 16: every user-caused ``kiss`` failure is one Dutch line, exit 2.

The table replays the edge cases of the attack (and more) through the real entry point
:func:`app.cli.main`; a few run as a separate process through the installed ``kiss``
script, stdin closed (no terminal).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

KISS = Path(sys.executable).with_name("kiss")
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/kiss"
NUL_FILE = "huishouden_id,wijk\nH\x001,Noord\n"

# (argv with {tmp} for the test's folder, extra environment, a fragment of the message)
CASES = [
    (["report", "stacking", "--date", "0001-01-01"], {}, "datum buiten 01-01-1900 t/m"),
    (["report", "stacking", "--date", "9999-12-31"], {}, "datum buiten"),
    (["report", "overview", "--date", "0001-01-01"], {}, "datum buiten"),
    (["report", "overview", "--date", "9999-12-31", "--format", "csv"], {}, "datum buiten"),
    (["report", "stacking", "--date", "2024-1-1"], {}, "ongeldige datum"),
    (["retention", "run", "--date", "0001-01-01"], {}, "datum buiten"),
    (["report", "stacking", "--out", "{tmp}/weg/x.csv"], {}, "bestaat niet"),
    (["report", "stacking", "--out", "{tmp}"], {}, "is een map"),
    (["inzage", "--bsn", "123456782", "--out", "{tmp}/weg/x.txt"], {}, "bestaat niet"),
    (["audit", "anchor", "--out", "{tmp}"], {}, "is een map"),
    (["backup", "--out", "{tmp}/weg/b.kissbak"], {}, "bestaat niet"),
    (["demo", "--households", "-1"], {}, "heel getal van 1"),
    (["demo", "--households", "0"], {}, "heel getal van 1"),
    (["demo", "--households", "veel"], {}, "heel getal van 1"),
    (["bench", "--households", "-5"], {}, "heel getal van 1"),
    (["bench", "--seconds", "-1"], {}, "seconden"),
    (["user", "add", "piet", "--role", "gbd"], {}, "Geen terminal"),
    (["report", "stacking"], {"KISS_SECRET_KEY": "", "KISS_KEY_FILE": "{tmp}/geen.key"},
     "Geen sleutel"),
    (["report", "stacking"], {"KISS_DATABASE_URL": UNREACHABLE}, "niet bereikbaar"),
    (["init"], {"KISS_DATABASE_URL": "foo://x"}, "niet bereikbaar of de URL klopt niet"),
    (["init"], {"KISS_DATABASE_URL": "onzin"}, "(ongeldige URL)"),
    (["report", "stacking"], {"KISS_DB_POOL_SIZE": "abc"}, "KISS_DB_POOL_SIZE moet een getal"),
    (["import", "huishoudens", "{tmp}"], {}, "Bestand niet gevonden"),
    (["import", "huishoudens", "{tmp}/nul.csv"], {}, "ongeldige tekens"),
    (["restore", "{tmp}/geen.kissbak"], {}, "niet gevonden"),
    (["audit", "verify", "--anker", "{tmp}/geen-anker.txt"], {}, "bestaat niet"),
    (["inzage", "--bsn", "123"], {}, "geldig BSN"),
    (["serve", "--port", "0"], {}, "poort 0 bestaat niet"),
]  # fmt: skip


def _fill(value: str, tmp: Path) -> str:
    return value.replace("{tmp}", str(tmp))


@pytest.fixture
def workdir(db_url, tmp_path, capsys):
    assert main(["init"]) == 0
    (tmp_path / "nul.csv").write_text(NUL_FILE, encoding="utf-8")
    capsys.readouterr()
    return tmp_path


@pytest.mark.parametrize(("argv", "env", "fragment"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_user_caused_failure_is_one_dutch_line_and_exit_2(
    workdir, monkeypatch, capsys, argv, env, fragment
):
    for name, value in env.items():
        monkeypatch.setenv(name, _fill(value, workdir))
    from households.bsn import secret_key

    secret_key.cache_clear()
    code = main([_fill(a, workdir) for a in argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and err.startswith("Fout: ")
    assert fragment in err
    if "nul.csv" not in " ".join(argv):  # an import rejection lists every bad row below
        assert err.count("\n") == 1, err


def test_at_least_22_cases():
    assert len(CASES) >= 22


@pytest.mark.parametrize(
    ("argv", "env", "fragment"),
    [
        (["report", "stacking", "--date", "0001-01-01"], {}, "datum buiten"),
        (["user", "add", "piet", "--role", "gbd"], {}, "Geen terminal"),
        (["report", "overview"], {"KISS_DATABASE_URL": UNREACHABLE}, "niet bereikbaar"),
    ],
)
def test_the_installed_command_without_a_terminal(db_url, argv, env, fragment):
    run = subprocess.run(
        [str(KISS), *argv], stdin=subprocess.DEVNULL, capture_output=True, text=True,
        env={**os.environ, **env}, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1
    assert fragment in run.stderr
