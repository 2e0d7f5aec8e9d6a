"""Case tables: members, agenda, decisions, four-eyes review, actions, feedback, lists."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from coordination import actions as act
from coordination import casetables as ct
from coordination import decisions
from coordination.frontdoor import household_view
from coordination.models import CaseTable, Decision
from households.access import may_see_household
from households.errors import AccessDenied, Conflict, InvalidInput, KissError
from households.models import AuditEvent
from tests.builders import (
    D,
    add_institution,
    make_household,
    make_user,
    opened,
    valid_bsn,
)


@pytest.fixture
def world(session):
    gerda = make_user(session, "gerda", "gbd")
    karel = make_user(session, "karel", "gbd")
    buiten = make_user(session, "bert", "gbd")  # sits at no table
    tables = ct.ensure_tables(session)
    for t in tables:
        ct.add_member(session, gerda, t.id, gerda.user_id)
        ct.add_member(session, gerda, t.id, karel.user_id)
    h = make_household(session, persons=[(valid_bsn(1), "Jan Jansen", "hoofdbewoner")])
    opened(session, gerda, h)
    brede = tables[0]
    meeting = ct.plan_meeting(session, gerda, brede.id, D)
    item = ct.add_agenda_item(
        session, gerda, brede.id, h.id, "Wie pakt de schulden op?", meeting_id=meeting.id, date=D
    )
    return {
        "gerda": gerda,
        "karel": karel,
        "bert": buiten,
        "h": h,
        "table": brede,
        "meeting": meeting,
        "item": item,
    }


def test_the_three_named_tables_exist(session, world):
    names = [t.naam for t in ct.list_tables(session, world["gerda"])]
    assert names == [
        "Brede tafel publiek domein",
        "Tafel Noord en Oost",
        "Tafel sociale veiligheid",
    ]
    ct.create_table(session, world["gerda"], "Tafel jongeren")
    info = ct.list_tables(session, world["karel"])
    assert [t.naam for t in info][-1] == "Tafel jongeren" and info[0].lid and not info[-1].lid
    assert info[0].leden == ("Gerda", "Karel")
    with pytest.raises(Conflict):
        ct.create_table(session, world["gerda"], "Tafel jongeren")


def test_only_gbd_users_can_be_members(session, world):
    anna = make_user(session, "anna", "voordeur")
    with pytest.raises(InvalidInput, match="GBD"):
        ct.add_member(session, world["gerda"], world["table"].id, anna.user_id)


def test_member_may_see_household_on_agenda(session, world):
    assert may_see_household(session, world["karel"], world["h"].id)  # never opened it
    assert not may_see_household(session, world["bert"], world["h"].id)
    assert household_view(session, world["karel"], world["h"].id, D).household_id == world["h"].id
    with pytest.raises(AccessDenied):
        household_view(session, world["bert"], world["h"].id, D)


def test_agenda_shows_item_and_status(session, world):
    rows = ct.agenda(session, world["gerda"], world["table"].id)
    assert [(r.vraag, r.status, r.meeting_datum) for r in rows] == [
        ("Wie pakt de schulden op?", "open", D)
    ]
    with pytest.raises(AccessDenied, match="geen lid"):
        ct.agenda(session, world["bert"], world["table"].id)
    refusal = session.execute(
        select(AuditEvent.gebruiker, AuditEvent.actie, AuditEvent.object_type, AuditEvent.resultaat)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).one()
    assert tuple(refusal) == ("bert", "agenda_inzien", "case_table", "geweigerd")


def test_an_agenda_view_is_one_audit_row_that_names_every_household(session, world):
    from households.audit.log import events_about

    h2 = make_household(session, persons=[(valid_bsn(2), "Piet Peters", "hoofdbewoner")])
    opened(session, world["gerda"], h2)
    ct.add_agenda_item(session, world["gerda"], world["table"].id, h2.id, "Wie helpt bij werk?",
                       meeting_id=world["meeting"].id, date=D)  # fmt: skip
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    assert len(ct.agenda(session, world["karel"], world["table"].id)) == 2
    rows = session.scalars(select(AuditEvent).where(AuditEvent.id > 0)
                           .order_by(AuditEvent.id.desc()).limit(1)).all()  # fmt: skip
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before + 1
    assert rows[0].actie == "agenda_inzien" and rows[0].gebruiker == "karel"
    for h in (world["h"], h2):  # kiss inzage: who saw this household, and why
        seen = [e for e in events_about(session, "household", [h.id]) if e.gebruiker == "karel"]
        assert [e.actie for e in seen] == ["agenda_inzien"]
        assert seen[0].doel == f"casustafel {world['table'].naam}"


def test_standaard_decision_takes_effect_at_once(session, world):
    decisions.decide(
        session, world["gerda"], world["item"].id, "Via het normale ISD-proces", "standaard", D
    )
    assert ct.agenda(session, world["gerda"], world["table"].id)[0].status == "in werking"


def test_maatwerk_needs_review_by_someone_else(session, world):
    d = decisions.decide(
        session, world["gerda"], world["item"].id, "Schuldhulp met voorrang", "maatwerk", D
    )
    assert ct.agenda(session, world["gerda"], world["table"].id)[0].status == "wacht op review"
    with pytest.raises(InvalidInput, match="eigen besluit"):
        decisions.review(session, world["gerda"], d.id, True)
    decisions.review(session, world["karel"], d.id, True, date=D)
    row = ct.agenda(session, world["gerda"], world["table"].id)[0]
    assert (row.status, row.besloten_door, row.review) == ("in werking", "Gerda", "akkoord (Karel)")
    with pytest.raises(Conflict):
        decisions.review(session, world["karel"], d.id, True)


def test_dissent_needs_a_reason_and_shows_both(session, world):
    d = decisions.decide(
        session, world["gerda"], world["item"].id, "Schuldhulp met voorrang", "maatwerk", D
    )
    with pytest.raises(InvalidInput, match="tegenspraak een reden"):
        decisions.review(session, world["karel"], d.id, False)
    decisions.review(session, world["karel"], d.id, False, "Eerst inkomen op orde", D)
    row = ct.agenda(session, world["gerda"], world["table"].id)[0]
    assert (row.besluit, row.status) == ("Schuldhulp met voorrang", "tegenspraak")
    assert row.review == "tegenspraak (Karel): Eerst inkomen op orde"


def test_reviewer_outside_the_table_has_no_access(session, world):
    d = decisions.decide(
        session, world["gerda"], world["item"].id, "Schuldhulp met voorrang", "maatwerk", D
    )
    with pytest.raises(AccessDenied):
        decisions.review(session, world["bert"], d.id, True)


def test_decision_sets_request_decision_date(session, world):
    from coordination.frontdoor import register_request
    from coordination.triage import decide_triage
    from households.models import HelpRequest

    out = register_request(
        session, world["gerda"], world["h"].id, "WMO", "Hulp in huis", "acuut", D
    )
    td = decide_triage(session, world["gerda"], out.request_id, "maatwerk", date=D)
    decisions.decide(
        session,
        world["karel"],
        td.agenda_item_id,
        "Thuiszorg direct inzetten",
        "standaard",
        D + dt.timedelta(days=6),
    )
    assert session.get(HelpRequest, out.request_id).besluit_op == D + dt.timedelta(days=6)
    with pytest.raises(Conflict, match="al besloten"):
        decisions.decide(
            session, world["karel"], td.agenda_item_id, "Nog een besluit", "standaard", D
        )


def test_actions_feedback_overdue_and_compliance(session, world):
    g, item = world["gerda"], world["item"]
    mondriaan = add_institution(session, "Mondriaan")
    woonpunt = add_institution(session, "Woonpunt")
    a1 = act.add_action(
        session,
        g,
        item.id,
        "Intake verslavingszorg",
        "P. Smit",
        D + dt.timedelta(days=7),
        institution_id=mondriaan.id,
        date=D,
    )
    a2 = act.add_action(
        session,
        g,
        item.id,
        "Betalingsregeling huur",
        "K. Bos",
        D + dt.timedelta(days=14),
        institution_id=woonpunt.id,
        date=D,
    )
    a3 = act.add_action(
        session,
        g,
        item.id,
        "Aanvraag bijzondere bijstand",
        "ISD",
        D + dt.timedelta(days=3),
        afdeling="ISD BOL",
        date=D,
    )
    act.record_feedback(
        session, g, a1.id, "Intake gepland op 12 juni", "P. Smit", D + dt.timedelta(days=5)
    )
    later = D + dt.timedelta(days=10)
    overdue = act.overdue_actions(session, g, later)
    assert [(r.action_id, r.ontvanger, r.dagen_te_laat) for r in overdue] == [
        (a3.id, "ISD BOL", 7),
        (a1.id, "Mondriaan", 3),
    ]
    act.record_feedback(session, g, a3.id, "Toegekend", "ISD", later, afronden=True)
    assert [r.action_id for r in act.overdue_actions(session, g, later)] == [a1.id]
    assert act.overdue_actions(session, world["bert"], later) == []
    # Compliance counts the partners' own answers to the referrals (tests/coordination/
    # test_referrals.py), not the feedback a GBD-er types in for them.
    df = act.feedback_compliance(session, g, later)
    assert df.to_dict("records") == [
        {"institution": "Mondriaan", "actions": 1, "with_feedback": 0, "share": 0.0},
        {"institution": "Woonpunt", "actions": 1, "with_feedback": 0, "share": 0.0},
    ]
    before = act.feedback_compliance(session, g, D + dt.timedelta(days=1))
    assert before["with_feedback"].tolist() == [0, 0] and a2.status == "open"


def test_compliance_for_kiss_role_and_empty(session, world):
    kiss = make_user(session, "kees", "kiss")
    df = act.feedback_compliance(session, kiss, D)
    assert list(df.columns) == ["institution", "actions", "with_feedback", "share"] and df.empty


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"afdeling": None}, "afdeling óf"),
        ({"afdeling": "ISD", "institution_id": None, "omschrijving": "x"}, "opdracht"),
        ({"afdeling": "ISD", "eigenaar": " "}, "eigenaar"),
        ({"afdeling": "ISD", "deadline": D - dt.timedelta(days=1)}, "deadline"),
        ({"afdeling": "ISD", "deadline": "morgen"}, "Deadline"),
    ],
)
def test_bad_action_input(session, world, kwargs, message):
    args = {
        "omschrijving": "Intake doen",
        "eigenaar": "P. Smit",
        "deadline": D + dt.timedelta(days=3),
    }
    args.update(kwargs)
    with pytest.raises(InvalidInput, match=message):
        act.add_action(
            session,
            world["gerda"],
            world["item"].id,
            args.pop("omschrijving"),
            args.pop("eigenaar"),
            args.pop("deadline"),
            date=D,
            **args,
        )


@pytest.mark.parametrize(
    ("tekst", "soort"), [("", "maatwerk"), ("Goed plan", "anders"), ("x" * 4001, "standaard")]
)
def test_bad_decision_input(session, world, tekst, soort):
    with pytest.raises(KissError):
        decisions.decide(session, world["gerda"], world["item"].id, tekst, soort, D)
    assert session.scalar(select(Decision.id)) is None


def test_bad_agenda_input(session, world):
    with pytest.raises(KissError):
        ct.add_agenda_item(session, world["gerda"], world["table"].id, world["h"].id, "kort")
    with pytest.raises(KissError):
        ct.add_agenda_item(session, world["gerda"], 999, world["h"].id, "Een goede vraag")
    other = session.scalars(select(CaseTable).where(CaseTable.naam == ct.TAFEL_VEILIGHEID)).one()
    with pytest.raises(InvalidInput, match="hoort niet"):
        ct.add_agenda_item(
            session,
            world["gerda"],
            other.id,
            world["h"].id,
            "Een goede vraag",
            meeting_id=world["meeting"].id,
        )


def test_feedback_bad_input(session, world):
    a = act.add_action(
        session,
        world["gerda"],
        world["item"].id,
        "Intake doen",
        "P. Smit",
        D + dt.timedelta(days=3),
        afdeling="WMO",
        date=D,
    )
    with pytest.raises(InvalidInput):
        act.record_feedback(session, world["gerda"], a.id, "", "P. Smit", D)
    with pytest.raises(KissError):
        act.record_feedback(session, world["gerda"], 999, "Gedaan", "P. Smit", D)
