"""Demo seeding of the loop: veiligheid 1 routed, tegenspraak answered, vraagbaak, knelpunten."""

from __future__ import annotations

from sqlalchemy import func, select, text

from coordination import casetables as ct
from coordination.loopmodels import Escalation, SystemBottleneck
from coordination.models import AgendaItem, CaseTableMember, Decision
from data.demo import run_demo
from data.demo_loop import seed_loop
from experiments.models import StabilityLog
from households.db import session_scope
from households.models import Signal, User


def test_demo_seeds_the_loop_once(engine, capsys):
    summary = run_demo(engine, households=600, seed=7)
    assert "De lus vullen" in capsys.readouterr().out
    assert summary["optional"]["loop"] == {"veiligheid_1": 3, "ingebracht": 3,
                                           "opnieuw_besloten": 1, "escalaties": 2,
                                           "knelpunten": 13}  # fmt: skip
    with session_scope(engine) as s:
        veilig = ct.table_by_name(s, ct.TAFEL_VEILIGHEID)
        routed = s.scalars(select(Signal.household_id).where(
            Signal.bron_id.like("logboek:%"))).all()  # fmt: skip
        on_table = set(s.scalars(select(AgendaItem.household_id).where(
            AgendaItem.case_table_id == veilig.id)))  # fmt: skip
        assert routed and set(routed) <= on_table
        # Veiligheid 1 is rare and deliberate: only the loop's own logs, none at random.
        assert len(routed) == 3
        assert s.scalar(select(func.count()).where(StabilityLog.veiligheid == 1)) == 3
        answered = s.scalar(select(func.count()).where(Escalation.antwoord.is_not(None)))
        assert (s.scalar(select(func.count()).select_from(Escalation)), answered) == (2, 1)
        assert s.scalar(select(func.count()).where(Decision.vervangt_id.is_not(None))) == 1
        sources = s.execute(select(
            func.count(SystemBottleneck.decision_id), func.count(SystemBottleneck.spend_id),
            func.count(SystemBottleneck.experiment_id))).one()  # fmt: skip
        assert tuple(sources) == (6, 1, 6)
        seated = select(func.count()).select_from(CaseTableMember)
        seated = seated.join(User, User.id == CaseTableMember.user_id)
        workers = s.scalar(seated.where(User.rol == "ervaringswerker"))
        assert workers >= 2
        assert seed_loop(s, 7)["escalaties"] == 0  # once
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM escalatie")).scalar_one() == 2
