"""A small hand-built world with one row of every worklist kind (and rows that must not show).

The coordinator is ``gerda`` (gbd); ``TODAY`` is Thursday 31 December 2026, so the referral
sent on Tuesday 22 December (Christmas, Boxing Day and a weekend in the window) has just
passed its 5 working days. The expected order of gerda's worklist is :data:`EXPECTED`.
"""

from __future__ import annotations

import datetime as dt

from coordination import casetables as ct
from coordination.loopmodels import HouseholdPlan, PlanGoal, Referral
from coordination.models import AgendaItem, Decision, Review
from experiments.models import StabilityLog
from tests.builders import (
    add_institution,
    add_regie,
    enrol_direct,
    experiment,
    make_household,
    make_user,
    valid_bsn,
)

TODAY = dt.date(2026, 12, 31)
D = dt.date

# (kind, household key, date) in the order gerda's worklist must show them.
EXPECTED = [
    ("logboek", "h3", D(2026, 12, 29)),  # veiligheid 1: acuut
    ("doel", "h1", D(2026, 12, 20)),  # review date passed: te laat
    ("verwijzing", "h2", D(2026, 12, 28)),  # deadline passed
    ("verwijzing", "h2", D(2026, 12, 30)),  # not accepted in 5 working days
    ("review", "h4", D(2026, 12, 10)),  # nu, oldest first
    ("logboek", "h3", D(2026, 12, 18)),  # veiligheid 2
    ("doel", "h5", D(2027, 1, 10)),  # owned by gerda, household she may not see
    ("doel", "h1", D(2027, 1, 14)),  # due within 14 days
    ("regie", "h1", None),
    ("regie", "h2", None),
    ("regie", "h3", None),
]


def _goal(session, plan, levensgebied, evaluatiedatum, owner, status="loopt"):
    session.add(
        PlanGoal(plan_id=plan.id, levensgebied=levensgebied, hoek="bestaanszekerheid",
                 doel=f"Doel {levensgebied} {evaluatiedatum}", eigenaar_user_id=owner.user_id,
                 evaluatiedatum=evaluatiedatum, status=status)
    )  # fmt: skip


def _referral(session, household, inst, sent, status="verstuurd", deadline=None, **extra):
    session.add(
        Referral(household_id=household.id, institution_id=inst.id, taak="Huurschuld regelen",
                 contact="Gerda", verstuurd_op=sent, deadline=deadline, status=status, **extra)
    )  # fmt: skip


def _log(session, exp, household, worker, datum, veiligheid):
    session.add(
        StabilityLog(experiment_id=exp.id, household_id=household.id, datum=datum,
                     door_user_id=worker.user_id, bestaanszekerheid=3, zorgcontinuiteit=3,
                     meedoen=3, veiligheid=veiligheid, stressoren=[])
    )  # fmt: skip


def _decision(session, item, author, soort, datum):
    d = Decision(agenda_item_id=item.id, tekst=f"Besluit {soort} van {author.naam}", soort=soort,
                 besloten_door=author.user_id, besloten_op=datum)  # fmt: skip
    session.add(d)
    session.flush()
    return d


def build_world(session, today: dt.date = TODAY) -> dict:
    """gerda's world (see the module); returns the actors and households by key. Committed.

    With another ``today`` every date moves along (the order may then differ: working days).
    """
    shift = today - TODAY

    def D(*args):  # noqa: N802  (the module's date, moved along)
        return dt.date(*args) + shift

    gerda = make_user(session, "gerda", "gbd")
    karel = make_user(session, "karel", "gbd")
    worker = make_user(session, "samira", "ervaringswerker")
    hh = {
        f"h{n}": make_household(
            session, wijk="Noord", buurt="Langeberg", straat="Kerkstraat", huisnummer=str(n),
            postcode="6441AB", persons=[(valid_bsn(100 + n), f"Jan Jansen{n}", "hoofdbewoner")],
        )
        for n in range(1, 7)
    }  # fmt: skip
    add_regie(session, hh["h1"], gerda, start=D(2026, 1, 1))
    add_regie(session, hh["h2"], gerda, start=D(2026, 2, 1))
    add_regie(session, hh["h3"], gerda, start=D(2026, 3, 1))
    add_regie(session, hh["h4"], karel, start=D(2026, 1, 1))
    add_regie(session, hh["h6"], gerda, start=D(2025, 1, 1), einde=D(2026, 6, 1))  # ended
    plans = {}
    for key in ("h1", "h4", "h5", "h6"):
        plans[key] = HouseholdPlan(household_id=hh[key].id)
        session.add(plans[key])
    session.flush()
    _goal(session, plans["h1"], "financien", D(2026, 12, 20), karel)  # on my regie: te laat
    _goal(session, plans["h1"], "huisvesting", D(2027, 1, 14), gerda)  # today + 14: due
    _goal(session, plans["h1"], "werk_opleiding", D(2027, 1, 15), gerda)  # today + 15: not yet
    _goal(session, plans["h1"], "adl", D(2026, 11, 1), gerda, status="bereikt")  # closed
    _goal(session, plans["h4"], "verslaving", D(2026, 12, 1), karel)  # karel's household
    _goal(session, plans["h5"], "justitie", D(2027, 1, 10), gerda)  # mine, not my household
    _goal(session, plans["h6"], "financien", D(2026, 12, 1), karel)  # my regie ended
    inst = add_institution(session, "Woningcorporatie Weller")
    _referral(session, hh["h2"], inst, D(2026, 12, 22))  # not accepted: escalated on 31-12
    _referral(session, hh["h2"], inst, D(2026, 12, 23))  # accept by 31-12: not yet
    _referral(session, hh["h2"], inst, D(2026, 12, 1), "geaccepteerd", D(2026, 12, 28),
              geaccepteerd_op=D(2026, 12, 2))  # overdue  # fmt: skip
    _referral(session, hh["h2"], inst, D(2026, 11, 1), "afgerond", D(2026, 12, 1),
              uitkomst="bereikt", afgerond_op=D(2026, 12, 1))  # closed  # fmt: skip
    _referral(session, hh["h4"], inst, D(2026, 11, 1))  # karel's household
    exp = experiment(session)
    for key in ("h3", "h4"):
        enrol_direct(session, exp, hh[key])
    _log(session, exp, hh["h3"], worker, D(2026, 12, 29), 1)
    _log(session, exp, hh["h3"], worker, D(2026, 12, 18), 2)  # first day of the 14
    _log(session, exp, hh["h3"], worker, D(2026, 12, 17), 2)  # 15 days ago: gone
    _log(session, exp, hh["h3"], worker, D(2026, 12, 30), 3)  # not low
    _log(session, exp, hh["h4"], worker, D(2026, 12, 30), 1)  # karel's household
    table = ct.ensure_tables(session)[0]
    for member in (gerda, karel):
        ct.add_member(session, gerda, table.id, member.user_id)
    items = {"h4": AgendaItem(case_table_id=table.id, household_id=hh["h4"].id,
                              vraag="Wie doet wat?", toegevoegd_op=D(2026, 12, 1))}  # fmt: skip
    session.add(items["h4"])
    session.flush()
    _decision(session, items["h4"], karel, "maatwerk", D(2026, 12, 10))  # waits for gerda's review
    _decision(
        session, items["h4"], gerda, "maatwerk", D(2026, 12, 10)
    )  # her own: not hers to review
    _decision(session, items["h4"], karel, "standaard", D(2026, 12, 10))  # no review needed
    reviewed = _decision(session, items["h4"], karel, "maatwerk", D(2026, 12, 10))
    session.add(Review(decision_id=reviewed.id, reviewer_id=gerda.user_id, akkoord=True,
                       datum=D(2026, 12, 11)))  # fmt: skip
    session.commit()
    return {"gerda": gerda, "karel": karel, "worker": worker, "hh": hh, "table": table}
