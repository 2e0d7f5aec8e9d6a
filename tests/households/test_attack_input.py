"""Attack findings 1, 5, 6 and 10 of issue 16, replayed with the inputs of the attack.

1. a BSN in free text (any separator pattern) is refused everywhere; stories the ``kiss``
   role reads are scrubbed of numbers, dates of birth and phone numbers;
5. NUL, ESC and bidi overrides in ids are refused with a Dutch message (no DataError);
6. a full-width BSN is the same person;
10. lenient input (``1..2``, ``2024-1-1``, ``Narnia``, ``abc``) is refused, ``noord`` is
    ``Noord``, and every bad row is named.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from coordination.access import open_household
from coordination.frontdoor import register_request
from experiments.logbook import log_situation, select_narrative
from experiments.loop import lessons_log
from experiments.registry import add_lesson
from experiments.report import anonymise, evaluation_report_html
from households.errors import InvalidInput
from households.importing import ImportRejected
from households.models import AuditEvent, HelpRequest, Household, Person, Provision
from households.search import find_households
from households.validation import clean_text, scrub_identifiers
from tests import builders as b
from tests.households.test_importing import count, load, rejection

BSN = "445598177"  # passes the elfproef
BSN_SPELLINGS = [
    "BSN 445-598-177", "BSN 445/598/177", "BSN 4455_98177", "BSN 445 598 177",
    "BSN 445.598.177", "bsn: 445598177", "BSN ４４５５９８１７７", "BSN 445 - 598 - 177",
]  # fmt: skip
PERSON = "bsn,huishouden_id,geboortejaar,rol\n{},H1,1980,hoofdbewoner\n"
STORY = "BSN 445 598 177, geb. 14-02-1984, tel 06 1234 5678"


# --- finding 1: a BSN typed into free text ------------------------------------------------


@pytest.mark.parametrize("text", BSN_SPELLINGS)
def test_the_one_guard_refuses_a_bsn_in_every_separator_pattern(text):
    with pytest.raises(InvalidInput, match="lijkt een BSN te bevatten"):
        clean_text(f"Huisbezoek; {text} gebeld", "Het doel")


@pytest.mark.parametrize("text", ["bel 045-5271234", "06 1234 5678", "geb. 14-02-1984",
                                  "€ 1.250,00 achterstand", "445-598-178"])  # fmt: skip
def test_numbers_that_are_no_bsn_pass(text):
    assert clean_text(text, "De toelichting") == text


@pytest.mark.parametrize("text", BSN_SPELLINGS)
def test_a_bsn_never_reaches_the_audit_purpose_or_a_help_request(session, text):
    vera = b.make_user(session, "vera", "voordeur")
    hh = b.make_household(session)
    session.commit()
    with pytest.raises(InvalidInput, match="Het doel lijkt een BSN"):
        open_household(session, vera, hh.id, f"hulpvraag Wmo, {text}")
    session.rollback()
    b.opened(session, vera, hh)
    with pytest.raises(InvalidInput, match="De omschrijving lijkt een BSN"):
        register_request(session, vera, hh.id, "WMO", f"Vraagt hulp, {text}", "normaal")
    session.rollback()
    assert count(session, HelpRequest) == 0
    for doel in session.scalars(select(AuditEvent.doel).where(AuditEvent.doel.is_not(None))):
        assert "445" not in doel and "４" not in doel


def test_register_request_refuses_control_characters(session):
    vera = b.make_user(session, "vera", "voordeur")
    hh = b.opened(session, vera, b.make_household(session))
    with pytest.raises(InvalidInput, match="ongeldige tekens"):
        register_request(session, vera, hh.id, "WMO", "Vraagt hulp\u202e terug", "normaal")


def test_a_story_the_kiss_role_reads_holds_no_number_date_of_birth_or_phone(session):
    exp, coord, ew = b.team(session)
    hh, _ = b.household_with_persons(session)
    b.enrol_direct(session, exp, hh, datum=dt.date(2026, 2, 1))
    session.commit()
    scores = {"bestaanszekerheid": 2, "zorgcontinuiteit": 3, "meedoen": 2, "veiligheid": 4}
    today = dt.date(2026, 6, 1)
    with pytest.raises(InvalidInput, match="Het verhaal lijkt een BSN"):  # refused at the door
        log_situation(session, ew, hh.id, dt.date(2026, 3, 1), **scores, verhaal=STORY,
                      today=today)  # fmt: skip
    session.rollback()
    story = "Moeder (geb. 14-02-1984, tel 06 1234 5678) heeft weer rust."
    log = log_situation(session, ew, hh.id, dt.date(2026, 3, 1), **scores, verhaal=story,
                        today=today)  # fmt: skip
    select_narrative(session, coord, log.id)
    add_lesson(session, coord, exp.id, dt.date(2026, 3, 2), "Bel eerst 06-12345678 op 1-3-2026")
    kiss = b.make_user(session, "kiss1", "kiss")
    html = evaluation_report_html(session, kiss, exp.id, today, n_boot=50)
    assert "heeft weer rust" in html
    for leak in ("14-02-1984", "1234 5678", "1984"):
        assert leak not in html
    lesson = lessons_log(session, kiss)[0].les
    assert lesson == "Bel eerst [nummer] op [datum]"


def test_a_story_written_before_the_guard_is_scrubbed_whole():
    assert anonymise(STORY) == "BSN [nummer], geb. [datum], tel [nummer]"
    assert scrub_identifiers("geboren 14 februari 1984, +31 6 12345678") == (
        "geboren [datum], [nummer]"
    )


# --- finding 5: control characters in ids ------------------------------------------------


@pytest.mark.parametrize("bad", ["H\x001", "H\x1b[31m1", "H\u202e1", "H\u20661", "H\x7f1"])
def test_control_and_bidi_characters_in_an_id_are_refused_on_both_databases(session, bad):
    exc = rejection(session, "huishoudens", f"huishouden_id,wijk\nH0,Noord\n{bad},Noord\n")
    assert [(e.line, e.column) for e in exc.errors] == [(3, "huishouden_id")]
    assert "ongeldige tekens" in exc.errors[0].reason
    session.rollback()
    assert count(session, Household) == 0
    refusal = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (refusal.actie, refusal.resultaat) == ("import", "geweigerd")


def test_a_nul_in_free_text_of_an_import_is_refused_too(session):
    exc = rejection(session, "huishoudens", "huishouden_id,wijk,buurt\nH1,Noord,Kern\x00\n")
    assert [(e.line, e.column) for e in exc.errors] == [(2, "buurt")]


# --- finding 6: a full-width BSN is the same person ---------------------------------------


def test_a_full_width_bsn_is_the_same_person(session):
    load(session, "huishoudens", "huishouden_id,wijk\nH1,Noord\n")
    load(
        session, "personen", "bsn,huishouden_id,geboortejaar,rol\n123456782,H1,1980,hoofdbewoner\n"
    )
    again = load(
        session,
        "personen",
        "bsn,huishouden_id,geboortejaar,rol\n１２３４５６７８２,H1,1980,hoofdbewoner\n",
    )
    assert (again.inserted, again.unchanged) == (0, 1)
    assert count(session, Person) == 1
    load(session, "voorzieningen",
         "bron_id,bsn,domein,soort,start\nV1,１２３４５６７８２,WMO,hulp,2024-01-01\n")  # fmt: skip
    assert session.scalar(select(Provision.person_id)) == session.scalar(select(Person.id))
    gijs = b.make_user(session, "gijs", "gbd")
    assert len(find_households(session, gijs, bsn="１２３４５６７８２")) == 1


# --- finding 10: lenient input -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "column", "reason"),
    [
        ("schulden", "bron_id,bsn,schuldeiser,hoofdsom,openstaand,sinds\n"
         "S1,123456782,ISD,1..2,1,2024-01-01\n", "hoofdsom", "ongeldig bedrag"),
        ("schulden", "bron_id,bsn,schuldeiser,hoofdsom,openstaand,sinds\n"
         "S1,123456782,ISD,12,1,2024-1-1\n", "sinds", "ongeldige datum"),
        ("huishoudens", "huishouden_id,wijk\nH2,Narnia\n", "wijk", "onbekende wijk"),
        ("huishoudens", "huishouden_id,wijk\nH2,Mars\n", "wijk", "onbekende wijk"),
        ("huishoudens", "huishouden_id,wijk,huisnummer\nH2,Noord,abc\n", "huisnummer",
         "ongeldig huisnummer"),
    ],
)  # fmt: skip
def test_lenient_input_is_refused(session, kind, text, column, reason):
    load(session, "huishoudens", "huishouden_id,wijk\nH1,Noord\n")
    load(
        session, "personen", "bsn,huishouden_id,geboortejaar,rol\n123456782,H1,1980,hoofdbewoner\n"
    )
    exc = rejection(session, kind, text)
    assert [(e.line, e.column) for e in exc.errors] == [(2, column)]
    assert exc.errors[0].reason.startswith(reason)


def test_a_wijk_is_stored_in_its_canonical_spelling(session):
    load(session, "huishoudens", "huishouden_id,wijk\nH1,noord\nH2,NOORD\nH3,Brunssum-Oost\n")
    assert sorted(session.scalars(select(Household.wijk))) == ["Noord", "Noord", "Oost"]


def test_every_bad_row_is_named(session):
    text = (
        "huishouden_id,wijk,huisnummer\nH1,Narnia,1\nH2,Noord,abc\nH3,Mars,2\nH4,Noord,3\n"
        "H\x005,Zuid,4\n"
    )
    exc = rejection(session, "huishoudens", text)
    assert [(e.line, e.column) for e in exc.errors] == [
        (2, "wijk"), (3, "huisnummer"), (4, "wijk"), (6, "huishouden_id"),
    ]  # fmt: skip
    assert isinstance(exc, ImportRejected) and "4 fouten in 4 regels" in str(exc)
