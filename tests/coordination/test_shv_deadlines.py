"""Schuldhulp norm deadlines and the worklist warning on the right day (working days too)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from coordination.schuldhulp import aanmelden, deadlines, mijn_trajecten, stap_zetten
from coordination.worklist import ACUUT, NU, TE_LAAT
from experiments.worklist import my_worklist
from households.actor import SYSTEM
from households.models import AuditEvent, Household
from households.norms import set_norm
from tests.builders import add_regie, household_with_persons, make_user, opened

D = dt.date


@pytest.fixture
def world(session):
    gerda = make_user(session, "gerda", "gbd")
    olaf = make_user(session, "olaf", "gbd")
    h, _ = household_with_persons(session)
    crisis, _ = household_with_persons(session)
    opened(session, gerda, h)
    opened(session, gerda, crisis)
    session.commit()
    return {"gerda": gerda, "olaf": olaf, "h": h.id, "crisis": crisis.id}


def _shv_rows(session, actor, today):
    wl = my_worklist(session, actor, today=today, per_page=50)
    return [(i.urgentie, i.datum, i.wat) for i in wl.items if i.soort == "schuldhulp"]


def test_first_conversation_warns_three_days_before_and_is_late_after(session, world):
    w = world
    aanmelden(session, w["gerda"], w["h"], "zelf", D(2026, 3, 2))  # Monday
    session.commit()
    (d,) = deadlines(session, w["gerda"], today=D(2026, 3, 12))
    assert (d.norm, d.uiterlijk, d.dagen_over, d.status) == (
        "shv_eerste_gesprek", D(2026, 3, 16), 4, None)  # fmt: skip
    assert _shv_rows(session, w["gerda"], D(2026, 3, 12)) == []
    assert _shv_rows(session, w["gerda"], D(2026, 3, 13)) == [
        (NU, D(2026, 3, 16), "Schuldhulp: Eerste gesprek uiterlijk 16-03-2026 (nog 3 dagen)")
    ]
    assert _shv_rows(session, w["gerda"], D(2026, 3, 16))[0][2].endswith("(vandaag)")
    assert _shv_rows(session, w["gerda"], D(2026, 3, 17)) == [
        (
            TE_LAAT,
            D(2026, 3, 16),
            "Schuldhulp: Eerste gesprek uiterlijk 16-03-2026 (1 dagen te laat)",
        )
    ]


def test_a_crisis_on_the_friday_before_koningsdag_counts_working_days(session, world):
    """Friday 24 April 2026; Monday 27 April is Koningsdag: 3 working days end Thursday 30."""
    w = world
    aanmelden(session, w["gerda"], w["crisis"], "zelf", D(2026, 4, 24), crisis_soort="ontruiming")
    session.commit()
    (d,) = deadlines(session, w["gerda"], today=D(2026, 4, 24))
    assert (d.norm, d.uiterlijk, d.werkdagen, d.dagen_over) == ("shv_crisis", D(2026, 4, 30),
                                                                True, 3)  # fmt: skip
    # a crisis is on the list from the start (3 working days are the warning period), acuut
    assert _shv_rows(session, w["gerda"], D(2026, 4, 24))[0][:2] == (ACUUT, D(2026, 4, 30))
    for day, left in ((D(2026, 4, 27), 3), (D(2026, 4, 28), 2), (D(2026, 4, 30), 0)):
        (d,) = deadlines(session, w["gerda"], today=day)
        assert (d.dagen_over, d.status) == (left, "waarschuwing")
    (d,) = deadlines(session, w["gerda"], today=D(2026, 5, 1))
    assert (d.status, d.dagen_over) == ("te_laat", -1)
    assert "1 werkdagen te laat" in _shv_rows(session, w["gerda"], D(2026, 5, 1))[0][2]


def test_plan_and_budget_review_deadlines_and_beheer_norms(session, world):
    w = world
    tid = aanmelden(session, w["gerda"], w["h"], "zelf", D(2024, 1, 8))
    v = stap_zetten(session, w["gerda"], tid, 1, "eerste_gesprek", D(2024, 1, 15))
    session.commit()
    (d,) = deadlines(session, w["gerda"], today=D(2024, 1, 15))
    assert (d.norm, d.uiterlijk) == ("shv_plan_van_aanpak", D(2024, 3, 11))  # 56 days
    set_norm(session, SYSTEM, "shv_plan_van_aanpak", 28)
    session.commit()
    (d,) = deadlines(session, w["gerda"], today=D(2024, 1, 15))
    assert d.uiterlijk == D(2024, 2, 12)
    v = stap_zetten(session, w["gerda"], tid, v, "plan_van_aanpak", D(2024, 2, 1))
    assert deadlines(session, w["gerda"], today=D(2024, 2, 1)) == ()  # no norm runs
    stap_zetten(session, w["gerda"], tid, v, "budgetbeheer", D(2024, 2, 5))
    session.commit()
    (d,) = deadlines(session, w["gerda"], today=D(2025, 8, 3))
    assert (d.norm, d.uiterlijk, d.status) == (
        "shv_herbeoordeling_budgetbeheer",
        D(2025, 8, 6),
        "waarschuwing",
    )  # 548 days


def test_only_my_trajectories_of_households_i_may_see(session, world):
    w = world
    aanmelden(session, w["gerda"], w["h"], "zelf", D(2026, 3, 2))
    session.commit()
    assert deadlines(session, w["olaf"], today=D(2026, 3, 20)) == ()  # not his
    assert _shv_rows(session, w["olaf"], D(2026, 3, 20)) == []
    # regie makes it his, but only with access; olaf holds regie from now on
    add_regie(session, session.get(Household, w["h"]), w["olaf"])
    session.commit()
    (mine,) = mijn_trajecten(session, w["olaf"], today=D(2026, 3, 20))
    assert mine.deadline.status == "te_laat" and mine.dagen_in_stap == 18
    rows = session.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.actie == "schuldhulp_overzicht"))  # fmt: skip
    assert rows == 1


def test_crisis_first_on_my_list(session, world):
    w = world
    aanmelden(session, w["gerda"], w["h"], "zelf", D(2026, 3, 2))
    aanmelden(session, w["gerda"], w["crisis"], "zelf", D(2026, 4, 24), crisis_soort="ontruiming")
    session.commit()
    mine = mijn_trajecten(session, w["gerda"], today=D(2026, 4, 24))
    assert [m.huishouden.household_id for m in mine] == [w["crisis"], w["h"]]
