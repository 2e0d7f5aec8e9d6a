"""Export to interchange format v1 and the round trip through ``kiss import``."""

from __future__ import annotations

import csv

from sqlalchemy import text

from data.export import export_csv
from data.load import load
from households.actor import SYSTEM
from households.db import session_scope
from tests.data.conftest import REFERENCE_DATE
from tests.data.db_check import db_stacking

REQUIRED = {
    "huishoudens": ["huishouden_id", "wijk", "buurt", "postcode", "huisnummer"],
    "personen": ["bsn", "huishouden_id", "geboortejaar", "rol", "naam"],
    "voorzieningen": ["bron_id", "bsn", "domein", "soort", "start", "einde", "aanbieder",
                      "maatwerk", "kosten_per_maand"],
    "schulden": ["bron_id", "bsn", "schuldeiser", "hoofdsom", "openstaand", "sinds",
                 "in_regeling"],
    "instellingen": ["instelling_id", "naam", "type", "contractvorm", "essentieel"],
}  # fmt: skip
IMPORT_ORDER = ("instellingen", "huishoudens", "personen", "voorzieningen", "schulden",
                "schuldstanden", "signalen", "betrokkenheden", "hulpvragen")  # fmt: skip


def _read(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=","))


def test_export_writes_every_kind_with_the_required_columns(small, tmp_path):
    paths = export_csv(small, tmp_path / "csv")
    assert [p.stem for p in paths] == list(IMPORT_ORDER)
    for stem, columns in REQUIRED.items():
        with (tmp_path / "csv" / f"{stem}.csv").open(encoding="utf-8") as fh:
            assert fh.readline().rstrip("\n").split(",") == columns
    assert len(_read(tmp_path / "csv" / "personen.csv")) == len(small.persons)
    assert len(_read(tmp_path / "csv" / "voorzieningen.csv")) == len(small.provisions)


def test_export_values_follow_the_format(small, tmp_path):
    export_csv(small, tmp_path)
    provisions = _read(tmp_path / "voorzieningen.csv")
    assert {r["maatwerk"] for r in provisions} == {"ja", "nee"}
    assert all(len(r["start"]) == 10 and r["start"][4] == "-" for r in provisions)
    assert any(r["einde"] == "" for r in provisions)
    assert all("." in r["kosten_per_maand"] and "," not in r["kosten_per_maand"]
               for r in provisions)  # fmt: skip
    debts = _read(tmp_path / "schulden.csv")
    first = small.debts.iloc[0]
    assert debts[0]["bron_id"] == first["bron_id"]
    assert debts[0]["hoofdsom"] == f"{first['hoofdsom']:.2f}"
    assert {r["in_regeling"] for r in debts} == {"ja", "nee"}
    institutions = _read(tmp_path / "instellingen.csv")
    assert {r["essentieel"] for r in institutions} == {"ja", "nee"}
    persons = _read(tmp_path / "personen.csv")
    assert persons[0]["bsn"] == small.persons.iloc[0]["bsn"]


def test_round_trip_through_import_equals_direct_load(small, engine, tmp_path, twin_engine):
    from households.importing import import_file
    from households.istandaarden import import_messages

    paths = export_csv(small, tmp_path, messages=25, seed=3)
    assert [p.name for p in paths[-2:]] == ["iwmo", "ijw"]
    with session_scope(engine) as session:
        for kind in IMPORT_ORDER:
            import_file(session, SYSTEM, kind, tmp_path / f"{kind}.csv")
        for standard in ("iwmo", "ijw"):
            files = [(p.name, p.read_bytes()) for p in sorted((tmp_path / standard).iterdir())]
            result = import_messages(session, SYSTEM, standard, files)
            assert result.allocated == 25
    imported = db_stacking(engine, REFERENCE_DATE)

    load(twin_engine, small)
    direct = db_stacking(twin_engine, REFERENCE_DATE)
    assert len(imported) == len(small.households)
    assert imported.equals(direct)
    assert imported["n_provisions"].sum() > 0 and imported["debt_outstanding_cent"].sum() > 0
    with engine.connect() as a, twin_engine.connect() as b:
        for table in ("signal", "involvement", "help_request", "provision", "schuldstand"):
            sql = text(f"SELECT count(*) FROM {table}")
            assert a.execute(sql).scalar_one() == b.execute(sql).scalar_one(), table
        sql = text("SELECT voordeur, count(*) FROM help_request GROUP BY voordeur ORDER BY 1")
        assert a.execute(sql).all() == b.execute(sql).all()
        sql = text(
            "SELECT s.sleutel, d.bron_id, s.peildatum, s.openstaand_cent FROM schuldstand s "
            "JOIN debt d ON d.id = s.debt_id ORDER BY s.sleutel"
        )
        assert a.execute(sql).all() == b.execute(sql).all()
