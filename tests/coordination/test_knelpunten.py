"""Doorbraak: the reference list of blocking rules, systeemknelpunten, KISS's protected view."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coordination import budget, decisions
from coordination import casetables as ct
from coordination import knelpunten as kp
from coordination.loopmodels import BlockingRule, SystemBottleneck
from households.errors import AccessDenied, Conflict, KissError
from households.models import AuditEvent
from tests.builders import D, make_household, make_user, opened


@pytest.fixture
def world(session):
    gerda = make_user(session, "gerda", "gbd")
    karel = make_user(session, "karel", "gbd")
    table = ct.table_by_name(session, ct.BREDE_TAFEL)
    for who in (gerda, karel):
        ct.add_member(session, gerda, table.id, who.user_id)
    h = make_household(session)
    opened(session, gerda, h)
    item = ct.add_agenda_item(session, gerda, table.id, h.id, "Huur of energie eerst?", date=D)
    dec = decisions.decide(session, gerda, item.id, "Bijzondere bijstand huur", "maatwerk", D)
    decisions.review(session, karel, dec.id, True, None, D)
    budget.set_budget(session, gerda, D.year, "10000")
    spend = budget.spend(session, gerda, dec.id, "250", "Huurachterstand mei betaald", D)
    session.commit()
    return {"gerda": gerda, "table": table, "h": h, "dec": dec, "spend": spend}


def _rule(session, actor, code):
    return next(r for r in kp.blocking_rules(session, actor) if r.code == code)


def test_defaults_are_seeded_once(session, world):
    rules = kp.blocking_rules(session, world["gerda"])
    assert {"PW_KOSTENDELERS", "WMO_EIGEN_BIJDRAGE", "JW_WOONPLAATS", "BESLAGVRIJE_VOET",
            "HUURTOESLAG_TERUG"} <= {r.code for r in rules}  # fmt: skip
    kp.blocking_rules(session, world["gerda"])
    assert session.scalar(select(func.count()).select_from(BlockingRule)) == len(
        kp.DEFAULT_BLOCKING_RULES
    )


def test_beheer_adds_and_switches_off_a_rule(session, world, account):
    beheer = account("bea", "beheer")
    row = kp.save_blocking_rule(session, beheer, "energietoeslag", "Energietoeslag: peildatum")
    session.commit()
    assert row.code == "ENERGIETOESLAG"
    kp.save_blocking_rule(session, beheer, "ENERGIETOESLAG", "Energietoeslag: peildatum",
                          actief=False, rule_id=row.id)  # fmt: skip
    session.commit()
    assert "ENERGIETOESLAG" not in {r.code for r in kp.blocking_rules(session, beheer)}
    assert "ENERGIETOESLAG" in {r.code for r in kp.blocking_rules(session, beheer, False)}
    with pytest.raises(Conflict):
        kp.save_blocking_rule(session, beheer, "PW_KOSTENDELERS", "Dubbel")
    session.rollback()
    ok = (AuditEvent.actie == "referentielijst_wijzigen", AuditEvent.resultaat == "ok")
    events = session.scalars(select(AuditEvent.actie).where(*ok)).all()
    assert len(events) == 2


def test_only_beheer_edits_the_list(session, world):
    with pytest.raises(AccessDenied):
        kp.save_blocking_rule(session, world["gerda"], "X_REGEL", "Een regel")
    assert (
        session.scalar(
            select(func.count()).where(
                AuditEvent.actie == "referentielijst_wijzigen", AuditEvent.resultaat == "geweigerd"
            )
        )
        == 1
    )


def test_a_decision_and_a_spend_name_the_blocking_rule(session, world):
    rule = _rule(session, world["gerda"], "PW_KOSTENDELERS")
    kp.record_bottleneck(session, world["gerda"], rule.id, "Zoon kan niet inwonen zonder korting",
                         decision_id=world["dec"].id)  # fmt: skip
    kp.record_bottleneck(session, world["gerda"], rule.id, "Budget betaalt wat de norm wegneemt",
                         spend_id=world["spend"].id)  # fmt: skip
    session.commit()
    rows = session.scalars(select(SystemBottleneck).order_by(SystemBottleneck.id)).all()
    assert [(r.decision_id, r.spend_id, r.regel_id) for r in rows] == [
        (world["dec"].id, None, rule.id), (None, world["spend"].id, rule.id)]  # fmt: skip


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"decision_id": 1, "spend_id": 1}, {"decision_id": 999}, {"regel_id": 999}],
)
def test_bad_bottleneck_is_refused(session, world, kwargs):
    args = {"decision_id": world["dec"].id, "regel_id": None, **kwargs}
    if not kwargs:
        args.pop("decision_id")
    regel = args.pop("regel_id")
    with pytest.raises(KissError):
        kp.record_bottleneck(session, world["gerda"], regel, "Een knelpunt in de regels", **args)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(SystemBottleneck)) == 0


def test_a_non_member_cannot_record_on_a_decision(session, world):
    bert = make_user(session, "bert", "gbd")
    opened(session, bert, world["h"])
    session.commit()
    with pytest.raises(AccessDenied):
        kp.record_bottleneck(session, bert, None, "Een knelpunt in de regels",
                             decision_id=world["dec"].id)  # fmt: skip
    assert (
        session.scalar(
            select(func.count()).where(
                AuditEvent.actie == "knelpunt_vastleggen", AuditEvent.resultaat == "geweigerd"
            )
        )
        == 1
    )


def test_kiss_sees_counts_protected_and_descriptions_only_from_five(session, world, account):
    a = _rule(session, world["gerda"], "PW_KOSTENDELERS")
    c = _rule(session, world["gerda"], "BESLAGVRIJE_VOET")
    for i in range(5):
        kp.write_bottleneck(session, world["gerda"], a.id, f"Kostendelersnorm geval {i}",
                            decision_id=world["dec"].id)  # fmt: skip
    kp.write_bottleneck(session, world["gerda"], a.id, "Kostendelersnorm bij het budget",
                        spend_id=world["spend"].id)  # fmt: skip
    for i in range(2):
        kp.write_bottleneck(session, world["gerda"], c.id, f"Beslag te hoog geval {i}",
                            decision_id=world["dec"].id)  # fmt: skip
    session.commit()
    rows = kp.bottleneck_overview(session, account("kees", "kiss"))
    assert [(r.regel, r.aantal, len(r.beschrijvingen)) for r in rows] == [
        (a.naam, 6, 6), (c.naam, "<5", 0)]  # fmt: skip
    assert "Kostendelersnorm bij het budget" in rows[0].beschrijvingen
    assert session.scalar(select(func.count()).where(AuditEvent.actie == "knelpunten_inzien")) == 1


def test_no_household_and_no_author_reaches_kiss(session, world, account):
    a = _rule(session, world["gerda"], "PW_KOSTENDELERS")
    kp.record_bottleneck(session, world["gerda"], a.id, "Kostendelersnorm in het algemeen",
                         decision_id=world["dec"].id)  # fmt: skip
    session.commit()
    [row] = kp.bottleneck_overview(session, account("kees", "kiss"))
    blob = repr(row)
    assert world["h"].huishouden_id not in blob and "Gerda" not in blob and "gerda" not in blob
    assert row.aantal == "<5"


def test_gbd_cannot_read_the_kiss_overview(session, world):
    with pytest.raises(AccessDenied):
        kp.bottleneck_overview(session, world["gerda"])
