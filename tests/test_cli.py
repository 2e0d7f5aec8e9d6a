"""The `kiss` command: exit codes and one-line messages for bad input, never a traceback."""

from __future__ import annotations

import pytest

from app.cli import main


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


def test_import_of_missing_file_names_the_file(db_url, tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    assert main(["import", "personen", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "Bestand niet gevonden" in err and "nope.csv" in err


def test_init_is_idempotent(db_url, capsys):
    assert main(["init"]) == 0
    assert main(["init"]) == 0
    assert "Schema bijgewerkt" in capsys.readouterr().out
