"""The plain-row read API of schuldhulp (coordination/shv_data.py): dates as known on a day."""

from __future__ import annotations

import datetime as dt

from coordination.shv_data import norm_terms, trajectory_rows
from coordination.shvmodels import DebtTrajectory, DebtTrajectoryStep
from households.actor import SYSTEM
from households.norms import set_norm
from tests.builders import household_with_persons

D = dt.date


def _trajectory(session, household, aangemeld, steps, crisis=None, reden=None):
    last, since = steps[-1] if steps else ("aanmelding", aangemeld)
    t = DebtTrajectory(household_id=household.id, bron="zelf", aangemeld_op=aangemeld,
                       stap=last, stap_sinds=since, crisis=crisis is not None,
                       crisis_soort=crisis, versie=1,
                       beeindigd_op=since if last == "beeindigd" else None,
                       reden_einde=reden if last == "beeindigd" else None)  # fmt: skip
    session.add(t)
    session.flush()
    for stap, datum in [("aanmelding", aangemeld), *steps]:
        session.add(DebtTrajectoryStep(traject_id=t.id, stap=stap, datum=datum))
    session.flush()
    return t


def test_rows_as_known_on_a_day(session):
    h, _ = household_with_persons(session, wijk="Noord")
    t = _trajectory(session, h, D(2026, 1, 5), [("eerste_gesprek", D(2026, 1, 15)),
                                                 ("plan_van_aanpak", D(2026, 2, 20)),
                                                 ("beeindigd", D(2026, 5, 1))],
                    reden="stabiel_zonder_regeling")  # fmt: skip
    h2, _ = household_with_persons(session, wijk="Zuid")
    _trajectory(session, h2, D(2026, 4, 24), [], crisis="ontruiming")
    early = trajectory_rows(session, D(2026, 1, 31))
    assert [r.traject_id for r in early] == [t.id]
    (row,) = early
    assert (row.stap, row.stap_sinds, row.wijk, row.open) == ("eerste_gesprek", D(2026, 1, 15),
                                                               "Noord", True)  # fmt: skip
    assert row.eerste_gesprek_uiterlijk == D(2026, 1, 19)  # 14 days
    assert row.plan_uiterlijk == D(2026, 3, 12)  # 56 days after the eerste gesprek
    assert row.plan_op is None and row.reden_einde is None
    late = {r.household_id: r for r in trajectory_rows(session, D(2026, 6, 1))}
    assert late[h.id].beeindigd_op == D(2026, 5, 1)
    assert late[h.id].reden_einde == "stabiel_zonder_regeling"
    assert late[h.id].reached("plan_van_aanpak") == D(2026, 2, 20)
    # a crisis on the Friday before Koningsdag (Monday 27 April 2026): 3 working days
    assert late[h2.id].eerste_gesprek_uiterlijk == D(2026, 4, 30)
    assert trajectory_rows(session, D(2026, 6, 1), household_ids=[h2.id])[0].crisis


def test_rows_follow_the_norms_beheer_sets(session):
    h, _ = household_with_persons(session)
    _trajectory(session, h, D(2026, 3, 2), [])
    set_norm(session, SYSTEM, "shv_eerste_gesprek", 10)
    assert norm_terms(session).dagen["shv_eerste_gesprek"] == 10
    assert trajectory_rows(session, D(2026, 6, 1))[0].eerste_gesprek_uiterlijk == D(2026, 3, 12)
