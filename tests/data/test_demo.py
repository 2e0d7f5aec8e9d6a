"""``run_demo``: generate, load, export and the optional seeding steps."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from data.demo import optional_step, run_demo
from data.load import NOT_EMPTY_MESSAGE, load
from households.errors import KissError


def test_run_demo_loads_exports_and_summarises(engine, tmp_path, capsys):
    summary = run_demo(engine, households=400, seed=3, export_dir=tmp_path / "csv")
    out = capsys.readouterr().out
    assert summary["counts"]["household"] == 400
    assert sorted(p.name for p in summary["export"]) == [
        "huishoudens.csv", "instellingen.csv", "personen.csv", "schulden.csv", "voorzieningen.csv",
    ]  # fmt: skip
    assert "Klaar. Samenvatting:" in out and "huishoudens" in out
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM household")).scalar_one() == 400
        users = conn.execute(text("SELECT COUNT(*) FROM app_user")).scalar_one()
    if optional_step("households.accounts", "create_demo_users") is not None:
        assert users >= 5 and "wachtwoord" in out


def test_run_demo_refuses_a_filled_database(engine, small, capsys):
    load(engine, small)
    with pytest.raises(KissError, match=NOT_EMPTY_MESSAGE):
        run_demo(engine, households=50, seed=1, export_dir=None)


def test_optional_step_missing_module_is_none():
    assert optional_step("households.no_such_module", "seed") is None
    assert optional_step("no_such_package.demo", "seed") is None


def test_optional_step_broken_module_is_not_swallowed(tmp_path, monkeypatch):
    (tmp_path / "kiss_broken_step.py").write_text("import kiss_missing_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match="kiss_missing_dependency"):
        optional_step("kiss_broken_step", "seed")
