"""The `kiss` command: exit codes and one-line messages for bad input, never a traceback."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from app.cli import main, port_is_free

ROOT = Path(__file__).resolve().parents[1]


def test_help_exits_zero(capsys):
    assert main(["--help"]) == 0
    assert "kiss" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["bestaat-niet"],
        ["import", "onbekend", "x.csv"],
        ["report", "stacking", "--date", "31-02-2026"],
        ["report", "stacking", "--date", "gisteren"],
        ["user", "add", "iemand"],
    ],
)
def test_bad_arguments_exit_2_without_traceback(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip()


@pytest.mark.parametrize(
    ("argv", "dutch"),
    [
        (["bestaat-niet"], "ongeldige keuze 'bestaat-niet'"),
        (["import", "onbekend", "x.csv"], "ongeldige keuze 'onbekend'"),
        (["import"], "verplicht: kind, file"),
        (["serve", "--port", "abc"], "--port: ongeldige waarde 'abc'"),
        (["audit", "verify", "--extra"], "onbekende argumenten: --extra"),
    ],
)
def test_usage_errors_are_one_dutch_line(argv, dutch, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Fout: ")
    assert dutch in err
    for english in ("invalid choice", "required", "unrecognized", "usage:"):
        assert english not in err


def test_import_of_missing_file_names_the_file(db_url, tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    assert main(["import", "personen", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "Bestand niet gevonden" in err and "nope.csv" in err


def test_init_is_idempotent(db_url, capsys):
    assert main(["init"]) == 0
    assert main(["init"]) == 0
    assert "Schema bijgewerkt" in capsys.readouterr().out


def test_serve_on_a_busy_port_says_so_and_exits_2_before_any_url(capsys):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # no URL printed
    assert err.strip() == f"Fout: poort {port} is al in gebruik; kies een andere met --port."
    assert len(err.strip().splitlines()) == 1


def test_port_is_free_after_the_listener_is_gone():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert not port_is_free(port)
    assert port_is_free(port)


@pytest.mark.parametrize(
    ("argv", "demo", "serve"),
    [
        ([], "demo", "serve --port 8501"),
        (["--port", "8502"], "demo", "serve --port 8502"),
        (["--port=8503", "--households", "200"], "demo --households 200", "serve --port 8503"),
        (["--seed", "7", "--port", "8504"], "demo --seed 7", "serve --port 8504"),
    ],
)
def test_demo_script_sends_port_to_serve_and_the_rest_to_demo(tmp_path, argv, demo, serve):
    (tmp_path / "scripts").mkdir()
    script = tmp_path / "scripts" / "demo.sh"
    shutil.copy(ROOT / "scripts" / "demo.sh", script)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    log = tmp_path / "calls.log"
    for name in ("python", "kiss"):  # stand-ins that record how they were called
        stub = bin_dir / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n')
        stub.chmod(0o755)
    done = subprocess.run(["bash", str(script), *argv], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    assert calls[1:] == [f"kiss {demo}", f"kiss {serve}"]


def test_demo_script_refuses_port_without_a_number(tmp_path):
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo.sh"), "--port"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "Fout: --port verwacht een poortnummer."
