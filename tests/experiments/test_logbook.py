"""Logbook validation, access to enrolled households, and the trend."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from experiments.logbook import household_trend, log_situation, my_households
from experiments.models import StabilityLog
from experiments.vocabulary import ANCHORS, DEFAULT_STRESSORS, add_stressor, stressor_vocabulary
from households.access import require_household_access
from households.errors import AccessDenied, InvalidInput
from households.models import AuditEvent
from tests import builders as b

TODAY = dt.date(2026, 6, 1)
OK = {"bestaanszekerheid": 2, "zorgcontinuiteit": 3, "meedoen": 2, "veiligheid": 4}


@pytest.fixture
def setup(session):
    exp, coord, ew = b.team(session)
    hh, _ = b.household_with_persons(session)
    b.enrol_direct(session, exp, hh, datum=dt.date(2026, 2, 1))
    session.commit()
    return exp, coord, ew, hh


def _log(session, ew, hh, date=dt.date(2026, 3, 1), stressors=("schulden",), **scores):
    return log_situation(
        session,
        ew,
        hh.id,
        date,
        **{**OK, **scores},
        stressors=list(stressors),
        verhaal="Het gaat beter.",
        today=TODAY,
    )


def test_log_is_stored_and_audited(session, setup):
    _, _, ew, hh = setup
    row = _log(session, ew, hh)
    assert (row.bestaanszekerheid, row.stressoren, row.verhaal) == (
        2,
        ["schulden"],
        "Het gaat beter.",
    )
    assert (
        session.scalar(
            select(func.count()).where(
                AuditEvent.actie == "logboek_schrijven", AuditEvent.resultaat == "ok"
            )
        )
        == 1
    )


@pytest.mark.parametrize("bad", [0, 6, 2.5, "3", None, True])
def test_scores_must_be_integers_1_to_5(session, setup, bad):
    _, _, ew, hh = setup
    with pytest.raises(InvalidInput, match="heel getal van 1 tot en met 5"):
        _log(session, ew, hh, meedoen=bad)
    assert session.scalar(select(func.count()).select_from(StabilityLog)) == 0


def test_unknown_stressor_is_refused(session, setup):
    _, _, ew, hh = setup
    with pytest.raises(InvalidInput, match="Onbekende stressor.*geldzorgen"):
        _log(session, ew, hh, stressors=["schulden", "geldzorgen"])


def test_future_date_is_refused(session, setup):
    _, _, ew, hh = setup
    with pytest.raises(InvalidInput, match="toekomst"):
        _log(session, ew, hh, date=TODAY + dt.timedelta(days=1))


def test_date_before_enrolment_is_refused(session, setup):
    _, _, ew, hh = setup
    with pytest.raises(InvalidInput, match="vóór de inschrijving"):
        _log(session, ew, hh, date=dt.date(2026, 1, 15))


def test_vocabulary_is_extensible(session, setup):
    _, coord, ew, hh = setup
    assert stressor_vocabulary(session) == list(DEFAULT_STRESSORS)
    add_stressor(session, coord, "Mantelzorg")
    assert _log(session, ew, hh, stressors=["mantelzorg"]).stressoren == ["mantelzorg"]


def test_anchors_cover_every_level():
    assert set(ANCHORS) == {"bestaanszekerheid", "zorgcontinuiteit", "meedoen", "veiligheid"}
    assert all(sorted(levels) == [1, 2, 3, 4, 5] for levels in ANCHORS.values())


def test_ervaringswerker_is_refused_for_another_experiments_household(session, setup):
    exp, coord, ew, hh = setup
    other_exp = b.experiment(session, "jeugd_context")
    ew2 = b.make_user(session, "ew2", "ervaringswerker")
    b.add_member(session, other_exp, ew2, "ervaringswerker")
    session.commit()
    with pytest.raises(AccessDenied):
        _log(session, ew2, hh)
    with pytest.raises(AccessDenied):
        household_trend(session, ew2, hh.id)
    refused = session.scalars(
        select(AuditEvent).where(AuditEvent.resultaat == "geweigerd", AuditEvent.gebruiker == "ew2")
    ).all()
    assert [(a.actie, a.object_id) for a in refused] == [
        ("logboek_schrijven", str(hh.id)),
        ("logboek_inzien", str(hh.id)),
    ]
    assert session.scalar(select(func.count()).select_from(StabilityLog)) == 0


def test_access_rule_follows_enrolment_for_every_service(session, setup):
    exp, coord, ew, hh = setup
    other, _ = b.household_with_persons(session)
    session.commit()
    require_household_access(session, ew, hh.id)  # enrolled: allowed
    require_household_access(session, coord, hh.id)  # coordinator member: allowed
    with pytest.raises(AccessDenied):
        require_household_access(session, ew, other.id)


def test_my_households_and_trend(session, setup):
    _, _, ew, hh = setup
    _log(session, ew, hh, date=dt.date(2026, 3, 1), bestaanszekerheid=1)
    _log(session, ew, hh, date=dt.date(2026, 5, 1), bestaanszekerheid=3, stressors=[])
    assert [m.household_id for m in my_households(session, ew)] == [hh.id]
    trend = household_trend(session, ew, hh.id)
    assert trend["bestaanszekerheid"].tolist() == [1, 3]
    assert trend["n_stressoren"].tolist() == [1, 0]
