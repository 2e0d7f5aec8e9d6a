"""The household plan: who may write and read, bad input, history, concurrency, table decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from coordination import casetables as ct
from coordination import decisions
from coordination.loopmodels import GoalProgress, HouseholdPlan, PlanGoal
from coordination.plan import (
    add_goal,
    add_goal_from_decision,
    change_goal,
    get_or_create_plan,
    print_plan,
    read_plan,
)
from coordination.plan_view import goals_by_corner, institution_goals
from households.errors import AccessDenied, Conflict, InvalidInput, NotFound
from households.models import AuditEvent, Household
from tests.builders import (
    add_institution,
    add_regie,
    make_household,
    make_user,
    opened,
    valid_bsn,
)

D = dt.date(2026, 6, 1)
LATER = D + dt.timedelta(days=60)


@pytest.fixture
def world(session):
    gerda = make_user(session, "gerda", "gbd")  # holds regie
    karel = make_user(session, "karel", "gbd")  # has access (opened), no regie
    h = make_household(session, persons=[(valid_bsn(1), "Jan Jansen", "hoofdbewoner")])
    add_regie(session, h, gerda, start=D - dt.timedelta(days=30))
    opened(session, karel, h)
    inst = add_institution(session, "Woonpunt")
    session.commit()
    return {"gerda": gerda, "karel": karel, "h": h.id, "inst": inst.id}


def _goal(session, actor, hid, **kw):
    args = dict(levensgebied="huisvesting", doel="Huurachterstand is afgelost",
                evaluatiedatum=LATER, eigenaar_afdeling="ISD BOL", date=D)  # fmt: skip
    args.update(kw)
    return add_goal(session, actor, hid, **args)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _refusals(session, actie: str) -> int:
    return session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.actie == actie, AuditEvent.resultaat == "geweigerd")
    )


def test_holder_adds_a_goal_with_its_corner_and_history(session, world):
    goal = _goal(session, world["gerda"], world["h"])
    session.commit()
    assert goal.hoek == "bestaanszekerheid" and goal.status == "open" and goal.versie == 1
    view = read_plan(session, world["gerda"], world["h"], today=D)
    assert view.may_edit and view.regiehouder == "Gerda"
    (g,) = view.goals
    assert (g.eigenaar, g.eigenaar_soort, g.hoek_label) == ("ISD BOL", "afdeling",
                                                          "Bestaanszekerheid")  # fmt: skip
    assert [(p.status_oud, p.status_nieuw, p.notitie, p.door) for p in g.historie] == [
        (None, "open", "Doel opgesteld", "Gerda")
    ]
    assert _count(session, HouseholdPlan) == 1


def test_corner_can_be_chosen_and_plan_is_reused(session, world):
    _goal(session, world["gerda"], world["h"])
    other = _goal(session, world["gerda"], world["h"], levensgebied="financien",
                  hoek="veiligheid", eigenaar_afdeling=None,
                  eigenaar_instelling_id=world["inst"])  # fmt: skip
    session.commit()
    assert other.hoek == "veiligheid"
    assert _count(session, HouseholdPlan) == 1
    plan = get_or_create_plan(session, world["gerda"], world["h"])
    assert plan.id == other.plan_id
    view = read_plan(session, world["karel"], world["h"], today=D)
    assert [c for c, _, _ in goals_by_corner(view.goals)] == ["bestaanszekerheid", "veiligheid"]
    assert [g.eigenaar for g in institution_goals(view)] == ["Woonpunt"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"levensgebied": "wonen"}, "Kies een levensgebied"),
        ({"hoek": "geld"}, "hoek van de stabiliteitsdriehoek"),
        ({"doel": "ok"}, "Het doel is verplicht"),
        ({"doel": f"Bel {valid_bsn(3)} terug"}, "BSN"),
        ({"evaluatiedatum": D - dt.timedelta(days=1)}, "in het verleden"),
        ({"evaluatiedatum": D + dt.timedelta(days=900)}, "twee jaar"),
        ({"evaluatiedatum": "volgende week"}, "geldige datum"),
        ({"eigenaar_afdeling": None}, "Kies één eigenaar"),
        ({"eigenaar_user_id": 1}, "Kies één eigenaar"),
        ({"eigenaar_afdeling": None, "eigenaar_user_id": 99999}, "actieve GBD-er"),
        ({"eigenaar_afdeling": None, "eigenaar_instelling_id": 99999}, "Onbekende instelling"),
    ],
)
def test_bad_input_is_refused_in_dutch_and_nothing_is_written(session, world, change, message):
    before = _count(session, AuditEvent)
    with pytest.raises(InvalidInput, match=message):
        _goal(session, world["gerda"], world["h"], **change)
    session.rollback()
    assert _count(session, PlanGoal) == 0 and _count(session, HouseholdPlan) == 0
    assert _count(session, GoalProgress) == 0 and _count(session, AuditEvent) == before


def test_a_gbd_without_regie_is_refused_and_audited(session, world):
    with pytest.raises(AccessDenied, match=r"Alleen de regiehouder \(Gerda\)"):
        _goal(session, world["karel"], world["h"])
    assert _refusals(session, "plan_doel_toevoegen") == 1
    assert _count(session, PlanGoal) == 0


def test_without_access_is_refused_and_audited(session, world):
    stranger = make_user(session, "stranger", "gbd")
    session.commit()
    with pytest.raises(AccessDenied, match="need-to-know"):
        _goal(session, stranger, world["h"])
    with pytest.raises(AccessDenied, match="need-to-know"):
        read_plan(session, stranger, world["h"])
    assert _refusals(session, "plan_doel_toevoegen") == 1
    assert _refusals(session, "plan_inzien") == 1


@pytest.mark.parametrize("rol", ["voordeur", "kiss", "beheer", "ervaringswerker"])
def test_other_roles_are_refused_and_audited(session, world, rol):
    actor = make_user(session, f"x{rol}", rol)
    session.commit()
    with pytest.raises(AccessDenied):
        read_plan(session, actor, world["h"])
    with pytest.raises(AccessDenied):
        _goal(session, actor, world["h"])
    assert _refusals(session, "plan_inzien") == 1
    assert _refusals(session, "plan_doel_toevoegen") == 1


def test_household_without_regie_gets_no_goal(session, world):
    h = opened(session, world["gerda"], make_household(session))
    session.commit()
    with pytest.raises(AccessDenied, match="geen regiehouder"):
        _goal(session, world["gerda"], h.id)
    assert _refusals(session, "plan_doel_toevoegen") == 1
    view = read_plan(session, world["gerda"], h.id, today=D)
    assert view.plan_id is None and view.goals == () and not view.may_edit


def test_change_status_and_notes_write_history(session, world):
    goal = _goal(session, world["gerda"], world["h"])
    session.commit()
    change_goal(session, world["gerda"], goal.id, 1, status="loopt",
                notitie="Betalingsregeling getekend", date=D)  # fmt: skip
    change_goal(session, world["gerda"], goal.id, 2, notitie="Eerste termijn betaald",
                evaluatiedatum=LATER + dt.timedelta(days=30), date=D)  # fmt: skip
    change_goal(session, world["gerda"], goal.id, 3, status="bereikt", date=D)
    session.commit()
    (g,) = read_plan(session, world["gerda"], world["h"], today=D).goals
    assert (g.status, g.versie, g.evaluatiedatum) == ("bereikt", 4, LATER + dt.timedelta(days=30))
    assert [(p.status_oud, p.status_nieuw, p.notitie) for p in g.historie] == [
        (None, "open", "Doel opgesteld"),
        ("open", "loopt", "Betalingsregeling getekend"),
        ("loopt", "loopt", "Eerste termijn betaald. Nieuwe evaluatiedatum: 30-08-2026."),
        ("loopt", "bereikt", None),
    ]
    actions = session.scalars(
        select(AuditEvent.actie).where(AuditEvent.actie.like("plan_%")).order_by(AuditEvent.id)
    ).all()
    assert actions.count("plan_doel_wijzigen") == 3 and "plan_aanmaken" in actions


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({}, "Er is niets gewijzigd"),
        ({"status": "open"}, "Er is niets gewijzigd"),
        ({"status": "klaar"}, "geldige status"),
        ({"status": "vervallen"}, "waarom"),
        ({"status": "niet_bereikt", "notitie": "   "}, "waarom"),
        ({"notitie": "x\x00y"}, "ongeldige tekens"),
        ({"evaluatiedatum": D - dt.timedelta(days=3)}, "in het verleden"),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_written(session, world, kw, message):
    goal = _goal(session, world["gerda"], world["h"])
    session.commit()
    before = (_count(session, GoalProgress), _count(session, AuditEvent))
    with pytest.raises(InvalidInput, match=message):
        change_goal(session, world["gerda"], goal.id, 1, date=D, **kw)
    session.rollback()
    assert (_count(session, GoalProgress), _count(session, AuditEvent)) == before
    assert session.get(PlanGoal, goal.id).versie == 1


def test_a_stale_version_is_a_conflict_and_writes_nothing(session, world):
    goal = _goal(session, world["gerda"], world["h"])
    session.commit()
    change_goal(session, world["gerda"], goal.id, 1, status="loopt", date=D)
    session.commit()
    before = _count(session, GoalProgress)
    with pytest.raises(Conflict, match="intussen gewijzigd"):
        change_goal(session, world["gerda"], goal.id, 1, status="bereikt", date=D)
    session.rollback()
    assert _count(session, GoalProgress) == before
    assert session.get(PlanGoal, goal.id).status == "loopt"


def test_two_sessions_saving_the_same_version_write_once(engine, world):
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        goal_id = _goal(s, world["gerda"], world["h"]).id
        s.commit()
    with Session(engine) as first, Session(engine) as second:
        change_goal(first, world["gerda"], goal_id, 1, notitie="Eerste", date=D)
        first.commit()
        with pytest.raises(Conflict):
            change_goal(second, world["gerda"], goal_id, 1, notitie="Tweede", date=D)
        second.rollback()
    with Session(engine) as s:
        notes = s.scalars(select(GoalProgress.notitie).order_by(GoalProgress.id)).all()
    assert notes == ["Doel opgesteld", "Eerste"]


def test_change_by_someone_else_is_refused_and_audited(session, world):
    goal = _goal(session, world["gerda"], world["h"])
    session.commit()
    with pytest.raises(AccessDenied, match="Alleen de regiehouder"):
        change_goal(session, world["karel"], goal.id, 1, status="loopt", date=D)
    assert _refusals(session, "plan_doel_wijzigen") == 1
    assert session.get(PlanGoal, goal.id).status == "open"
    with pytest.raises(NotFound):
        change_goal(session, world["gerda"], 99999, 1, status="loopt", date=D)


# --- table decisions ------------------------------------------------------------------------


@pytest.fixture
def decided(session, world):
    """A Brede tafel with gerda and karel seated; a standaard and a maatwerk decision."""
    table = ct.table_by_name(session, ct.BREDE_TAFEL)
    for who in ("gerda", "karel"):
        ct.add_member(session, world["gerda"], table.id, world[who].user_id)
    item = ct.add_agenda_item(session, world["karel"], table.id, world["h"], "Wie pakt de huur op?")
    standard = decisions.decide(session, world["karel"], item.id, "Schuldhulp starten",
                                "standaard", D)  # fmt: skip
    item2 = ct.add_agenda_item(session, world["karel"], table.id, world["h"], "Maatwerk nodig?")
    custom = decisions.decide(session, world["karel"], item2.id, "Bijdrage voor de huur",
                              "maatwerk", D)  # fmt: skip
    session.commit()
    return {"table": table.id, "standard": standard.id, "custom": custom.id}


def _from_decision(session, actor, decision_id, **kw):
    args = dict(levensgebied="financien", doel="Schuldhulp is gestart",
                evaluatiedatum=LATER, eigenaar_instelling_id=None,
                eigenaar_afdeling="ISD BOL", date=D)  # fmt: skip
    args.update(kw)
    return add_goal_from_decision(session, actor, decision_id, **args)


def test_a_table_member_adds_a_goal_from_a_decision_in_force(session, world, decided):
    goal = _from_decision(session, world["karel"], decided["standard"])
    session.commit()
    assert goal.decision_id == decided["standard"]
    (g,) = read_plan(session, world["gerda"], world["h"], today=D).goals
    assert g.tafel == ct.BREDE_TAFEL
    assert g.historie[0].besluit and g.historie[0].notitie.startswith("Doel uit besluit van")
    assert session.scalar(
        select(func.count()).where(AuditEvent.actie == "plan_doel_uit_besluit",
                                   AuditEvent.resultaat == "ok")
    ) == 1  # fmt: skip


def test_maatwerk_needs_agreement_first(session, world, decided):
    with pytest.raises(InvalidInput, match="wacht op review"):
        _from_decision(session, world["karel"], decided["custom"])
    session.rollback()
    decisions.review(session, world["gerda"], decided["custom"], False, "Eerst toeslagen", D)
    session.commit()
    with pytest.raises(InvalidInput, match="tegenspraak"):
        _from_decision(session, world["karel"], decided["custom"])
    session.rollback()
    assert _count(session, PlanGoal) == 0


def test_a_non_member_is_refused_and_audited(session, world, decided):
    outsider = make_user(session, "olga", "gbd")
    opened(session, outsider, session.get(Household, world["h"]))
    session.commit()
    with pytest.raises(AccessDenied, match="geen lid"):
        _from_decision(session, outsider, decided["standard"])
    assert _refusals(session, "plan_doel_uit_besluit") == 1
    assert _count(session, PlanGoal) == 0


def test_print_is_audited_with_its_purpose(session, world):
    _goal(session, world["gerda"], world["h"])
    session.commit()
    html = print_plan(session, world["gerda"], world["h"], today=D)
    assert "Huurachterstand is afgelost" in html
    row = session.scalars(select(AuditEvent).where(AuditEvent.actie == "plan_afdrukken")).one()
    assert "afdrukken" in row.doel and "regiehouder" in row.doel
