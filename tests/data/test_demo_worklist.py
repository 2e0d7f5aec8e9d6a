"""Demo seeding of the worklist: every demo GBD-er has a row of every kind; idempotent."""

import datetime as dt

from sqlalchemy import select

from coordination.worklist import KINDS
from data.demo_coordination import seed_coordination
from data.demo_experiments import seed_experiments
from data.demo_schuldhulp import seed_schuldhulp
from data.demo_worklist import seed_worklist
from experiments.worklist import my_worklist
from households.accounts import create_demo_users
from households.actor import Actor
from households.models import User
from tests import builders as b


def _population(session):
    for wijk in ("Noord", "Oost", "Zuid"):
        for i in range(6):
            _, p = b.household_with_persons(session, wijk=wijk, n_persons=1)
            b.add_debt(session, p, (500 + 10 * i) * 100, sinds=dt.date(2024, 1, 1))
    b.add_institution(session, "Woningcorporatie Weller")


def test_every_demo_coordinator_has_every_kind(session):
    _population(session)
    create_demo_users(session)
    seed_coordination(session, seed=3)
    seed_experiments(session, seed=5, n_households=10)
    added = seed_worklist(session)
    assert added["logs"] >= 1 and added["reviews"] >= 1
    seed_schuldhulp(session, seed=3)  # the schuldhulp norms (data/demo_schuldhulp.py)
    users = session.scalars(select(User).where(User.rol == "gbd").order_by(User.naam)).all()
    assert {u.naam for u in users} >= {"gbd", "gbd.collega", "gbd.noord", "gbd.oost"}
    for u in users:
        wl = my_worklist(session, Actor(u.id, u.naam, u.rol), per_page=50)
        assert all(wl.counts[k] >= 1 for k in KINDS), (u.naam, wl.counts)
        assert any(i.huishouden is not None for i in wl.items)
    assert seed_worklist(session) == {"regie": 0, "logs": 0, "reviews": 0,
                                      "doelen_verwijzingen": 0}  # fmt: skip
