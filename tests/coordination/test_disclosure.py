"""The role × category matrix (DESIGN 8.2) on hand-made data: content, "bekend bij" or nothing.

One household holds one fact of every category the household views show. Each role gets
each ground it can have (an opening with a purpose, regie, a table, the Tafel sociale
veiligheid, a proeftuin); the expected matrix below is written out by hand, not derived
from the code under test. The views are checked on their concrete rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from coordination import casetables as ct
from coordination.access import open_household
from coordination.disclosure import ROLE_GROUNDS, disclosure, matrix, matrix_table
from coordination.frontdoor import household_view
from coordination.graph import household_graph
from coordination.journey import household_journey
from coordination.picture import household_picture
from households.access import require_household_access
from households.actor import SYSTEM
from households.categories import CATEGORIES, known_at
from households.errors import AccessDenied
from households.models import AuditEvent
from tests.builders import (
    D,
    add_debt,
    add_institution,
    add_member,
    add_provision,
    add_regie,
    add_signal,
    enrol_direct,
    experiment,
    first_person,
    make_household,
    make_user,
    opened,
    valid_bsn,
)
from tests.coordination.test_referrals import make_partner

# basis wmo jeugd jeugdbescherming participatie minima schulden veiligheid overlast isd_boete
# stabiliteit plan — I: content, B: "bekend bij" without content, -: nothing
EXPECTED = {
    ("voordeur", "doel"): "I I I B I I I B I B B I",
    ("gbd", "doel"): "I I I B I I I B I B B I",
    ("gbd", "regie"): "I I I I I I I I I I I I",
    ("gbd", "tafel"): "I I I I I I I B I B I I",
    ("gbd", "tafel_veiligheid"): "I I I I I I I I I I I I",
    ("gbd", "proeftuin"): "I B B B B B B B B B I I",
    ("ervaringswerker", "proeftuin"): "I B B B B B B B B B I I",
    ("partner", ""): "- - - - - - - - - - - -",
    ("kiss", ""): "- - - - - - - - - - - -",
    ("beheer", ""): "- - - - - - - - - - - -",
}
WORD = {"I": "inhoud", "B": "bekend", "-": "-"}
# the concrete facts of the household and their category (hand-written)
PROVISIONS = {"begeleiding": "wmo", "ambulante jeugdhulp": "jeugd",
              "jeugdbescherming": "jeugdbescherming", "bijstand": "participatie",
              "minimaregelingen": "minima"}  # fmt: skip
DEBTS = {"Woonpunt": "schulden", "ISD BOL boete": "isd_boete"}
SIGNALS = {"politie": "veiligheid", "overlast": "overlast"}
IN_VIEWS = ("basis", *PROVISIONS.values(), *DEBTS.values(), *SIGNALS.values(), "plan")


def _cells(code: str) -> dict[str, str]:
    return dict(zip(CATEGORIES, (WORD[x] for x in code.split()), strict=True))


def test_the_matrix_in_the_code_is_the_one_written_here():
    assert {(role, ground): cells for role, ground, cells in matrix()} == {
        key: _cells(code) for key, code in EXPECTED.items()
    }
    assert set(ROLE_GROUNDS) == {"voordeur", "gbd", "ervaringswerker", "partner", "kiss", "beheer"}


@pytest.fixture
def world(session):
    """One household with a fact of every category, and one user per (role, ground)."""
    holder = make_user(session, "regina", "gbd")
    h = make_household(session, persons=[(valid_bsn(1), "Anna Jansen", "hoofdbewoner"),
                                         (valid_bsn(2), "Bo Jansen", "kind")])  # fmt: skip
    anna = first_person(session, h)
    for soort, cat in PROVISIONS.items():
        domein = {"wmo": "WMO", "jeugd": "JEUGD", "jeugdbescherming": "JEUGD"}.get(cat, "ISD")
        add_provision(session, anna, domein, soort)
    for schuldeiser in DEBTS:
        add_debt(session, anna, 40_000, schuldeiser)
    for soort in SIGNALS:
        add_signal(session, h, soort)
    add_regie(session, h, holder)
    users = {("gbd", "regie"): holder}
    for role in ("voordeur", "gbd"):
        users[(role, "doel")] = make_user(session, f"{role}-doel", role)
        opened(session, users[(role, "doel")], h)
    brede, _, veilig = ct.ensure_tables(session)
    for ground, table in (("tafel", brede), ("tafel_veiligheid", veilig)):
        user = users[("gbd", ground)] = make_user(session, f"gbd-{ground}", "gbd")
        ct.add_member(session, SYSTEM, table.id, user.user_id)
        ct.add_agenda_item(session, SYSTEM, table.id, h.id, "Wat is nodig?", date=D)
    exp = experiment(session)
    enrol_direct(session, exp, h)
    for role in ("gbd", "ervaringswerker"):
        user = users[(role, "proeftuin")] = make_user(session, f"{role}-proef", role)
        add_member(session, exp, user, "coordinator" if role == "gbd" else "ervaringswerker")
    for role in ("kiss", "beheer"):
        users[(role, "")] = make_user(session, f"{role}-x", role)
    users[("partner", "")] = make_partner(session, "partner-x", add_institution(session, "Radar"))
    session.commit()
    return h, users


def _shown(view) -> set[str]:
    """The categories whose content a view shows, read from its concrete rows."""
    cats = {"basis"} if view.members else set()
    cats |= {PROVISIONS[p.voorziening] for p in view.provisions}
    cats |= {DEBTS[d.schuldeiser] for d in view.debts}
    cats |= {SIGNALS[s.soort] for s in view.signals}
    return cats | ({"plan"} if view.regie else set())


def _door(view) -> set[str]:
    cats = {"basis"} if view.personen else set()
    cats |= {PROVISIONS[p.soort] for p in view.voorzieningen}
    cats |= {DEBTS[d.schuldeiser] for d in view.schulden}
    cats |= {SIGNALS[s.soort] for s in view.signalen}
    return cats | ({"plan"} if view.regie else set())


@pytest.mark.parametrize("key", list(EXPECTED))
def test_each_role_and_ground_sees_content_bekend_bij_or_nothing(session, world, key):
    h, users = world
    actor, cells = users[key], _cells(EXPECTED[key])
    if key[1] == "":  # no ground: no household at all, refused and audited
        with pytest.raises(AccessDenied):
            household_picture(session, actor, h.id, D)
        return
    reason = require_household_access(session, actor, h.id)
    seen = disclosure(session, actor, h.id, reason)
    assert key[1] in seen.grounds
    assert {c: "inhoud" if seen.shows(c) else "bekend" for c in CATEGORIES} == cells
    picture = household_picture(session, actor, h.id, D)
    content = {c for c in IN_VIEWS if cells[c] == "inhoud"}
    assert _shown(picture) == content
    assert picture.bekend_bij == tuple(known_at(c) for c in CATEGORIES
                                       if c in IN_VIEWS and cells[c] == "bekend")  # fmt: skip
    row = session.scalars(select(AuditEvent).where(AuditEvent.actie == "huishouden_inzien")
                          .order_by(AuditEvent.id.desc()).limit(1)).one()  # fmt: skip
    assert row.doel.startswith(f"{reason} · grondslag: ") and row.gebruiker == actor.naam
    logged = json.loads(row.nieuw)
    assert (set(logged["inhoud"]), set(logged["bekend_bij"])) == (
        content, set(IN_VIEWS) - content,
    )  # fmt: skip
    if key[0] in ("voordeur", "gbd") and key[1] == "doel":  # the front door's own view
        assert _door(household_view(session, actor, h.id, D)) == content


def test_front_door_sees_bekend_bij_instead_of_police_youth_protection_and_fines(session, world):
    h, users = world
    view = household_view(session, users[("voordeur", "doel")], h.id, D)
    assert [s.soort for s in view.signalen] == ["overlast"]
    assert [d.schuldeiser for d in view.schulden] == ["Woonpunt"]
    assert "jeugdbescherming" not in {p.soort for p in view.voorzieningen}
    assert view.stapeling.debt_outstanding == 400  # the ISD fine is not in the total
    full = household_picture(session, users[("gbd", "regie")], h.id, D)
    assert full.stacking.debt_outstanding == 800
    assert view.bekend_bij == (
        "bekend bij Jeugdbescherming — contact: team Jeugd",
        "bekend bij Zorg en Veiligheid (politie, Veilig Thuis) — contact: team Zorg en Veiligheid",
        "bekend bij ISD BOL (handhaving) — contact: team Handhaving ISD BOL",
    )


def test_the_graph_leaves_out_what_the_reader_may_not_see(session, world):
    h, users = world
    g = household_graph(session, users[("gbd", "doel")], h.id, D)
    labels = {a["label"] for _, a in g.nodes(data=True)}
    assert "politie" not in labels and "ISD BOL boete" not in labels and "overlast" in labels
    assert "JEUGD: jeugdbescherming" not in labels and "JEUGD: ambulante jeugdhulp" in labels
    full = household_graph(session, users[("gbd", "regie")], h.id, D)
    assert {"politie", "ISD BOL boete", "JEUGD: jeugdbescherming"} <= {
        a["label"] for _, a in full.nodes(data=True)
    }


def test_a_typed_purpose_that_names_a_ground_gives_no_more_than_the_purpose(session, world):
    h, _ = world
    sly = make_user(session, "sly", "gbd")
    open_household(session, sly, h.id, "regiehouder")
    session.flush()
    assert disclosure(session, sly, h.id, "regiehouder").grounds == {"doel"}
    assert not disclosure(session, sly, h.id, "regiehouder").shows("veiligheid")


def test_an_opening_and_regie_together_show_what_regie_shows(session, world):
    h, users = world
    holder = users[("gbd", "regie")]
    opened(session, holder, h)  # the opening's purpose is the access reason now
    reason = require_household_access(session, holder, h.id)
    seen = disclosure(session, holder, h.id, reason)
    assert seen.grounds == {"doel", "regie"} and seen.shows("veiligheid")


def test_the_readme_shows_the_matrix_of_the_code():
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    assert "\n".join(matrix_table()) in readme


def test_the_journey_shows_the_safety_table_only_as_bekend_bij_without_a_ground(session, world):
    """The Klantreis lists agenda items; an item at the Tafel sociale veiligheid is content
    of `veiligheid`: the front door sees only that the household is known there."""
    h, users = world

    def agenda_texts(actor) -> list[str]:
        journey = household_journey(session, actor, h.id)
        return [s.tekst for r in journey for s in r.stappen if s.stap == "agendapunt"]

    brede, _, veilig = ct.ensure_tables(session)
    door = agenda_texts(users[("voordeur", "doel")])
    assert f"{brede.naam}: Wat is nodig?" in door
    assert f"{veilig.naam}: {known_at('veiligheid')}" in door
    assert f"{veilig.naam}: Wat is nodig?" not in door
    table = agenda_texts(users[("gbd", "tafel_veiligheid")])
    assert f"{veilig.naam}: Wat is nodig?" in table
