"""KISS steering goals: create, change, refuse bad input and other roles, progress from data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from coordination.goal_progress import goals_progress, progress_of
from coordination.indicators import CENTRAL_DOOR, Point, indicator_points
from coordination.overview import steering_overview
from coordination.steering import GoalView, create_goal, list_goals, parse_milestones, update_goal
from coordination.steeringmodels import SteeringGoal, SteeringMilestone
from households.errors import AccessDenied, Conflict, InvalidInput, NotFound
from households.models import AuditEvent
from tests.coordination.test_overview import make, population  # noqa: F401 (fixture)
from tests.coordination.test_stacking import DAY, D

GOAL = {"titel": "Regiegaten −50% eind 2025", "indicator": "regiegaten",
        "start": dt.date(2025, 4, 1), "deadline": dt.date(2025, 12, 31), "doelsoort": "relatief",
        "streefwaarde": "-50", "tussendoelen": [(dt.date(2025, 9, 30), "-25")]}  # fmt: skip


@pytest.fixture
def kiss(account):
    return account("kim", "kiss")


def test_kiss_creates_a_goal_with_tussendoelen_and_it_is_audited(session, kiss):
    goal = create_goal(session, kiss, **GOAL, toelichting="K2: 1 huishouden, 1 regisseur")
    session.commit()
    [view] = list_goals(session, kiss)
    assert (view.titel, view.indicator, view.doelsoort, view.streefwaarde) == (
        "Regiegaten −50% eind 2025", "regiegaten", "relatief", -50.0)  # fmt: skip
    assert view.tussendoelen == ((dt.date(2025, 9, 30), -25.0),)
    row = session.scalar(select(AuditEvent).where(AuditEvent.actie == "stuurdoel_aanmaken"))
    assert row.object_id == str(goal.id) and row.rol == "kiss"


def test_kiss_changes_a_goal_old_and_new_values_in_the_audit(session, kiss):
    goal = create_goal(session, kiss, **GOAL)
    milestones = [(dt.date(2025, 6, 30), -10), (dt.date(2025, 9, 30), -30)]
    changed = {**GOAL, "streefwaarde": -60, "tussendoelen": milestones}
    update_goal(session, kiss, goal.id, **changed, actief=True)
    session.commit()
    stored = session.scalars(select(SteeringMilestone).order_by(SteeringMilestone.datum))
    assert [m.streefwaarde for m in stored] == [-10, -30]
    row = session.scalar(select(AuditEvent).where(AuditEvent.actie == "stuurdoel_wijzigen"))
    assert '"streefwaarde": -50.0' in row.oud and '"streefwaarde": -60.0' in row.nieuw
    update_goal(session, kiss, goal.id, **changed, actief=False)
    assert list_goals(session, kiss) == []
    assert len(list_goals(session, kiss, include_inactive=True)) == 1


@pytest.mark.parametrize("rol", ["gbd", "beheer", "voordeur", "ervaringswerker"])
def test_other_roles_are_refused(session, account, rol):
    other = account(f"iemand_{rol}", rol)
    with pytest.raises(AccessDenied):
        create_goal(session, other, **GOAL)
    with pytest.raises(AccessDenied):
        list_goals(session, other)
    assert session.scalar(select(SteeringGoal.id)) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"titel": "kort"}, "titel van 5 tot 160"),
        ({"indicator": "geluk"}, "indicator uit de lijst"),
        ({"deadline": dt.date(2025, 3, 1)}, "deadline moet na de startdatum"),
        ({"start": None}, "Geef een startdatum op"),
        ({"doelsoort": "ongeveer"}, "absolute waarde of een verandering"),
        ({"streefwaarde": "veel"}, "moet een getal zijn"),
        ({"streefwaarde": 0}, "relatief doel is een verandering"),
        ({"doelsoort": "absoluut", "streefwaarde": -3}, "kan niet negatief"),
        (
            {
                "indicator": "centrale_voordeur",
                "doelsoort": "absoluut",
                "streefwaarde": 120,
                "tussendoelen": [],
            },
            "tussen 0 en 100 procent",
        ),  # fmt: skip
        ({"tussendoelen": [(dt.date(2026, 3, 1), -10)]}, "niet tussen de start en de deadline"),
        (
            {"tussendoelen": [(dt.date(2025, 6, 1), -10), (dt.date(2025, 6, 1), -20)]},
            "Twee tussendoelen",
        ),  # fmt: skip
    ],
)
def test_bad_input_is_refused_in_dutch_and_nothing_is_written(session, kiss, change, message):
    with pytest.raises(InvalidInput, match=message):
        create_goal(session, kiss, **{**GOAL, **change})
    assert session.scalar(select(SteeringGoal.id)) is None
    assert session.scalar(select(SteeringMilestone.id)) is None


def test_duplicate_title_and_unknown_goal(session, kiss):
    create_goal(session, kiss, **GOAL)
    with pytest.raises(Conflict, match="al een doel"):
        create_goal(session, kiss, **GOAL)
    with pytest.raises(NotFound):
        update_goal(session, kiss, 999, **GOAL)


def test_milestone_text_is_parsed_or_refused():
    assert parse_milestones("31-12-2026: -25\n30-06-2027 : 40,5 %") == [
        (dt.date(2026, 12, 31), -25.0), (dt.date(2027, 6, 30), 40.5)]  # fmt: skip
    with pytest.raises(InvalidInput, match="regel 1"):
        parse_milestones("eind 2026: -25")
    with pytest.raises(InvalidInput, match="geen datum"):
        parse_milestones("31-02-2026: -25")


def _goal(**kw) -> GoalView:
    base = {"id": 1, "titel": "t", "indicator": "regiegaten", "start": dt.date(2025, 1, 1),
            "deadline": dt.date(2025, 12, 31), "doelsoort": "relatief", "streefwaarde": -50.0,
            "tussendoelen": ((dt.date(2025, 6, 30), -20.0),), "toelichting": None,
            "actief": True}  # fmt: skip
    return GoalView(**{**base, **kw})


POINTS = [
    Point(dt.date(2024, 12, 31), 100.0, "100"),
    Point(dt.date(2025, 3, 31), 90.0, "90"),
    Point(dt.date(2025, 6, 30), 75.0, "75"),
    Point(dt.date(2025, 9, 30), None, "x"),
]


def test_progress_against_baseline_target_and_tussendoelen():
    p = progress_of(_goal(), POINTS, dt.date(2025, 6, 30))
    assert (p.basisdatum, p.basiswaarde, p.stand, p.streefwaarde) == (
        dt.date(2024, 12, 31), 100.0, 75.0, 50.0)  # fmt: skip
    assert p.voortgang == 0.5 and p.status == "op koers"  # planned 80 on 30-06, stand 75
    assert [(m.doel, m.stand, m.status) for m in p.tussendoelen] == [(80.0, 75.0, "gehaald")]
    assert p.pad == ((dt.date(2024, 12, 31), 100.0), (dt.date(2025, 6, 30), 80.0),
                     (dt.date(2025, 12, 31), 50.0))  # fmt: skip
    behind = progress_of(_goal(tussendoelen=((dt.date(2025, 3, 31), -30.0),)), POINTS,
                         dt.date(2025, 6, 30))  # fmt: skip
    assert behind.status == "achter op schema" and behind.tussendoelen[0].status == "niet gehaald"


def test_progress_of_a_hidden_value_stays_hidden():
    p = progress_of(_goal(), POINTS, dt.date(2025, 9, 30))
    assert p.stand is None and p.stand_tekst == "x" and p.voortgang is None
    assert p.status == "niet te tonen (klein aantal)"
    assert progress_of(_goal(start=dt.date(2026, 1, 1), deadline=dt.date(2026, 12, 31),
                             tussendoelen=()), POINTS, dt.date(2025, 9, 30)).status == \
        "nog niet begonnen"  # fmt: skip
    upward = progress_of(_goal(doelsoort="absoluut", streefwaarde=60.0, tussendoelen=()),
                         POINTS, dt.date(2025, 6, 30))  # fmt: skip
    assert upward.status == "op koers" and upward.voortgang == 0.625  # planned 80.2 on 30-06


def test_goal_progress_is_the_overview_published_value(population, kiss):  # noqa: F811
    create_goal(population, kiss, **GOAL)
    [p] = goals_progress(population, kiss, D)
    ov = steering_overview(population, kiss, D)
    assert p.stand == ov["regie_gaps"] == 5
    assert (p.basisdatum, p.basiswaarde) == (dt.date(2025, 3, 31), 5.0)
    assert p.streefwaarde == 2.5 and p.status == "achter op schema"
    assert [pt.datum for pt in p.reeks] == [dt.date(2025, 3, 31), D]


def test_central_door_share_from_the_help_requests(population, kiss):  # noqa: F811
    make(population, 10, "Noord", [], doors=[CENTRAL_DOOR])  # 10 central, 10 via two doors
    population.flush()
    ov = steering_overview(population, kiss, D)
    points = indicator_points(population, "centrale_voordeur", ov)
    assert points[-1] == Point(D, 50.0, "50,0%")
    assert points[0] == Point(dt.date(2025, 3, 31), None, "x")  # no requests: no share
    make(population, 2, "Oost", [], doors=[CENTRAL_DOOR])  # 22 requests, the rest 10 ...
    make(population, 8, "Oost", [], doors=["WMO"])
    ov = steering_overview(population, kiss, D)
    assert indicator_points(population, "centrale_voordeur", ov)[-1].waarde == 40.0


def test_goals_progress_refuses_a_day_that_is_not_a_month_end(population, kiss):  # noqa: F811
    create_goal(population, kiss, **GOAL)
    with pytest.raises(InvalidInput, match="einde van een maand"):
        goals_progress(population, kiss, D - DAY)
