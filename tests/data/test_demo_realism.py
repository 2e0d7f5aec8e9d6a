"""Demo data a Brunssum civil servant would believe: bijstand volume and known debts only."""

from __future__ import annotations

import pandas as pd

from data.debts import ARREARS_CREDITOR
from tests.data.conftest import REFERENCE_DATE

D = pd.Timestamp(REFERENCE_DATE)


def _active(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[(frame["start"] <= D) & (frame["einde"].isna() | (frame["einde"] >= D))]


def test_bijstand_volume_is_that_of_a_high_bijstand_municipality(brunssum):
    # CBS: Heerlen and Kerkrade are in the top five of bijstand per 1,000 households (Rotterdam
    # 114; 44 gemeenten above 50; CBS 2012, "Aantal bijstandsuitkeringen Oostelijke Mijnstreek
    # flink omhoog"); CBS 85637NED: 4,830 of Heerlen's 47,000 households (103 per 1,000) have
    # a Participatiewet provision (H1 2023); the demo follows those shares (about 100).
    pv = _active(brunssum.provisions)
    hh_of = brunssum.persons.set_index("bsn")["huishouden_id"]
    benefit = pv[pv["soort"].isin(["bijstand", "IOAW", "IOAZ"])]
    per_1000 = benefit["bsn"].map(hh_of).nunique() / len(brunssum.households) * 1000
    assert 60 <= per_1000 <= 115, per_1000


def test_no_bijstand_at_aow_age_ever(brunssum):
    age = REFERENCE_DATE.year - brunssum.persons.set_index("bsn")["geboortejaar"]
    pv = brunssum.provisions
    bijstand = pv[pv["soort"].isin(["bijstand", "IOAW", "IOAZ"])]
    assert len(bijstand) > 0 and (age.reindex(bijstand["bsn"]).to_numpy() < 67).all()


def test_the_gemeente_knows_every_debt_through_a_route(brunssum):
    """ISD's own claims, a schuldhulpverlening dossier or an arrears signal: nothing else."""
    db = brunssum.debts
    hh_of = brunssum.persons.set_index("bsn")["huishouden_id"]
    isd = db["schuldeiser"].str.startswith("ISD BOL")
    shv_persons = set(brunssum.provisions.loc[
        brunssum.provisions["soort"] == "schuldhulpverlening", "bsn"])  # fmt: skip
    sg = brunssum.signals[brunssum.signals["soort"].isin(list(ARREARS_CREDITOR))]
    reported = set(zip(sg["huishouden_id"], sg["soort"].map(ARREARS_CREDITOR), strict=True))
    via_shv = db["bsn"].isin(shv_persons)
    via_signal = pd.Series(
        [(hh_of[b], c) in reported for b, c in zip(db["bsn"], db["schuldeiser"], strict=True)],
        index=db.index,
    )
    assert (isd | via_shv | via_signal).all()
    assert isd.any() and via_shv.any() and via_signal.any()
    # open creditor-level debts today: a few percent of households, not one in ten
    open_now = db[~isd & (db["openstaand"] > 0) & (db["sinds"] <= D)]
    assert open_now["bsn"].map(hh_of).nunique() < 0.05 * len(brunssum.households)
    assert "VGZ zorgverzekeraar" in set(db["schuldeiser"])  # the region's main insurer
