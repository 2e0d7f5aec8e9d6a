"""The experiment registry kept by beheer: new experiments, status, dates, wijken, criteria."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from experiments.criteria import CRITERIA_LABELS
from experiments.enrolment import CRITERIA
from experiments.models import Experiment
from experiments.registry import EXPERIMENTS, ensure_experiments, experiment_by_code
from experiments.registry_edit import create_experiment, update_experiment
from households.errors import AccessDenied, Conflict, InvalidInput, NotFound
from households.models import AuditEvent
from tests.builders import enrol_direct, make_household

NEW = {"naam": "Schuldenvrij Rumpen", "wijken": ["Oost"], "start": dt.date(2027, 1, 1),
       "einde": dt.date(2027, 12, 31), "status": "gepland", "criteria": "bestaanszekerheid",
       "beschrijving": "Vroeg erop af bij achterstanden.",
       "hypotheses": ["Vroeg erop af voorkomt schulden."]}  # fmt: skip


@pytest.fixture
def beheer(session, account):
    make_household(session, wijk="Noord")
    make_household(session, wijk="Oost", huisnummer="14")
    return account("bea", "beheer")


def test_the_five_k2_experiments_are_registered_through_the_service(session):
    ensure_experiments(session)
    ensure_experiments(session)  # idempotent
    codes = list(session.scalars(select(Experiment.code).order_by(Experiment.volgorde)))
    assert codes == [e["code"] for e in EXPERIMENTS]
    audited = session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.actie == "experiment_aanmaken"))  # fmt: skip
    assert audited == 5
    # every experiment has outreach criteria, and every criterion has a rule and a label
    assert all(experiment_by_code(session, e["code"]).criteria for e in EXPERIMENTS)
    assert set(CRITERIA) == set(CRITERIA_LABELS)


def test_beheer_creates_and_changes_an_experiment(session, beheer):
    exp = create_experiment(session, beheer, **NEW)
    session.commit()
    assert (exp.code, exp.wijken, exp.status, exp.volgorde) == (
        "schuldenvrij_rumpen", ["Oost"], "gepland", 0)  # fmt: skip
    update_experiment(session, beheer, exp.id, **{**NEW, "status": "actief",
                                                  "wijken": ["oost", "Noord"],
                                                  "criteria": "leefomgeving"})  # fmt: skip
    session.commit()
    session.refresh(exp)
    assert (exp.status, exp.wijken, exp.criteria) == ("actief", ["Oost", "Noord"], "leefomgeving")
    row = session.scalar(select(AuditEvent).where(AuditEvent.actie == "experiment_wijzigen"))
    assert '"status": "gepland"' in row.oud and '"status": "actief"' in row.nieuw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"naam": "x"}, "naam van 3 tot 120"),
        ({"wijken": []}, "minstens één wijk"),
        ({"wijken": ["Kakert"]}, "Onbekende wijk: Kakert"),
        ({"wijken": ["Oost", "Oost"]}, "twee keer"),
        ({"status": "bezig"}, "gepland, actief of afgerond"),
        ({"status": "actief", "start": None}, "actief experiment heeft een startdatum"),
        ({"status": "afgerond", "einde": None}, "afgerond experiment heeft een einddatum"),
        ({"einde": dt.date(2026, 1, 1)}, "einddatum ligt voor de startdatum"),
        ({"criteria": "iedereen"}, "outreach-criteria uit de lijst"),
        ({"start": "morgen"}, "geldige datum"),
    ],
)
def test_bad_input_is_refused_in_dutch(session, beheer, change, message):
    with pytest.raises(InvalidInput, match=message):
        create_experiment(session, beheer, **{**NEW, **change})
    assert session.scalar(select(Experiment.id)) is None


def test_duplicates_unknown_and_other_roles(session, beheer, account):
    create_experiment(session, beheer, **NEW)
    with pytest.raises(Conflict, match="al een experiment"):
        create_experiment(session, beheer, **{**NEW, "naam": "schuldenvrij rumpen"})
    with pytest.raises(NotFound):
        update_experiment(session, beheer, 999, **NEW)
    for rol in ("gbd", "kiss", "ervaringswerker"):
        with pytest.raises(AccessDenied):
            create_experiment(session, account(f"iemand_{rol}", rol), **{**NEW, "naam": rol * 3})


def test_an_experiment_with_participants_does_not_go_back_to_planned(session, beheer):
    exp = create_experiment(session, beheer, **{**NEW, "status": "actief"})
    enrol_direct(session, exp, make_household(session, wijk="Oost", huisnummer="99"))
    with pytest.raises(InvalidInput, match="niet terug naar gepland"):
        update_experiment(session, beheer, exp.id, **NEW)
    update_experiment(session, beheer, exp.id, **{**NEW, "status": "afgerond"})
    assert exp.status == "afgerond"


def test_each_outreach_criterion_picks_its_households(session):
    from tests.builders import add_provision, add_signal, first_person

    day = dt.date(2026, 3, 1)
    old = make_household(session, wijk="Noord", persons=[(None, "Oud", "hoofdbewoner", 1945)])
    add_provision(session, first_person(session, old), "WMO", "hulpmiddel")
    young = make_household(session, wijk="Noord", huisnummer="2",
                           persons=[(None, "Ouder", "hoofdbewoner", 1975),
                                    (None, "Jong", "kind", 2008)])  # fmt: skip
    add_provision(session, first_person(session, young), "ISD", "bijstand")
    family = make_household(session, wijk="Oost", huisnummer="3",
                            persons=[(None, "Gezin", "hoofdbewoner", 1985)])  # fmt: skip
    add_provision(session, first_person(session, family), "JEUGD", "ambulante jeugdhulp")
    add_provision(session, first_person(session, family), "ISD", "minimaregelingen")
    noisy = make_household(session, wijk="Oost", huisnummer="4",
                           persons=[(None, "Buur", "hoofdbewoner", 1990)])  # fmt: skip
    add_signal(session, noisy, "overlast", gemeld_op=dt.date(2026, 2, 1))
    add_signal(session, old, "overlast", gemeld_op=dt.date(2026, 1, 1),
               gesloten_op=dt.date(2026, 2, 1))  # closed before the day  # fmt: skip
    ids = {old.id, young.id, family.id, noisy.id}
    picked = {key: set(CRITERIA[key](session, ids, day)) for key in CRITERIA_LABELS
              if key != "bestaanszekerheid"}  # fmt: skip
    assert picked == {"ouderen_wmo": {old.id}, "jongeren_bijstand": {young.id},
                      "jeugd_en_inkomen": {family.id}, "leefomgeving": {noisy.id}}  # fmt: skip
