"""The recorded basis (DESIGN 8.3): grondslag of the household view, consent for partners,
and the regie decision that the problems are multiple and connected."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from coordination import referrals as ref
from coordination.consent import (
    consent_valid,
    household_consents,
    record_consent,
    withdraw_consent,
)
from coordination.frontdoor import household_view, register_request
from coordination.grondslag import household_bases
from coordination.models import Regie
from coordination.picture import household_picture
from coordination.regie import assign_regie, transfer_regie
from households.errors import AccessDenied, Conflict, InvalidInput, KissError
from households.models import AuditEvent
from tests.builders import (
    D,
    add_signal,
    enrol_direct,
    experiment,
    make_user,
    opened,
)
from tests.coordination.test_referrals import loop  # noqa: F401 - the fixture

TODAY = dt.date.today()


def _last(session, actie: str) -> AuditEvent:
    return session.scalars(select(AuditEvent).where(AuditEvent.actie == actie)
                           .order_by(AuditEvent.id.desc()).limit(1)).one()  # fmt: skip


def test_a_help_request_with_the_day_the_resident_was_told_is_the_basis(session, loop):  # noqa: F811
    h, gerda = loop["h"], loop["gerda"]
    vera = make_user(session, "vera", "voordeur")
    opened(session, vera, h)
    register_request(session, vera, h.id, "WMO", "Hulp bij het huishouden", date=D,
                     bewoner_geinformeerd_op=D)  # fmt: skip
    add_signal(session, h, "politie", D - dt.timedelta(days=10))
    bases = household_bases(session, h.id)
    assert [b.soort for b in bases] == ["hulpvraag", "melding"]
    assert "de bewoner is op 01-06-2026 verteld dat de domeinen samen worden bekeken" in (
        bases[0].omschrijving
    )
    assert "politie, door onbekend" in bases[1].omschrijving
    view = household_view(session, vera, h.id, D)  # the voordeur does not see the police kind
    melding = [b.omschrijving for b in view.grondslag][1]
    assert melding == "melding (door een professional) op 22-05-2026"
    assert _last(session, "huishouden_inzien").doel == (
        "Hulpvraag aan de voordeur · grondslag: hulpvraag 01-06-2026"
    )
    picture = household_picture(session, gerda, h.id, D)
    assert picture.grondslag == bases and picture.reden == "regiehouder"


def test_an_enrolment_with_consent_is_a_basis_and_none_is_said(session, loop):  # noqa: F811
    other, gerda = loop["other"], loop["gerda"]
    household_picture(session, gerda, other.id, D)
    assert _last(session, "huishouden_inzien").doel.endswith("grondslag: geen vastgelegd")
    enrol_direct(session, experiment(session), other, D)
    assert [b.soort for b in household_bases(session, other.id)] == ["inschrijving"]


def test_a_request_told_in_the_future_is_refused(session, loop):  # noqa: F811
    with pytest.raises(InvalidInput, match="geïnformeerd"):
        register_request(session, loop["gerda"], loop["h"].id, "WMO", "Hulp graag",
                         bewoner_geinformeerd_op=TODAY + dt.timedelta(days=2))  # fmt: skip


def test_withdrawing_consent_ends_partner_visibility_at_once(session, loop):  # noqa: F811
    petra, gerda, h, r1 = loop["petra"], loop["gerda"], loop["h"], loop["r1"]
    (row,) = ref.my_referrals(session, petra, D)
    assert (row.naam, row.toestemming) == ("Jan Jansen", True)
    (consent,) = household_consents(session, gerda, h.id, D)
    assert (consent.instellingen, consent.status) == (("Weller Wonen",), "geldig")
    withdraw_consent(session, gerda, consent.id)
    session.commit()
    (row,) = ref.my_referrals(session, petra, D)
    assert (row.naam, row.adres, row.toestemming) == (
        ref.NO_CONSENT, "(alleen via de contactpersoon)", False,
    )  # fmt: skip
    assert row.taak == "Betalingsregeling huur maken" and "Gerda" in row.contact
    detail = ref.open_referral(session, petra, r1.id, D)
    assert detail.row.naam == ref.NO_CONSENT
    doel = _last(session, "verwijzing_inzien").doel
    assert doel.endswith("zonder toestemming: geen naam en adres")
    assert household_consents(session, gerda, h.id, D)[0].status == "ingetrokken"
    with pytest.raises(Conflict, match="al ingetrokken"):
        withdraw_consent(session, gerda, consent.id)
    assert ref.household_referrals(session, gerda, h.id, D)[0].naam == "Jan Jansen"  # the gbd


def test_consent_covers_only_its_scope_and_its_period(session, loop):  # noqa: F811
    h, woning, impuls = loop["h"], loop["woning"], loop["impuls"]
    assert consent_valid(session, h.id, woning.id, D)
    assert not consent_valid(session, h.id, impuls.id, D)  # not in the scope
    assert not consent_valid(session, h.id, woning.id, D - dt.timedelta(days=31))  # before
    assert not consent_valid(session, h.id, woning.id, D + dt.timedelta(days=301))  # expired
    (row,) = ref.my_referrals(session, loop["petra"], D + dt.timedelta(days=301))
    assert row.naam == ref.NO_CONSENT


@pytest.mark.parametrize(
    "instellingen, gegeven, tot, message",
    [
        ([], D, D, "voor welke instellingen"),
        ([999_999], D, D, "bestaat niet"),
        (None, TODAY + dt.timedelta(days=3), TODAY + dt.timedelta(days=9), "toekomst"),
        (None, D, D - dt.timedelta(days=1), "verloopt vóór"),
        (None, D, D + dt.timedelta(days=800), "hoogstens 2 jaar"),
    ],
)
def test_bad_consent_is_refused_and_nothing_is_written(
    session,
    loop,  # noqa: F811
    instellingen,
    gegeven,
    tot,
    message,
):
    scope = [loop["woning"].id] if instellingen is None else instellingen
    with pytest.raises(KissError, match=message):
        record_consent(session, loop["gerda"], loop["h"].id, scope, gegeven, tot)


def test_only_a_gbd_with_access_records_or_withdraws_consent(session, loop):  # noqa: F811
    stranger = make_user(session, "karel", "gbd")
    session.commit()
    with pytest.raises(AccessDenied):
        record_consent(session, stranger, loop["h"].id, [loop["woning"].id], D, D)
    with pytest.raises(AccessDenied):
        record_consent(session, loop["petra"], loop["h"].id, [loop["woning"].id], D, D)
    (consent,) = household_consents(session, loop["gerda"], loop["h"].id, D)
    with pytest.raises(AccessDenied):
        withdraw_consent(session, stranger, consent.id)
    refused = session.scalars(select(AuditEvent.actie).where(AuditEvent.resultaat == "geweigerd"))
    assert set(refused) == {"toestemming_vastleggen", "toestemming_intrekken"}


def test_regie_records_that_the_problems_are_multiple_and_connected(session, loop):  # noqa: F811
    gerda, h = loop["gerda"], loop["h"]
    other = loop["other"]
    session.execute(Regie.__table__.update().values(actief=False, einde=D))
    with pytest.raises(InvalidInput, match="meervoudig en samenhangend"):
        assign_regie(session, gerda, other.id, houder_user_id=gerda.user_id, doel="Stabiel",
                     samenhang=None, start=D)  # fmt: skip
    with pytest.raises(InvalidInput, match="samenhang"):
        assign_regie(session, gerda, other.id, houder_user_id=gerda.user_id, doel="Stabiel",
                     samenhang="kort", start=D)  # fmt: skip
    regie = assign_regie(session, gerda, h.id, houder_user_id=gerda.user_id,
                         doel="Stabiel wonen", start=D,
                         samenhang="Huurschuld en zorg voor de kinderen hangen samen")  # fmt: skip
    assert regie.samenhang == "Huurschuld en zorg voor de kinderen hangen samen"
    karel = make_user(session, "karel", "gbd")
    new = transfer_regie(session, gerda, h.id, houder_user_id=karel.user_id, start=D)
    assert new.samenhang == regie.samenhang
    assert '"meervoudig_en_samenhangend": true' in _last(session, "regie_toewijzen").nieuw
