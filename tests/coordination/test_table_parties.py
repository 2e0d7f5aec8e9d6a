"""Partners "met mandaat" at a table see only the agenda items their institution is party to."""

from __future__ import annotations

import datetime as dt

import pytest

from coordination import actions as act
from coordination import casetables as ct
from coordination import table_parties as tp
from coordination.models import CaseTableMember
from households.errors import AccessDenied, InvalidInput
from tests.builders import D, add_institution, make_household, make_user, opened, valid_bsn
from tests.coordination.test_referrals import make_partner


@pytest.fixture
def table(session):
    gerda = make_user(session, "gerda", "gbd")
    woning = add_institution(session, "Weller Wonen")
    impuls = add_institution(session, "Impuls")
    brede = ct.ensure_tables(session)[0]
    ct.add_member(session, gerda, brede.id, gerda.user_id)
    homes = [make_household(session, huisnummer=str(n), persons=[(valid_bsn(n), f"P{n}",
             "hoofdbewoner")]) for n in (1, 2, 3)]  # fmt: skip
    for h in homes:
        opened(session, gerda, h)
    items = [ct.add_agenda_item(session, gerda, brede.id, h.id, f"Vraag {h.huisnummer}", date=D)
             for h in homes]  # fmt: skip
    petra = make_partner(session, "petra", woning)
    return dict(gerda=gerda, woning=woning, impuls=impuls, brede=brede, items=items, petra=petra)


def test_partner_member_sees_only_the_items_their_institution_is_party_to(session, table):
    gerda, petra, items = table["gerda"], table["petra"], table["items"]
    ct.add_member(session, gerda, table["brede"].id, petra.user_id)
    assert session.query(CaseTableMember).filter_by(user_id=petra.user_id).one().mandaat is True
    assert tp.partner_agenda(session, petra) == []  # a member, but party to nothing yet
    act.add_action(session, gerda, items[0].id, "Huurschuld regelen", "K. Bos",
                   D + dt.timedelta(days=9), institution_id=table["woning"].id, date=D)  # fmt: skip
    tp.add_party(session, gerda, items[1].id, table["woning"].id)
    act.add_action(session, gerda, items[2].id, "Gesprek", "I. Impuls",
                   D + dt.timedelta(days=9), institution_id=table["impuls"].id, date=D)  # fmt: skip
    seen = tp.partner_agenda(session, petra)
    assert [(i.agenda_item_id, i.vraag, i.naam) for i in seen] == [
        (items[0].id, "Vraag 1", "P1"), (items[1].id, "Vraag 2", "P2"),
    ]  # fmt: skip


def test_party_items_need_a_seat_and_the_full_agenda_stays_closed(session, table):
    gerda, petra, items = table["gerda"], table["petra"], table["items"]
    tp.add_party(session, gerda, items[0].id, table["woning"].id)
    assert tp.partner_agenda(session, petra) == []  # party, but not seated at the table
    ct.add_member(session, gerda, table["brede"].id, petra.user_id)
    with pytest.raises(AccessDenied):
        ct.agenda(session, petra, table["brede"].id)


def test_ervaringswerker_and_partner_can_be_members_but_not_voordeur(session, table):
    ew = make_user(session, "esra", "ervaringswerker")
    member = ct.add_member(session, table["gerda"], table["brede"].id, ew.user_id)
    assert member.mandaat is False
    with pytest.raises(InvalidInput, match="GBD-ers, ervaringswerkers en partners"):
        ct.add_member(session, table["gerda"], table["brede"].id,
                      make_user(session, "anna", "voordeur").user_id)  # fmt: skip


def test_only_a_member_of_the_table_adds_a_party(session, table):
    bert = make_user(session, "bert", "gbd")
    with pytest.raises(AccessDenied):
        tp.add_party(session, bert, table["items"][0].id, table["woning"].id)


def test_member_candidates_name_role_and_institution_and_leave_out_the_seated(session, table):
    ew = make_user(session, "esra", "ervaringswerker")
    make_user(session, "anna", "voordeur")
    found = tp.member_candidates(session, table["gerda"], table["brede"].id)
    assert found == {ew.user_id: "Esra (ervaringswerker)",
                     table["petra"].user_id: "Petra (partner, Weller Wonen)"}  # fmt: skip
