"""The coordinator's worklist: each kind, the order, pagination, access, one audit row a view."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from coordination.loopmodels import Referral
from coordination.plan_rules import review_due
from coordination.referral_rules import escalation
from coordination.referrals import _not_accepted_sent_by
from coordination.worklist import _last_due_review_date
from experiments.worklist import my_worklist
from households.errors import AccessDenied, InvalidInput
from households.labels import visible_labels
from households.models import AuditEvent
from tests.worklist_world import EXPECTED, TODAY, build_world

D = dt.date


@pytest.fixture
def world(session):
    return build_world(session)


def _rows(wl, world):
    keys = {h.id: k for k, h in world["hh"].items()}
    return [(i.soort, keys[i.household_id], i.datum) for i in wl.items]


def _audit_rows(session, actie=None) -> int:
    stmt = select(func.count()).select_from(AuditEvent)
    if actie is not None:
        stmt = stmt.where(AuditEvent.actie == actie)
    return session.scalar(stmt)


def test_every_kind_in_urgency_order(session, world):
    wl = my_worklist(session, world["gerda"], today=TODAY)
    assert _rows(wl, world) == EXPECTED
    assert wl.counts == {
        "regie": 3,
        "doel": 3,
        "verwijzing": 2,
        "review": 1,
        "logboek": 2,
        "schuldhulp": 0,
    }
    assert (wl.total, wl.pages) == (11, 1)
    first = wl.items[0]
    assert (first.soort_label, first.urgentie_label) == ("Stabiliteitslog", "Acuut")
    assert first.wat == "Veiligheid 1 van 5, gelogd door Samira"


def test_rows_say_what_is_due_in_dutch(session, world):
    wl = my_worklist(session, world["gerda"], today=TODAY)
    wat = {(i.soort, i.datum): i.wat for i in wl.items}
    assert wat[("verwijzing", D(2026, 12, 30))] == (
        "Niet geaccepteerd binnen 5 werkdagen: Woningcorporatie Weller — Huurschuld regelen"
    )
    assert wat[("verwijzing", D(2026, 12, 28))].startswith("Deadline verstreken: ")
    assert wat[("doel", D(2026, 12, 20))] == "Financiën: Doel financien 2026-12-20"
    assert wat[("review", D(2026, 12, 10))] == (
        "Maatwerkbesluit van Karel (Brede tafel publiek domein): Besluit maatwerk van karel"
    )
    assert wl.items[8].wat == "Regie sinds 01-01-2026: Stabiliteit"


def test_name_and_address_only_where_the_coordinator_may_see_the_household(session, world):
    wl = my_worklist(session, world["gerda"], today=TODAY)
    by_household = {i.household_id: i.huishouden for i in wl.items}
    h1 = by_household[world["hh"]["h1"].id]
    assert (h1.naam, h1.adres) == ("J. Jansen1", "Kerkstraat 1, 6441 AB")
    assert by_household[world["hh"]["h4"].id].naam == "J. Jansen4"  # on her table
    assert by_household[world["hh"]["h5"].id] is None  # her goal, not her household
    hidden = next(i for i in wl.items if i.household_id == world["hh"]["h5"].id)
    assert hidden.huishouden_id == world["hh"]["h5"].huishouden_id


def test_referral_escalates_exactly_after_five_working_days(session, world):
    # Sent Tue 22-12-2026: Wed, Thu, (Christmas, Boxing Day, weekend), Mon, Tue, Wed 30-12.
    def escalated(today):
        wl = my_worklist(session, world["gerda"], today=today)
        return [i.datum for i in wl.items if i.soort == "verwijzing"]

    session.execute(Referral.__table__.update().values(deadline=None))  # only the 5-day rule
    assert escalated(D(2026, 12, 30)) == []
    assert escalated(D(2026, 12, 31)) == [D(2026, 12, 30)]  # the 23rd: accept by 31-12
    assert escalated(D(2027, 1, 1)) == [D(2026, 12, 30), D(2026, 12, 31)]


def test_sql_bounds_agree_with_the_one_rule():
    # Over five months with Christmas, Nieuwjaarsdag, Easter and Koningsdag 2027 in them.
    for n in range(0, 150):
        today = D(2026, 12, 1) + dt.timedelta(days=n)
        cutoff = _not_accepted_sent_by(today)
        for back in range(0, 40):
            sent = today - dt.timedelta(days=back)
            assert (sent <= cutoff) == (escalation("verstuurd", sent, None, today) is not None)
        last = _last_due_review_date(today)
        assert review_due("open", last, today)
        assert not review_due("open", last + dt.timedelta(1), today)


def test_pages_are_slices_of_the_one_order(session, world):
    gerda = world["gerda"]
    whole = _rows(my_worklist(session, gerda, today=TODAY), world)
    pages = [my_worklist(session, gerda, page=p, per_page=4, today=TODAY) for p in (1, 2, 3)]
    assert [w.pages for w in pages] == [3, 3, 3]
    assert sum((_rows(w, world) for w in pages), []) == whole
    past_the_end = my_worklist(session, gerda, page=9, per_page=4, today=TODAY)
    assert (past_the_end.page, _rows(past_the_end, world)) == (3, whole[8:])


def test_per_page_is_bounded_and_checked(session, world):
    wl = my_worklist(session, world["gerda"], per_page=10_000, today=TODAY)
    assert wl.per_page == 50
    with pytest.raises(InvalidInput, match="De pagina moet een heel getal"):
        my_worklist(session, world["gerda"], page=0, today=TODAY)


def test_one_audit_row_per_view_with_the_households_shown(session, world):
    before, views = _audit_rows(session), _audit_rows(session, "werklijst_inzien")
    my_worklist(session, world["gerda"], today=TODAY)
    session.commit()
    assert _audit_rows(session) == before + 1
    assert _audit_rows(session, "werklijst_inzien") == views + 1
    row = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (row.object_type, row.doel, row.resultaat) == (
        "werklijst",
        "werklijst van de GBD-er",
        "ok",
    )
    shown = dict(map(tuple, json.loads(row.nieuw)["huishoudens"]))
    assert shown[world["hh"]["h1"].id] == "regiehouder"
    assert shown[world["hh"]["h4"].id] == "casustafel Brede tafel publiek domein"
    assert world["hh"]["h5"].id not in shown


def test_another_coordinator_sees_their_own_list(session, world):
    wl = my_worklist(session, world["karel"], today=TODAY)
    assert {i.soort for i in wl.items} == {"regie", "doel", "logboek", "verwijzing", "review"}
    assert all(i.household_id == world["hh"]["h4"].id for i in wl.items if i.soort != "doel")


@pytest.mark.parametrize("rol", ["ervaringswerker", "voordeur", "kiss", "beheer"])
def test_only_gbd_has_a_worklist(session, world, account, rol):
    with pytest.raises(AccessDenied):
        my_worklist(session, account(f"x_{rol}", rol), today=TODAY)
    refused = select(func.count()).where(
        AuditEvent.actie == "werklijst_inzien", AuditEvent.resultaat == "geweigerd"
    )
    assert session.scalar(refused) == 1


def test_lists_show_names_only_where_the_role_may_see_them_audited_once(session, world):
    hh = world["hh"]
    before, views = _audit_rows(session), _audit_rows(session, "naam_adres_inzien")
    labels = visible_labels(session, world["gerda"], [hh[k].id for k in ("h1", "h4", "h5")],
                            "regiegaten")  # fmt: skip
    session.commit()
    assert sorted(labels) == sorted([hh["h1"].id, hh["h4"].id])
    assert labels[hh["h1"].id].who == "J. Jansen1, Kerkstraat 1, 6441 AB"
    assert (_audit_rows(session), _audit_rows(session, "naam_adres_inzien")) == (
        before + 1,
        views + 1,
    )
    assert visible_labels(session, world["gerda"], [hh["h5"].id], "regiegaten") == {}
