"""The non-take-up rule on hand-made households, the GBD-er's prompt and the KISS count."""

from __future__ import annotations

import datetime as dt

import pytest

from coordination.non_take_up import (
    REGELINGEN,
    household_non_take_up,
    income_facts,
    missed_regelingen,
    non_take_up_figure,
)
from coordination.shvmodels import DebtTrajectory, DebtTrajectoryStep
from coordination.suppression import TOTAL
from households.errors import AccessDenied, InvalidInput
from tests.builders import add_debt, add_provision, add_signal, household_with_persons, opened

D = dt.date(2026, 5, 31)  # a month end (the KISS figure takes only those)


def missed(session, household):
    return missed_regelingen(income_facts(session, D, [household.id])[household.id], D)


def test_rule_on_hand_made_households(session):
    # bijstand since 2021: minimaregelingen and the individuele inkomenstoeslag
    long, p = household_with_persons(session)
    add_provision(session, p, "ISD", "bijstand", start=dt.date(2021, 3, 1))
    # bijstand since 2025 with minimaregelingen: nothing (too short for the toeslag)
    short, p = household_with_persons(session)
    add_provision(session, p, "ISD", "bijstand", start=dt.date(2025, 3, 1))
    add_provision(session, p, "ISD", "minimaregelingen", start=dt.date(2025, 4, 1))
    # toeslag received this year: not missed
    got, p = household_with_persons(session)
    add_provision(session, p, "ISD", "bijstand", start=dt.date(2020, 1, 1))
    add_provision(session, p, "ISD", "minimaregelingen", start=dt.date(2020, 2, 1))
    add_provision(session, p, "ISD", "individuele inkomenstoeslag", start=dt.date(2026, 1, 1),
                  einde=dt.date(2026, 1, 31))  # fmt: skip
    # health insurance arrears (open): minima and the collectieve zorgverzekering
    arrears, p = household_with_persons(session)
    add_signal(session, arrears, "zorgverzekeringsachterstand", gemeld_op=dt.date(2026, 5, 1))
    # closed arrears and no other indicator: nothing
    closed, p = household_with_persons(session)
    add_signal(session, closed, "huurachterstand", gemeld_op=dt.date(2026, 1, 1),
               gesloten_op=dt.date(2026, 3, 1))  # fmt: skip
    # ISD debt and budgetbeheer in schuldhulp: minima and bijzondere bijstand
    bewind, p = household_with_persons(session)
    add_debt(session, p, schuldeiser="ISD BOL terugvordering")
    t = DebtTrajectory(household_id=bewind.id, bron="zelf", aangemeld_op=dt.date(2026, 1, 5),
                       stap="budgetbeheer", stap_sinds=dt.date(2026, 3, 1))  # fmt: skip
    session.add(t)
    session.flush()
    for stap, datum in [
        ("aanmelding", dt.date(2026, 1, 5)),
        ("eerste_gesprek", dt.date(2026, 1, 9)),
        ("plan_van_aanpak", dt.date(2026, 2, 1)),
        ("budgetbeheer", dt.date(2026, 3, 1)),
    ]:
        session.add(DebtTrajectoryStep(traject_id=t.id, stap=stap, datum=datum))
    # debt to another creditor only: no indicator
    other, p = household_with_persons(session)
    add_debt(session, p, schuldeiser="CJIB")
    session.flush()
    assert missed(session, long) == ("minimaregelingen", "individuele inkomenstoeslag")
    assert missed(session, short) == ()
    assert missed(session, got) == ()
    assert missed(session, arrears) == ("minimaregelingen", "collectieve zorgverzekering")
    assert missed(session, closed) == ()
    assert missed(session, bewind) == ("minimaregelingen", "bijzondere bijstand")
    assert missed(session, other) == ()


def test_prompt_for_the_gbd_and_count_for_kiss(session, account):
    gbd = account("gbd1", "gbd")
    households = []
    for _ in range(7):
        h, p = household_with_persons(session, wijk="Noord")
        add_provision(session, p, "ISD", "bijstand", start=dt.date(2021, 1, 1))
        households.append(h)
    h, p = household_with_persons(session, wijk="Zuid")
    add_provision(session, p, "ISD", "bijstand", start=dt.date(2025, 1, 1))
    session.commit()
    opened(session, gbd, households[0])
    session.commit()
    labels = household_non_take_up(session, gbd, households[0].id, D)
    assert labels == [REGELINGEN["minimaregelingen"], REGELINGEN["individuele inkomenstoeslag"]]
    fig = non_take_up_figure(session, account("kiss1", "kiss"), D)
    rows = fig["rijen"]
    assert rows["niet_gebruik"]["Noord"] in (7, "x")
    assert rows["niet_gebruik"]["Zuid"] == "<5"
    assert rows["laag_inkomen"][TOTAL] in (8, "x")
    # Totaal - Noord would give Zuid away: one of them is hidden
    assert "x" in (rows["niet_gebruik"]["Noord"], rows["niet_gebruik"][TOTAL])
    with pytest.raises(AccessDenied):
        non_take_up_figure(session, gbd, D)
    with pytest.raises(InvalidInput):
        non_take_up_figure(session, account("kiss2", "kiss"), dt.date(2026, 5, 30))
