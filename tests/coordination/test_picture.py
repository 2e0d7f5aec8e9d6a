"""The guarded household picture: need-to-know, audit, and what it counts on hand-made data."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from sqlalchemy import select

from coordination.access import open_household
from coordination.picture import household_picture
from households.actor import Actor
from households.errors import AccessDenied, NotFound
from households.models import AuditEvent, User
from tests.coordination.test_stacking import DAY, D, debt, hh, person, prov, regie, signal


def _user(session, naam: str, rol: str) -> Actor:
    u = User(naam=naam, rol=rol, wachtwoord_hash="x")
    session.add(u)
    session.flush()
    return Actor(u.id, naam, rol)


@pytest.fixture
def family(session):
    """Two persons; WMO and JEUGD active on D, ISD ended, WMO not yet started; one open debt."""
    h = hh(session, "PIC1", "Zuid")
    mother = person(session, h, naam="Anna Jansen")
    child = person(session, h, rol="kind", naam="Bo Jansen")
    prov(session, mother, "WMO", D - 200 * DAY)
    prov(session, mother, "WMO", D + 10 * DAY)  # starts after D
    prov(session, mother, "ISD", D - 400 * DAY, D - 30 * DAY, soort="bijstand")  # ended
    prov(session, child, "JEUGD", D - 60 * DAY, D, soort="jeugdbescherming")  # ends on D
    debt(session, mother, 123_45, D - 90 * DAY)
    signal(session, h, "politie", D - 15 * DAY)
    held = regie(session, h, D - 3 * DAY)
    gbd = _user(session, "gbd1", "gbd")
    held.houder_user_id = gbd.user_id  # the regie holder sees every category (DESIGN 8.2)
    open_household(session, gbd, h.id, "casustafel voorbereiden")
    session.flush()
    return h, gbd


def test_picture_counts_provisions_on_the_date(session, family):
    h, gbd = family
    picture = household_picture(session, gbd, h.id, D)
    assert picture.huishouden_id == "PIC1" and picture.wijk == "Zuid"
    assert picture.stacking.n_provisions == 2  # WMO and JEUGD (its last day is D)
    assert picture.stacking.domains == ("JEUGD", "WMO")
    assert picture.provisions_by_domain == {"ISD": 1, "JEUGD": 1, "WMO": 2}
    assert sum(p.actief for p in picture.provisions) == 2
    assert [m.label for m in picture.members] == ["Anna Jansen", "Bo Jansen"]
    assert [(d.openstaand, d.open) for d in picture.debts] == [(Decimal("123.45"), True)]
    assert picture.stacking.debt_outstanding == Decimal("123.45")
    assert [s.soort for s in picture.signals] == ["politie"]
    assert len(picture.regie) == 1 and picture.regie[0].start == D - 3 * DAY
    assert len(picture.nodes) == 1 + 2 + 4 + 1 + 1 + 1  # household, persons, provisions, ...
    assert dataclasses.is_dataclass(picture)
    with pytest.raises(dataclasses.FrozenInstanceError):
        picture.wijk = "Noord"


def test_picture_read_is_audited_once(session, family):
    h, gbd = family
    before = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    household_picture(session, gbd, h.id, D)
    rows = session.scalars(select(AuditEvent).where(AuditEvent.id > before)).all()
    assert [(r.actie, r.object_id, r.gebruiker, r.resultaat) for r in rows] == [
        ("huishouden_inzien", str(h.id), "gbd1", "ok")
    ]


@pytest.mark.parametrize("rol", ["gbd", "kiss"])
def test_picture_refuses_without_need_to_know_and_audits(session, family, rol):
    h, _ = family
    stranger = _user(session, "vreemde", rol)
    session.commit()
    with pytest.raises(AccessDenied, match="geen toegang"):
        household_picture(session, stranger, h.id, D)
    refused = session.scalars(select(AuditEvent).where(AuditEvent.gebruiker == "vreemde")).all()
    assert [(r.object_id, r.resultaat) for r in refused] == [(str(h.id), "geweigerd")]


def test_picture_of_an_unknown_household(session, family):
    _, gbd = family
    with pytest.raises((NotFound, AccessDenied)):
        household_picture(session, gbd, 999_999, D)
