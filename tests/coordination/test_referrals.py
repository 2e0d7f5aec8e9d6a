"""Referrals to partners: made from actions and goals, answered by the partner, escalated."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from coordination import actions as act
from coordination import casetables as ct
from coordination import referral_responses as rr
from coordination import referrals as ref
from coordination.consent import record_consent
from coordination.loopmodels import HouseholdPlan, PlanGoal, Referral, ReferralMessage
from coordination.models import Action, Feedback
from households.actor import Actor
from households.errors import AccessDenied, Conflict, InvalidInput
from households.models import AuditEvent, User
from tests.builders import D, add_institution, add_regie, make_household, make_user, valid_bsn


def make_partner(session, naam: str, institution) -> Actor:
    """An active partner account bound to ``institution``."""
    user = User(naam=naam, weergavenaam=naam.title(), rol="partner", wachtwoord_hash="x",
                actief=True, institution_id=institution.id)  # fmt: skip
    session.add(user)
    session.flush()
    return Actor(user.id, user.naam, user.rol)


@pytest.fixture
def loop(session):
    gerda = make_user(session, "gerda", "gbd")
    woning = add_institution(session, "Weller Wonen")
    impuls = add_institution(session, "Impuls maatschappelijk werk")
    table = ct.ensure_tables(session)[0]
    ct.add_member(session, gerda, table.id, gerda.user_id)
    h = make_household(session, persons=[(valid_bsn(1), "Jan Jansen", "hoofdbewoner")])
    other = make_household(
        session, straat="Dorpstraat", persons=[(valid_bsn(2), "Piet", "hoofdbewoner")]
    )
    add_regie(session, h, gerda)
    add_regie(session, other, gerda)
    item = ct.add_agenda_item(session, gerda, table.id, h.id, "Wie helpt met de huur?", date=D)
    item2 = ct.add_agenda_item(session, gerda, table.id, other.id, "Wie helpt Piet?", date=D)
    a1 = act.add_action(session, gerda, item.id, "Betalingsregeling huur maken", "K. Bos",
                        D + dt.timedelta(days=30), institution_id=woning.id, date=D)  # fmt: skip
    a2 = act.add_action(session, gerda, item2.id, "Gesprek over schulden", "P. Smit",
                        D + dt.timedelta(days=30), institution_id=impuls.id, date=D)  # fmt: skip
    petra = make_partner(session, "petra", woning)
    ivo = make_partner(session, "ivo", impuls)
    # each household consented to sharing with the institution it is referred to (DESIGN 8.3)
    for household, inst in ((h, woning), (other, impuls)):
        record_consent(session, gerda, household.id, [inst.id], D - dt.timedelta(days=30),
                       D + dt.timedelta(days=300))  # fmt: skip
    session.commit()
    r1 = session.scalar(select(Referral).where(Referral.action_id == a1.id))
    r2 = session.scalar(select(Referral).where(Referral.action_id == a2.id))
    return dict(gerda=gerda, woning=woning, impuls=impuls, table=table, h=h, other=other,
                item=item, a1=a1, a2=a2, r1=r1, r2=r2, petra=petra, ivo=ivo)  # fmt: skip


def _refusals(session, actor: Actor) -> list[tuple[str, str | None]]:
    rows = session.execute(
        select(AuditEvent.actie, AuditEvent.object_type).where(
            AuditEvent.gebruiker == actor.naam, AuditEvent.resultaat == "geweigerd"
        )
    ).all()
    return [(a, o) for a, o in rows]


def test_an_action_for_an_institution_is_one_referral_with_the_regie_holder_as_contact(
    session, loop
):
    r1 = loop["r1"]
    assert (r1.institution_id, r1.household_id, r1.status, r1.versie) == (
        loop["woning"].id, loop["h"].id, "verstuurd", 1,
    )  # fmt: skip
    assert r1.taak == "Betalingsregeling huur maken" and r1.verstuurd_op == D
    assert r1.contact == "Gerda (regiehouder), via de KISS hub"
    assert session.query(Referral).count() == 2


def test_partner_lists_only_the_referrals_of_their_own_institution(session, loop):
    rows = ref.my_referrals(session, loop["petra"], D)
    assert [r.referral_id for r in rows] == [loop["r1"].id]
    row = rows[0]
    assert (row.naam, row.adres, row.instelling) == (
        "Jan Jansen", "Kerkstraat 12, 6441 AB, wijk Centrum", "Weller Wonen",
    )  # fmt: skip


def test_open_referral_shows_the_minimum_and_nothing_else(session, loop):
    detail = ref.open_referral(session, loop["petra"], loop["r1"].id, D)
    fields = set(detail.row.__dataclass_fields__)
    assert not fields & {"voorzieningen", "schulden", "signalen", "logboek", "vraag", "bsn"}
    assert detail.row.taak == "Betalingsregeling huur maken" and detail.berichten == ()
    audit_row = session.scalars(
        select(AuditEvent).where(AuditEvent.actie == "verwijzing_inzien")
    ).all()[-1]
    assert (audit_row.object_type, audit_row.doel) == (
        "household", f"verwijzing {loop['r1'].id} · toestemming",
    )  # fmt: skip


def test_accept_progress_close_write_messages_feedback_and_complete_the_action(session, loop):
    r1, petra = loop["r1"], loop["petra"]
    day = D + dt.timedelta(days=1)
    rr.accept_referral(session, petra, r1.id, 1, "We bellen morgen", date=day)
    rr.report_progress(session, petra, r1.id, 2, "Eerste gesprek gevoerd", date=day)
    rr.close_referral(session, petra, r1.id, 3, "deels_bereikt", "Regeling loopt, nog niet rond",
                      date=day + dt.timedelta(days=3))  # fmt: skip
    session.commit()
    r1 = session.get(Referral, r1.id)
    assert (r1.status, r1.versie, r1.uitkomst, r1.geaccepteerd_op) == (
        "afgerond", 4, "deels_bereikt", day,
    )  # fmt: skip
    kinds = session.scalars(
        select(ReferralMessage.soort).where(ReferralMessage.verwijzing_id == r1.id)
        .order_by(ReferralMessage.id)
    ).all()  # fmt: skip
    assert kinds == ["acceptatie", "voortgang", "afronding"]
    assert session.get(Action, loop["a1"].id).status == "afgerond"
    assert session.query(Feedback).filter_by(action_id=loop["a1"].id).count() == 3
    detail = ref.open_referral(session, loop["gerda"], r1.id, D)  # the GBD-er sees the answers
    assert [b[1] for b in detail.berichten] == ["geaccepteerd", "voortgang", "afgerond"]
    answers = session.scalars(
        select(AuditEvent.actie).where(AuditEvent.gebruiker == petra.naam)
    ).all()
    assert answers.count("verwijzing_beantwoorden") == 3


def test_decline_needs_a_reason_and_then_is_final(session, loop):
    r1, petra = loop["r1"], loop["petra"]
    with pytest.raises(InvalidInput, match="reden"):
        rr.decline_referral(session, petra, r1.id, 1, "  ", date=D)
    rr.decline_referral(session, petra, r1.id, 1, "Geen huurder bij ons", date=D)
    session.commit()
    assert session.get(Referral, r1.id).afwijzing_reden == "Geen huurder bij ons"
    with pytest.raises(Conflict, match="afgesloten"):
        rr.accept_referral(session, petra, r1.id, 2, date=D)


def test_a_stale_version_writes_nothing(session, loop):
    r1, petra = loop["r1"], loop["petra"]
    rr.accept_referral(session, petra, r1.id, 1, date=D)
    session.commit()
    with pytest.raises(Conflict, match="intussen gewijzigd"):
        rr.report_progress(session, petra, r1.id, 1, "Tweede gesprek", date=D)
    session.rollback()
    assert session.query(ReferralMessage).count() == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, p, r: rr.close_referral(s, p, r, 1, "super", "x x x", date=D), "uitkomst"),
        (lambda s, p, r: rr.report_progress(s, p, r, 1, "Gesprek", date=D), "eerst"),
        (lambda s, p, r: rr.accept_referral(s, p, r, 1, date=D - dt.timedelta(days=1)), "vóór"),
        (lambda s, p, r: rr.accept_referral(s, p, r, 1, date=dt.date(2099, 1, 1)), "toekomst"),
        (lambda s, p, r: rr.accept_referral(s, p, r, 1, "BSN 111222333", date=D), "BSN"),
    ],
)
def test_bad_answers_get_a_dutch_message_and_change_nothing(session, loop, call, message):
    with pytest.raises((InvalidInput, Conflict), match=message):
        call(session, loop["petra"], loop["r1"].id)
    session.rollback()
    assert session.get(Referral, loop["r1"].id).status == "verstuurd"
    assert session.query(ReferralMessage).count() == 0


# --- need-to-know: everything outside the partner's referrals is refused and audited -------


def test_partner_cannot_open_or_answer_another_institutions_referral(session, loop):
    with pytest.raises(AccessDenied, match="niet aan uw instelling"):
        ref.open_referral(session, loop["petra"], loop["r2"].id, D)
    with pytest.raises(AccessDenied):
        rr.accept_referral(session, loop["petra"], loop["r2"].id, 1, date=D)
    assert _refusals(session, loop["petra"]) == [
        ("verwijzing_inzien", "verwijzing"), ("verwijzing_beantwoorden", "verwijzing"),
    ]  # fmt: skip
    assert session.get(Referral, loop["r2"].id).status == "verstuurd"


def test_partner_cannot_read_a_household(session, loop):
    from coordination.frontdoor import household_view

    with pytest.raises(AccessDenied):
        household_view(session, loop["petra"], loop["h"].id, D)  # even the referral's own
    assert _refusals(session, loop["petra"])


def test_partner_cannot_read_provisions_or_debts(session, loop):
    from coordination.picture import household_picture

    with pytest.raises(AccessDenied):
        household_picture(session, loop["petra"], loop["h"].id, D)
    assert _refusals(session, loop["petra"])


def test_partner_cannot_read_signals(session, loop):
    from coordination.signals import household_follow_ups

    with pytest.raises(AccessDenied):
        household_follow_ups(session, loop["petra"], loop["h"].id)
    assert _refusals(session, loop["petra"])


def test_partner_cannot_read_stability_logs(session, loop):
    from experiments.logbook import household_logs

    with pytest.raises(AccessDenied):
        household_logs(session, loop["petra"], loop["h"].id)
    assert _refusals(session, loop["petra"])


def test_partner_cannot_list_a_households_referrals_or_the_escalations(session, loop):
    with pytest.raises(AccessDenied):
        ref.household_referrals(session, loop["petra"], loop["h"].id, D)
    with pytest.raises(AccessDenied):
        ref.escalated_referrals(session, loop["petra"], D)
    assert len(_refusals(session, loop["petra"])) == 2


def test_a_gbd_user_has_no_partner_list(session, loop):
    with pytest.raises(AccessDenied):
        ref.my_referrals(session, loop["gerda"], D)


# --- escalation: 5 Dutch working days (weekend and public holidays in the window) ----------


def test_escalation_after_five_working_days_over_christmas_and_a_weekend(session, loop):
    gerda = loop["gerda"]
    # Tue 23 Dec: Wed 24, (Christmas 25/26, weekend 27/28), Mon 29, Tue 30, Wed 31,
    # (Nieuwjaarsdag), Fri 2 Jan is the fifth working day: escalated from Sat 3 Jan on.
    sent = dt.date(2025, 12, 23)
    item = ct.add_agenda_item(session, gerda, loop["table"].id, loop["h"].id, "Kerstvraag",
                              date=sent)  # fmt: skip
    act.add_action(session, gerda, item.id, "Huisbezoek afleggen", "K. Bos",
                   dt.date(2026, 3, 1), institution_id=loop["woning"].id, date=sent)  # fmt: skip
    session.commit()
    for day in (dt.date(2025, 12, 31), dt.date(2026, 1, 2)):
        assert ref.escalated_referrals(session, gerda, day) == []
    rows = ref.escalated_referrals(session, gerda, dt.date(2026, 1, 3))
    assert [(r.taak, r.escalatie, r.accepteren_voor) for r in rows] == [
        ("Huisbezoek afleggen", "Niet geaccepteerd binnen 5 werkdagen", dt.date(2026, 1, 2)),
    ]
    assert ref.escalated_referrals(session, make_user(session, "bert", "gbd"), D) == []


def test_overdue_accepted_referral_is_escalated_and_shown_in_the_household_list(session, loop):
    rr.accept_referral(session, loop["petra"], loop["r1"].id, 1, date=D)
    session.commit()
    late = D + dt.timedelta(days=31)
    rows = ref.escalated_referrals(session, loop["gerda"], late)
    assert {r.referral_id: r.escalatie for r in rows}[loop["r1"].id] == "Deadline verstreken"
    listed = ref.household_referrals(session, loop["gerda"], loop["h"].id, late)
    assert [(r.status, r.escalatie) for r in listed] == [("geaccepteerd", "Deadline verstreken")]
    assert listed[0].laatste_reactie == "geaccepteerd op 01-06-2026"


# --- feedback compliance from the partners' own answers ------------------------------------


def test_feedback_compliance_counts_answers_within_five_working_days(session, loop):
    rr.accept_referral(session, loop["petra"], loop["r1"].id, 1, date=D + dt.timedelta(days=2))
    rr.decline_referral(
        session, loop["ivo"], loop["r2"].id, 1, "Geen capaciteit", date=D + dt.timedelta(days=10)
    )  # fmt: skip (too late: 8 working days)
    session.commit()
    df = act.feedback_compliance(session, loop["gerda"], D + dt.timedelta(days=20))
    assert df.to_dict("records") == [
        {"institution": "Impuls maatschappelijk werk", "actions": 1, "with_feedback": 0,
         "share": 0.0},
        {"institution": "Weller Wonen", "actions": 1, "with_feedback": 1, "share": 1.0},
    ]  # fmt: skip
    before = act.feedback_compliance(session, loop["gerda"], D + dt.timedelta(days=1))
    assert before["with_feedback"].tolist() == [0, 0]


# --- goals owned by an institution ----------------------------------------------------------


def test_refer_goal_uses_the_goal_and_refuses_a_second_open_referral(session, loop):
    plan = HouseholdPlan(household_id=loop["h"].id)
    session.add(plan)
    session.flush()
    goal = PlanGoal(plan_id=plan.id, levensgebied="huisvesting", hoek="bestaanszekerheid",
                    doel="Huurachterstand is opgelost", eigenaar_instelling_id=loop["woning"].id,
                    evaluatiedatum=D + dt.timedelta(days=60))  # fmt: skip
    own = PlanGoal(plan_id=plan.id, levensgebied="financien", hoek="bestaanszekerheid",
                   doel="Budget op orde", eigenaar_afdeling="ISD BOL",
                   evaluatiedatum=D)  # fmt: skip
    session.add_all([goal, own])
    session.flush()
    r = ref.refer_goal(session, loop["gerda"], goal.id, date=D)
    assert (r.taak, r.deadline, r.doel_id, r.institution_id) == (
        "Huurachterstand is opgelost", D + dt.timedelta(days=60), goal.id, loop["woning"].id,
    )  # fmt: skip
    with pytest.raises(Conflict):
        ref.refer_goal(session, loop["gerda"], goal.id, date=D)
    with pytest.raises(InvalidInput, match="instelling"):
        ref.refer_goal(session, loop["gerda"], own.id, date=D)
    assert [x.referral_id for x in ref.my_referrals(session, loop["petra"], D)] == [
        loop["r1"].id, r.id,
    ]  # fmt: skip
