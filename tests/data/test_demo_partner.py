"""Demo seeding of partners as users: four partner logins, referrals in every state, seats."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from coordination.loopmodels import Referral
from coordination.models import CaseTableMember
from coordination.referrals import escalated_referrals, my_referrals
from data.demo_coordination import seed_coordination
from data.demo_partner import FRESH_TASK, PARTNERS, seed_partners
from households.actor import SYSTEM, Actor
from households.models import User
from tests.builders import make_user
from tests.data.test_demo_coordination import _demo_world

TODAY = dt.date(2026, 6, 1)


def test_demo_partners_referrals_in_every_state_and_idempotent(session):
    make_user(session, "gbd", "gbd")
    make_user(session, "gbd2", "gbd")
    _demo_world(session)
    seed_coordination(session, seed=3, today=TODAY)
    counts = seed_partners(session, today=TODAY)
    assert counts["partners"] == 4 and counts["verwijzingen"] == 8 and counts["tafelleden"] >= 4
    statuses = set(session.scalars(select(Referral.status)))
    assert {"verstuurd", "geaccepteerd", "afgewezen", "afgerond"} <= statuses
    assert all(r.afwijzing_reden for r in session.scalars(
        select(Referral).where(Referral.status == "afgewezen")))  # fmt: skip
    escalated = escalated_referrals(session, SYSTEM, TODAY)
    reasons = {r.escalatie for r in escalated}
    assert reasons == {"Niet geaccepteerd binnen 5 werkdagen", "Deadline verstreken"}
    users = {u.naam: u for u in session.scalars(select(User).where(User.rol == "partner"))}
    assert set(users) == {naam for naam, *_ in PARTNERS}
    petra = users["partner"]
    mine = my_referrals(session, Actor(petra.id, petra.naam, petra.rol), TODAY)
    assert FRESH_TASK in [r.taak for r in mine if r.status == "verstuurd"]
    seats = select(CaseTableMember.mandaat).where(CaseTableMember.user_id == petra.id)
    assert set(session.scalars(seats)) == {True}
    assert seed_partners(session, today=TODAY)["verwijzingen"] == 0
