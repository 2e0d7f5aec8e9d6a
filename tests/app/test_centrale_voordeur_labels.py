"""The one front door is called "centrale voordeur" on the KISS overview, never "KISS"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from households.db import make_engine
from households.frontdoors import ONE_FRONT_DOOR
from tests.builders import (
    add_provision,
    add_request,
    first_person,
    make_household,
    make_user,
    valid_bsn,
)

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"


def test_client_journey_names_the_centrale_voordeur(db_url):
    engine = make_engine(db_url)
    day = dt.date.today() - dt.timedelta(days=60)
    with Session(engine, expire_on_commit=False) as s:
        kiss = make_user(s, "kees", "kiss")
        for i in range(6):
            person = (valid_bsn(i + 1), "Jan Jansen", "hoofdbewoner")
            h = make_household(s, wijk="Centrum", huisnummer=str(10 + i), persons=[person])
            add_provision(s, first_person(s, h), "WMO")
            add_request(s, h, day, "WMO", besluit_op=day + dt.timedelta(days=40))
            add_request(s, h, day + dt.timedelta(days=7), ONE_FRONT_DOOR,
                        besluit_op=day + dt.timedelta(days=20))  # fmt: skip
        s.commit()
    engine.dispose()
    at = AppTest.from_file(str(PAGES / "kiss_overzicht.py"), default_timeout=60)
    at.session_state["actor"] = kiss
    at.run()
    assert not at.exception and not at.error
    assert "Klantreis: drie voordeuren of de centrale voordeur" in [h.value for h in at.header]
    journey = next(d.value for d in at.dataframe if "Voordeur" in d.value.columns)
    assert journey["Voordeur"].tolist() == ["drie voordeuren", "centrale voordeur"]
    assert journey["Aanvragen"].tolist() == [6, 6]
    texts = " ".join(str(x.value) for x in [*at.header, *at.markdown, *at.caption])
    assert "KISS" not in texts.replace("KISS-overzicht", "")  # KISS is the team, not a door
