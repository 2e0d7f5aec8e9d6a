"""Client journey: the household's timeline and the three-door vs one-door overview."""

from __future__ import annotations

import datetime as dt

import pytest

from coordination import actions as act
from coordination import casetables as ct
from coordination import decisions
from coordination.frontdoor import register_request
from coordination.journey import household_journey, journey_overview
from coordination.triage import decide_triage
from households.errors import AccessDenied
from tests.builders import (
    D,
    add_institution,
    add_request,
    make_household,
    make_user,
    opened,
    valid_bsn,
)


def test_timeline_of_a_household(session):
    gerda = make_user(session, "gerda", "gbd")
    karel = make_user(session, "karel", "gbd")
    h = opened(
        session,
        gerda,
        make_household(session, wijk="Centrum", persons=[(valid_bsn(1), "Jan", "hoofdbewoner")]),
    )
    add_request(
        session,
        h,
        D - dt.timedelta(days=200),
        voordeur="WMO",
        besluit_op=D - dt.timedelta(days=160),
    )
    out = register_request(session, gerda, h.id, "ISD", "Geen inkomen meer", "acuut", D)
    td = decide_triage(session, gerda, out.request_id, "maatwerk", date=D)
    table = ct.table_by_name(session, td.tafel)
    ct.add_member(session, gerda, table.id, karel.user_id)
    d = decisions.decide(
        session,
        gerda,
        td.agenda_item_id,
        "Voorschot bijstand",
        "maatwerk",
        D + dt.timedelta(days=4),
    )
    decisions.review(session, karel, d.id, True, date=D + dt.timedelta(days=5))
    inst = add_institution(session, "Mondriaan")
    a = act.add_action(
        session,
        gerda,
        td.agenda_item_id,
        "Intake",
        "P. Smit",
        D + dt.timedelta(days=20),
        institution_id=inst.id,
        date=D + dt.timedelta(days=5),
    )
    act.record_feedback(session, gerda, a.id, "Intake gedaan", "P. Smit", D + dt.timedelta(days=12))
    journey = household_journey(session, gerda, h.id)
    assert [(j.voordeur, j.dagen_tot_besluit) for j in journey] == [("WMO", 40), ("CENTRAAL", 4)]
    assert journey[1].intake_door == "gerda"
    assert [s.stap for s in journey[1].stappen] == [
        "aanvraag",
        "triage-advies",
        "triage",
        "agendapunt",
        "besluit",
        "review",
        "opdracht",
        "terugkoppeling",
    ]
    assert journey[1].stappen[3].tekst == "Brede tafel publiek domein: Maatwerk: Geen inkomen meer"
    assert (
        journey[1].stappen[6].tekst == f"Mondriaan: Intake (uiterlijk {D + dt.timedelta(days=20)})"
    )


def test_journey_needs_access(session):
    bert = make_user(session, "bert", "gbd")
    h = make_household(session, persons=[(valid_bsn(1), "Jan", "hoofdbewoner")])
    with pytest.raises(AccessDenied):
        household_journey(session, bert, h.id)


def test_overview_compares_three_doors_and_one_door(session):
    kiss = make_user(session, "kees", "kiss")
    y = dt.date(2025, 1, 1)
    for i in range(6):
        h = make_household(session, persons=[(valid_bsn(i + 1), f"P{i}", "hoofdbewoner")])
        # three-door period: each household came in through two doors
        add_request(session, h, y, "WMO", "WMO", besluit_op=y + dt.timedelta(days=30 + i))
        add_request(
            session, h, y + dt.timedelta(days=5), "ISD", "ISD", besluit_op=y + dt.timedelta(days=45)
        )
        # one door: one intake each
        add_request(session, h, D, "CENTRAAL", "WMO", besluit_op=D + dt.timedelta(days=i))
    df = journey_overview(session, kiss, dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    assert df.to_dict("records") == [
        {
            "periode": "drie voordeuren",
            "aanvragen": 12,
            "huishoudens": 6,
            "intakes_per_huishouden": 2.0,
            "mediaan_dagen_tot_besluit": 37.5,
        },
        {
            "periode": "centrale voordeur",
            "aanvragen": 6,
            "huishoudens": 6,
            "intakes_per_huishouden": 1.0,
            "mediaan_dagen_tot_besluit": 2.5,
        },
    ]


def test_overview_suppresses_small_counts(session):
    kiss = make_user(session, "kees", "kiss")
    h = make_household(session, persons=[(valid_bsn(1), "P", "hoofdbewoner")])
    add_request(session, h, D, "CENTRAAL", "WMO", besluit_op=D)
    df = journey_overview(session, kiss, D, D)
    assert df.iloc[1].tolist()[:3] == ["centrale voordeur", "<5", "<5"]
    assert df.iloc[0].tolist()[:3] == ["drie voordeuren", 0, 0]


def test_voordeur_has_no_overview(session):
    anna = make_user(session, "anna", "voordeur")
    with pytest.raises(AccessDenied):
        journey_overview(session, anna, D, D)
