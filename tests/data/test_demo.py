"""``run_demo``: generate, load, export and the seeding of the demo workflows."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from data.demo import run_demo
from data.load import NOT_EMPTY_MESSAGE, load
from households.errors import KissError
from households.settings import demo_password


def test_run_demo_loads_exports_and_summarises(engine, tmp_path, capsys):
    summary = run_demo(engine, households=400, seed=3, export_dir=tmp_path / "csv")
    out = capsys.readouterr().out
    assert summary["counts"]["household"] == 400
    assert sorted(p.name for p in summary["export"]) == [
        "betrokkenheden.csv", "huishoudens.csv", "hulpvragen.csv", "ijw", "instellingen.csv",
        "iwmo", "personen.csv", "schulden.csv", "schuldstanden.csv", "signalen.csv",
        "voorzieningen.csv",
    ]  # fmt: skip
    assert any(p.name == "iwmo" and any(p.glob("*-301.xml")) for p in summary["export"])
    assert "Klaar. Samenvatting:" in out and "huishoudens" in out
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM household")).scalar_one() == 400
        users = conn.execute(text("SELECT COUNT(*) FROM app_user")).scalar_one()
        members = conn.execute(text("SELECT COUNT(*) FROM experiment_member")).scalar_one()
        tables = conn.execute(text("SELECT COUNT(*) FROM case_table")).scalar_one()
    assert users >= 11 and "wachtwoord" in out  # one per role + proeftuin staff
    assert members > 0 and tables == 3
    with engine.connect() as conn:
        accounts = conn.execute(text("SELECT naam, rol FROM app_user")).all()
    table = out[out.rindex("Demo-accounts (alleen voor de demo") :].splitlines()[2:]
    printed = {tuple(line.split()) for line in table if line.startswith("  ")}
    password = demo_password()
    # every account the demo created, gbd.collega (four-eyes review) included, can log in
    assert {(naam, rol, password) for naam, rol in accounts} <= printed
    assert ("gbd.collega", "gbd", password) in printed
    assert summary["optional"]["logins"] and out.rstrip().splitlines()[-1].startswith("  ")


def test_run_demo_refuses_a_filled_database(engine, small, capsys):
    load(engine, small)
    with pytest.raises(KissError, match=NOT_EMPTY_MESSAGE):
        run_demo(engine, households=50, seed=1, export_dir=None)
