"""Reference data ``beheer`` keeps: the iWmo/iJw product-category mapping and the gemeente's
norms (Wgs offer of help). Each edit is audited; bad input is refused and nothing changes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from data.imessages import Line, message_xml
from households.actor import SYSTEM
from households.errors import AccessDenied, InvalidInput, NotFound
from households.istandaarden import import_messages
from households.models import AuditEvent, ProductCategory, Provision
from households.norms import WGS_OFFER, list_norms, norm_days, set_norm
from households.productcategories import list_categories, update_category
from tests.households.test_importing import BSN_A


def _last_audit(session) -> AuditEvent:
    return session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def test_categories_are_listed_from_the_code_lists(session):
    rows = list_categories(session)
    assert rows[0].standaard == "iwmo" and rows[0].code == "01"
    dagbesteding = next(r for r in rows if (r.standaard, r.code) == ("iwmo", "07"))
    assert (dagbesteding.omschrijving, dagbesteding.domein, dagbesteding.soort) == (
        "Dagbesteding", "WMO", "begeleiding",
    )  # fmt: skip


def test_a_changed_mapping_is_audited_and_used_by_the_next_import(base, account):
    beheer = account("fb", "beheer")
    row = update_category(base, beheer, "iwmo", "07", "vervoer")
    base.commit()
    assert (row.domein, row.soort) == ("WMO", "vervoer")
    audit_row = _last_audit(base)
    assert (audit_row.actie, audit_row.object_id) == ("productcategorie_wijzigen", "iwmo:07")
    assert json.loads(audit_row.oud)["soort"] == "begeleiding"
    lines = [Line("5", "07", dt.date(2026, 1, 1))]
    xml = message_xml("iwmo", "301", gemeente="0899", agb="1", bsn=BSN_A, lines=lines,
                      dagtekening=dt.date(2026, 1, 2))  # fmt: skip
    import_messages(base, SYSTEM, "iwmo", [("a.xml", xml)])
    assert base.scalars(select(Provision.soort)).one() == "vervoer"


@pytest.mark.parametrize(
    ("standaard", "code", "soort", "error", "message"),
    [
        ("iwmo", "07", "jeugd-ggz", InvalidInput, "Kies een soort voorziening van WMO: "),
        ("ijw", "48", "begeleiding", InvalidInput, "Kies een soort voorziening van JEUGD: "),
        ("iwmo", "07", None, InvalidInput, "Kies een soort voorziening van WMO: "),
        ("iwmo", "99", "vervoer", NotFound, "Productcategorie niet gevonden."),
        ("", "", "vervoer", NotFound, "Productcategorie niet gevonden."),
    ],
)
def test_bad_mappings_are_refused(session, account, standaard, code, soort, error, message):
    beheer = account("fb", "beheer")
    with pytest.raises(error) as info:
        update_category(session, beheer, standaard, code, soort)
    assert str(info.value).startswith(message)
    session.rollback()
    assert session.get(ProductCategory, ("iwmo", "07")).soort == "begeleiding"


def test_only_beheer_edits_reference_data(session, account):
    gbd = account("g", "gbd")
    with pytest.raises(AccessDenied):
        update_category(session, gbd, "iwmo", "07", "vervoer")
    with pytest.raises(AccessDenied):
        set_norm(session, gbd, WGS_OFFER, 7)
    assert norm_days(session, WGS_OFFER) == 14


def test_the_wgs_norm_defaults_to_14_days_and_beheer_sets_it(session, account):
    assert [(n.naam, n.dagen) for n in list_norms(session)][0] == (WGS_OFFER, 14)
    set_norm(session, account("fb", "beheer"), WGS_OFFER, 10)
    session.commit()
    assert norm_days(session, WGS_OFFER) == 10
    row = _last_audit(session)
    assert (row.actie, json.loads(row.oud), json.loads(row.nieuw)) == (
        "norm_wijzigen", {"dagen": 14}, {"dagen": 10},
    )  # fmt: skip


@pytest.mark.parametrize("dagen", [0, 366, -3, "14", 14.0, True, None])
def test_bad_norms_are_refused(session, account, dagen):
    with pytest.raises(InvalidInput, match="Geef een aantal dagen van 1 tot en met 365."):
        set_norm(session, account("fb", "beheer"), WGS_OFFER, dagen)


def test_an_unknown_norm_is_refused(session, account):
    with pytest.raises(InvalidInput, match="Onbekende norm."):
        set_norm(session, account("fb", "beheer"), "iets", 5)
