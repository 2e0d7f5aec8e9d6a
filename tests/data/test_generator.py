"""The synthetic Brunssum generator: determinism, valid BSNs, realism, calibration."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data import reference as ref
from data.events import EVENT_DAYS
from data.generator import generate
from data.provisions import combination_quota
from households.bsn import is_valid_bsn
from tests.data.conftest import REFERENCE_DATE
from tests.data.stacking_check import household_stacking

D = pd.Timestamp(REFERENCE_DATE)


def test_same_seed_gives_identical_frames():
    a = generate(800, seed=11, reference_date=REFERENCE_DATE)
    b = generate(800, seed=11, reference_date=REFERENCE_DATE)
    for name, frame in a.frames().items():
        pd.testing.assert_frame_equal(frame, b.frames()[name], obj=name)


def test_different_seed_gives_different_data():
    a = generate(800, seed=11, reference_date=REFERENCE_DATE)
    b = generate(800, seed=12, reference_date=REFERENCE_DATE)
    assert not a.persons["bsn"].equals(b.persons["bsn"])
    assert not a.provisions.equals(b.provisions)


def test_every_bsn_passes_the_elfproef_and_is_unique(brunssum):
    bsns = brunssum.persons["bsn"].tolist()
    assert all(is_valid_bsn(b) for b in bsns)
    assert len(set(bsns)) == len(bsns)


def test_frames_have_the_interchange_columns(brunssum):
    assert list(brunssum.households.columns) == [
        "huishouden_id", "wijk", "buurt", "postcode", "huisnummer", "straat",
    ]  # fmt: skip
    assert list(brunssum.persons.columns) == ["bsn", "huishouden_id", "geboortejaar", "rol", "naam"]
    assert {"bron_id", "bsn", "domein", "soort", "start", "einde", "aanbieder", "maatwerk",
            "kosten_per_maand"} == set(brunssum.provisions.columns)  # fmt: skip
    assert {"bron_id", "bsn", "schuldeiser", "hoofdsom", "openstaand", "sinds",
            "in_regeling"} == set(brunssum.debts.columns)  # fmt: skip


def test_addresses_are_in_brunssum(brunssum):
    hh = brunssum.households
    assert set(hh["wijk"]) == set(ref.WIJKEN)
    assert hh["postcode"].str.fullmatch(r"644[1-6][A-Z]{2}").all()
    assert not hh.duplicated(["straat", "huisnummer"]).any()
    for wijk, (_, buurten) in ref.WIJKEN.items():
        assert set(hh.loc[hh["wijk"] == wijk, "buurt"]) == set(buurten)


def test_every_buurt_is_a_brunssum_buurt(brunssum):
    buurten = set(brunssum.households["buurt"])
    assert buurten <= ref.BUURTEN
    for foreign in ("Kakert", "Merkelbeek"):  # Landgraaf and Beekdaelen, not Brunssum
        assert not any(foreign in b for b in buurten | ref.BUURTEN)
    # the proeftuinen are in Noord and Oost: Treebeek is West, the Egge and Oeloven are Oost
    wijk_of = brunssum.households.drop_duplicates("buurt").set_index("buurt")["wijk"]
    assert wijk_of["Treebeek-Noord"] == wijk_of["Treebeek-Zuid"] == "West"
    assert {wijk_of["Egge"], wijk_of["Oeloven"], wijk_of["Kleikoelen"]} == {"Oost"}
    assert wijk_of["Kerkeveld"] == "Noord"


def test_household_composition_is_realistic(brunssum):
    size = brunssum.persons.groupby("huishouden_id").size()
    assert 0.35 <= (size == 1).mean() <= 0.45  # singles
    assert 1.9 <= size.mean() <= 2.3
    age = REFERENCE_DATE.year - brunssum.persons["geboortejaar"]
    # an ageing Parkstad town (data/population.py): ~15% under 18, ~27% aged 65+
    assert 0.13 <= (age < 18).mean() <= 0.18
    assert 0.25 <= (age >= 65).mean() <= 0.30
    heads = brunssum.persons[brunssum.persons["rol"] == "hoofdbewoner"]
    assert heads["huishouden_id"].is_unique and len(heads) == len(brunssum.households)
    assert (age[brunssum.persons["rol"] != "kind"] >= 18).all()


@pytest.mark.parametrize("combo", list(ref.COMBINATION_COUNTS))
def test_combination_shares_match_cbs_heerlen(brunssum, combo):
    # on CBS definitions: ISD = Participatiewet (bijstand, IOAW/IOAZ, re-integratie)
    st = household_stacking(brunssum)
    target = ref.COMBINATION_COUNTS[combo] / ref.COMBINATION_REFERENCE_HOUSEHOLDS
    share = (st["domains_cbs"] == combo).mean()
    assert share == pytest.approx(target, rel=0.15)
    assert (st["domains_cbs"] == combo).sum() > 0


def test_quarter_of_households_have_a_provision(brunssum):
    st = household_stacking(brunssum)
    assert (st["n_domains"] > 0).mean() == pytest.approx(11_940 / 47_000, rel=0.05)


def test_quota_scale_with_n():
    assert combination_quota(47_000) == ref.COMBINATION_COUNTS
    data = generate(4_700, seed=3, reference_date=REFERENCE_DATE)
    counts = household_stacking(data)["domains"].value_counts()
    assert counts["ISD"] == 383 and counts["WMO"] == 586 and counts["ISD+JEUGD+WMO"] == 4


def _isd_open(data, day=D):
    db = data.debts
    return db[db["schuldeiser"].str.upper().str.startswith("ISD") & (db["openstaand"] > 0)
              & (db["sinds"] <= day)]  # fmt: skip


def test_isd_debtors_match_the_k2_report(brunssum):
    claims = _isd_open(brunssum)
    assert claims["bsn"].nunique() == pytest.approx(349, rel=0.10)
    assert claims["openstaand"].sum() == pytest.approx(1_100_000, rel=0.10)
    assert claims["hoofdsom"].sum() == pytest.approx(1_500_000, rel=0.10)


def test_isd_debtors_scale_with_n():
    data = generate(27_000, seed=5, reference_date=REFERENCE_DATE)
    claims = _isd_open(data)
    assert claims["bsn"].nunique() == pytest.approx(698, rel=0.10)
    assert claims["openstaand"].sum() == pytest.approx(2_200_000, rel=0.10)


def test_debts_to_other_creditors_and_paid_off_claims_exist(brunssum):
    db = brunssum.debts
    creditors = set(db["schuldeiser"])
    assert {"CJIB", "Belastingdienst Toeslagen", "Weller Wonen"} <= creditors
    assert (db["openstaand"] == 0).any()
    assert (db["openstaand"] <= db["hoofdsom"]).all() and (db["openstaand"] >= 0).all()


def test_jeugd_only_for_children(brunssum):
    pv = brunssum.provisions[brunssum.provisions["domein"] == "JEUGD"]
    who = brunssum.persons.set_index("bsn").loc[pv["bsn"]]
    young = (REFERENCE_DATE.year - who["geboortejaar"]) < 18
    assert ((who["rol"] == "kind") | young).all()
    share_jb = (pv["soort"] == "jeugdbescherming").mean()
    assert 0.02 <= share_jb <= 0.12


def test_provision_kinds_and_providers(brunssum):
    pv = brunssum.provisions
    for domain, kinds in ref.PROVISION_KINDS.items():
        assert set(pv.loc[pv["domein"] == domain, "soort"]) == {k[0] for k in kinds}
    assert set(pv["aanbieder"]) <= set(brunssum.institutions["naam"])
    assert ((pv["einde"].isna()) | (pv["einde"] >= pv["start"])).all()
    assert (pv["kosten_per_maand"] >= 0).all()


def test_active_and_ended_provisions(brunssum):
    pv = brunssum.provisions
    ended = pv["einde"] < D
    assert ended.sum() > 1_000
    assert (pv["start"] <= D).all()
    assert pv.loc[ended, "start"].min() < D - pd.Timedelta(days=3 * 365)


def test_help_requests_come_through_three_doors_and_the_one_door_pilot(brunssum):
    hr = brunssum.help_requests
    assert set(hr["voordeur"]) == {"WMO", "JEUGD", "ISD", "CENTRAAL"}
    three = hr["voordeur"] != "CENTRAAL"
    assert (hr.loc[three, "domein"] == hr.loc[three, "voordeur"]).all()
    wijk = hr["huishouden_id"].map(brunssum.households.set_index("huishouden_id")["wijk"])
    pilot = hr[~three]
    assert set(wijk[~three]) == {"Noord", "Oost"}
    assert (pilot["ontvangen_op"] > D - pd.Timedelta(days=183)).all()
    decided = hr.dropna(subset=["besluit_op"])
    assert len(decided) > 0.8 * len(hr)
    assert (decided["besluit_op"] > decided["ontvangen_op"]).all()
    assert (decided["besluit_op"] <= D).all()
    days = (decided["besluit_op"] - decided["ontvangen_op"]).dt.days
    one_door = days[decided["voordeur"] == "CENTRAAL"].median()
    assert one_door < days[decided["voordeur"] != "CENTRAAL"].median()
    assert hr["ontvangen_op"].between(D - pd.Timedelta(days=EVENT_DAYS), D).all()
    assert set(hr["urgentie"]) == {"laag", "normaal", "hoog", "acuut"}
    assert hr["intake_door"].notna().all()
    assert hr["bsn"].isin(brunssum.persons["bsn"]).all()


def test_signals_open_and_closed(brunssum):
    sg = brunssum.signals
    assert set(sg["soort"]) == {
        "huurachterstand", "energieachterstand", "zorgverzekeringsachterstand",
        "waterachterstand", "politie", "huiselijk_geweld", "school",
    }  # fmt: skip
    assert sg["gesloten_op"].isna().any() and sg["gesloten_op"].notna().any()
    closed = sg.dropna(subset=["gesloten_op"])
    assert (closed["gesloten_op"] >= closed["gemeld_op"]).all()
    assert (closed["gesloten_op"] <= D).all()


def test_complex_households_are_a_believable_minority(brunssum):
    st = household_stacking(brunssum)
    assert 0.03 <= st["stacked"].mean() <= 0.12
    assert 0.01 <= st["complex"].mean() <= 0.03  # the "kleinere groep" of K2
    assert (st["complex"] & ~st["stacked"]).sum() > 20  # also fired by signals and requests


def test_no_participatiewet_benefit_at_aow_age(brunssum):
    age = REFERENCE_DATE.year - brunssum.persons.set_index("bsn")["geboortejaar"]
    pv = brunssum.provisions
    working_age_kinds = pv["soort"].isin(["bijstand", "IOAW", "IOAZ", "loonkostensubsidie"])
    assert working_age_kinds.sum() > 0
    assert (age.reindex(pv.loc[working_age_kinds, "bsn"]).to_numpy() < 67).all()


def test_reference_date_anchors_all_dates():
    later = dt.date(2030, 1, 1)
    data = generate(500, seed=1, reference_date=later)
    assert data.help_requests["ontvangen_op"].max() <= pd.Timestamp(later)
    assert data.reference_date == later


def test_vgz_is_among_the_insurers(brunssum):
    creditors = set(brunssum.debts["schuldeiser"])
    assert "VGZ zorgverzekeraar" in creditors
