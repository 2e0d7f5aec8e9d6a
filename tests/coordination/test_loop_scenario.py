"""The loop in one story, through the services (issue 11, first required test).

An ervaringswerker logs veiligheid 1 → a safety signal opens and the household is on the
Tafel sociale veiligheid agenda → the GBD-er with regie reads the log → the table decides,
making a plan goal and a referral to the woningcorporatie (and names the blocking rule) →
the woningcorporatie's partner sees only that referral, accepts it and reports the outcome →
the GBD-er's worklist and the plan show it → KISS sees the referral counts per institution
(protected) and the systeemknelpunt, never the household. Counts are read from the database.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from coordination import actions as act
from coordination import casetables as ct
from coordination import decisions, knelpunten, plan
from coordination import referral_responses as rr
from coordination import referrals as ref
from coordination.loopmodels import GoalProgress, Referral, ReferralMessage, SystemBottleneck
from coordination.models import AgendaItem
from coordination.overview import partner_feedback
from experiments import loop as ew_loop
from experiments.logbook import log_situation
from experiments.worklist import my_worklist
from households.errors import AccessDenied, Conflict
from households.models import AuditEvent, Signal
from tests import builders as b
from tests.coordination.test_referrals import make_partner

LOGGED = dt.date(2026, 3, 2)  # a Monday
DECIDED = dt.date(2026, 3, 3)
LATE = dt.date(2026, 3, 11)  # six working days after the referral: escalated
CLOSED = dt.date(2026, 3, 16)
TASK = "Huisbezoek en afspraak over de woonsituatie"
STORY = "Ik slaap bij de buren sinds de ruzie van gisteren."


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def world(session, account):
    exp, _coord, ew = b.team(session)
    hh, _ = b.household_with_persons(session, naam="Mia Langeberg")
    other, _ = b.household_with_persons(session, naam="Piet Verhoeven")
    b.enrol_direct(session, exp, hh)
    gerda = b.make_user(session, "gerda", "gbd")  # regie on hh, member of the table
    karel = b.make_user(session, "karel", "gbd")  # the second member
    b.add_regie(session, hh, gerda)
    b.add_regie(session, other, karel)
    table = ct.table_by_name(session, ct.TAFEL_VEILIGHEID)
    for who in (gerda, karel):
        ct.add_member(session, gerda, table.id, who.user_id)
    woning = b.add_institution(session, "Woningcorporatie Weller")
    impuls = b.add_institution(session, "Impuls maatschappelijk werk")
    # Another institution's referral for another household: the partner must never see it.
    b.opened(session, karel, other)
    item2 = ct.add_agenda_item(session, karel, table.id, other.id, "Wie gaat erheen?", date=LOGGED)
    due = LOGGED + dt.timedelta(days=30)
    act.add_action(session, karel, item2.id, "Gesprek over de schulden", "P. Smit", due,
                   institution_id=impuls.id, date=LOGGED)  # fmt: skip
    petra = make_partner(session, "petra", woning)
    session.commit()
    return dict(ew=ew, hh=hh, other=other, gerda=gerda, karel=karel, table=table, woning=woning,
                petra=petra, kiss=account("kees", "kiss"))  # fmt: skip


def test_the_loop_in_one_story(session, world):
    w = world
    hh = w["hh"]
    # 1. The ervaringswerker logs veiligheid 1: one signal, one item on the veiligheid table.
    log = log_situation(session, w["ew"], hh.id, LOGGED, bestaanszekerheid=2,
                        zorgcontinuiteit=3, meedoen=2, veiligheid=1, stressors=["schulden"],
                        acute_problemen="Ruzie thuis, politie is geweest", verhaal=STORY,
                        today=LOGGED)  # fmt: skip
    session.commit()
    assert _count(session, Signal, Signal.bron_id == f"logboek:{log.id}") == 1
    on_table = (AgendaItem.case_table_id == w["table"].id, AgendaItem.household_id == hh.id)
    [item] = session.scalars(select(AgendaItem).where(*on_table)).all()
    assert "veiligheid 1" in item.vraag and item.toegevoegd_door == w["ew"].user_id

    # 2. The GBD-er with regie reads the log (reason: regie); the other member via the table.
    view = ew_loop.stability_view(session, w["gerda"], hh.id)
    assert view.reden == "regiehouder" and [x.verhaal for x in view.logs] == [STORY]
    assert ew_loop.stability_view(session, w["karel"], hh.id).reden == (
        f"casustafel {ct.TAFEL_VEILIGHEID}"
    )
    session.commit()

    # 3. The table decides: a goal in the plan, an action that is a referral, the blocking rule.
    decision = decisions.decide(session, w["gerda"], item.id, "Veilig wonen: tijdelijk "
                                "elders, woningcorporatie zoekt een oplossing", "standaard",
                                DECIDED)  # fmt: skip
    goal = plan.add_goal_from_decision(
        session, w["gerda"], decision.id, levensgebied="huisvesting",
        doel="Een veilige woonplek voor Mia binnen zes weken",
        evaluatiedatum=DECIDED + dt.timedelta(days=42),
        eigenaar_instelling_id=w["woning"].id, date=DECIDED,
    )  # fmt: skip
    action = act.add_action(session, w["gerda"], item.id, TASK, "Woonconsulent",
                            DECIDED + dt.timedelta(days=28), institution_id=w["woning"].id,
                            date=DECIDED)  # fmt: skip
    [rule] = [r for r in knelpunten.blocking_rules(session, w["gerda"])][:1]
    knelpunten.record_bottleneck(session, w["gerda"], rule.id, "Urgentie voor een woning "
                                 "vraagt een beschikking die weken duurt", decision_id=decision.id,
                                 date=DECIDED)  # fmt: skip
    session.commit()
    referral = session.scalars(select(Referral).where(Referral.action_id == action.id)).one()
    assert (referral.institution_id, referral.household_id, referral.status) == (
        w["woning"].id, hh.id, "verstuurd")  # fmt: skip

    # 4. Not accepted in 5 working days: on the regie holder's worklist, after the log.
    before = my_worklist(session, w["gerda"], today=LATE)
    kinds = [(i.soort, i.household_id) for i in before.items]
    assert ("verwijzing", hh.id) in kinds and ("logboek", hh.id) in kinds
    assert kinds.index(("logboek", hh.id)) < kinds.index(("verwijzing", hh.id))  # acuut first
    session.commit()

    # 5. The partner sees only this referral, not the other one, not the household.
    rows = ref.my_referrals(session, w["petra"], LATE)
    assert [(r.referral_id, r.taak) for r in rows] == [(referral.id, TASK)]
    other_ref = session.scalars(
        select(Referral).where(Referral.household_id == w["other"].id)
    ).one()
    with pytest.raises(AccessDenied):
        ref.open_referral(session, w["petra"], other_ref.id, LATE)
    with pytest.raises(AccessDenied):
        ew_loop.stability_view(session, w["petra"], hh.id)
    with pytest.raises(AccessDenied):
        plan.read_plan(session, w["petra"], hh.id, LATE)
    session.commit()
    r = rr.accept_referral(session, w["petra"], referral.id, referral.versie, date=LATE)
    session.commit()
    with pytest.raises(Conflict):  # a second click on the same version writes nothing
        rr.accept_referral(session, w["petra"], referral.id, 1, date=LATE)
    session.rollback()
    r = rr.report_progress(session, w["petra"], referral.id, r.versie, "Eerste gesprek gevoerd",
                           date=LATE)  # fmt: skip
    r = rr.close_referral(session, w["petra"], referral.id, r.versie, "bereikt",
                          "Tijdelijke woning gevonden", date=CLOSED)  # fmt: skip
    session.commit()
    mine = ReferralMessage.verwijzing_id == referral.id
    soorten = session.scalars(
        select(ReferralMessage.soort).where(mine).order_by(ReferralMessage.id)
    )
    soorten = list(soorten)
    assert soorten == ["acceptatie", "voortgang", "afronding"]

    # 6. The worklist no longer has the referral; the plan's goal shows the partner's answers.
    after = my_worklist(session, w["gerda"], today=CLOSED)
    assert ("verwijzing", hh.id) not in [(i.soort, i.household_id) for i in after.items]
    view = plan.read_plan(session, w["gerda"], hh.id, CLOSED)
    [g] = view.goals
    assert (g.id, g.eigenaar, g.tafel) == (goal.id, "Woningcorporatie Weller", ct.TAFEL_VEILIGHEID)
    notes = [p.notitie for p in g.historie]
    assert "Verwijzing Woningcorporatie Weller: geaccepteerd" in notes
    assert (
        "Verwijzing Woningcorporatie Weller: afgerond — bereikt — Tijdelijke woning gevonden"
        in (notes)
    )
    assert _count(session, GoalProgress, GoalProgress.doel_id == goal.id) == 4  # new + 3 answers
    session.commit()

    # The ervaringswerker reads the goals they contribute to; another household is refused.
    seen = ew_loop.plan_goals(session, w["ew"], hh.id, CLOSED)
    assert [g.doel for g in seen.goals] == [goal.doel] and not seen.may_edit
    with pytest.raises(AccessDenied):
        ew_loop.plan_goals(session, w["ew"], w["other"].id, CLOSED)
    session.commit()

    # 7. KISS: referral counts per institution (protected) and the systeemknelpunt, no household.
    feedback = partner_feedback(session, w["kiss"], CLOSED)
    assert {f["instelling"]: f["opdrachten"] for f in feedback} == {
        "Woningcorporatie Weller": "<5", "Impuls maatschappelijk werk": "<5"}  # fmt: skip
    overview = knelpunten.bottleneck_overview(session, w["kiss"])
    assert [(o.regel, o.aantal, o.beschrijvingen) for o in overview] == [(rule.naam, "<5", ())]
    seen = repr(feedback) + repr(overview)
    for secret in (hh.huishouden_id, "Langeberg", hh.straat, STORY):
        assert secret not in seen
    for read in (lambda: ew_loop.stability_view(session, w["kiss"], hh.id),
                 lambda: plan.read_plan(session, w["kiss"], hh.id, CLOSED),
                 lambda: ref.household_referrals(session, w["kiss"], hh.id, CLOSED)):  # fmt: skip
        with pytest.raises(AccessDenied):
            read()
    session.commit()
    assert _count(session, SystemBottleneck) == 1
    refused = _count(session, AuditEvent, AuditEvent.resultaat == "geweigerd",
                     AuditEvent.gebruiker.in_(("petra", "kees")))  # fmt: skip
    assert refused == 6
