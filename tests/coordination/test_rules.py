"""Complexity rules as versioned data."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coordination.models import RuleSet
from coordination.rules import DEFAULT_RULES, active_rules, rule_history, save_rules
from households.actor import Actor
from households.errors import AccessDenied, InvalidInput
from households.models import AuditEvent


@pytest.fixture
def beheer(account):
    return account("bea", "beheer")


def test_version_one_is_created_from_the_defaults(session):
    v = active_rules(session)
    assert (v.versie, v.regels) == (1, DEFAULT_RULES)
    assert active_rules(session).versie == 1
    assert session.scalar(select(RuleSet.versie).where(RuleSet.actief)) == 1


def test_defaults_follow_the_design():
    assert DEFAULT_RULES["herhaalde_hulpvragen"] == {
        "actief": True, "min_aantal": 3, "periode_dagen": 365,
    }  # fmt: skip
    assert DEFAULT_RULES["veiligheidssignaal"]["soorten"] == [
        "politie",
        "huiselijk_geweld",
        "veilig_thuis",
        "veiligheid_logboek",  # veiligheid 1 in a stability log (DESIGN 4.2: safety first)
    ]
    assert DEFAULT_RULES["jeugdbescherming"]["soort"] == "jeugdbescherming"


def test_save_makes_a_new_active_version(session, beheer):
    regels = active_rules(session).regels
    regels["veiligheidssignaal"]["actief"] = False
    v = save_rules(session, beheer, regels, "veiligheid apart beoordelen")
    assert v.versie == 2 and active_rules(session).regels["veiligheidssignaal"]["actief"] is False
    assert [h.versie for h in rule_history(session)] == [2, 1]
    assert [h.actief for h in rule_history(session)] == [True, False]
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.actie, event.object_id, event.doel) == (
        "regels_wijzigen", "2", "veiligheid apart beoordelen",
    )  # fmt: skip


@pytest.mark.parametrize(
    "regels",
    [
        {"onbekend": {}},
        {"herhaalde_hulpvragen": {"min_aantal": 0}},
        {"herhaalde_hulpvragen": {"min_aantal": "drie"}},
        {"stapeling": {"actief": "ja"}},
        {"stapeling": {"max": 3}},
        {"veiligheidssignaal": {"soorten": ["onweer"]}},
        {"veiligheidssignaal": {"soorten": []}},
        {"jeugdbescherming": {"soort": " "}},
    ],
)
def test_invalid_rules_are_refused_and_nothing_is_written(session, regels, beheer):
    active_rules(session)
    with pytest.raises(InvalidInput):
        save_rules(session, beheer, regels, "een wijziging")
    assert active_rules(session).versie == 1


@pytest.mark.parametrize(
    ("regels", "named", "allowed"),
    [
        ({"jeugdbescherming": {"soort": "jeugdbeschermingg"}}, "'jeugdbeschermingg'",
         "'jeugd-ggz'"),
        ({"jeugdbescherming": {"soort": "bijstand"}}, "'bijstand'", "'jeugdbescherming'"),
        ({"veiligheidssignaal": {"soorten": ["politie", "politi"]}}, "'politi'",
         "'huiselijk_geweld'"),
        ({"veiligheidssignaal": {"soorten": []}}, "kies een of meer", "'politie'"),
        ({"jeugdbeschermingg": {"actief": False}}, "'jeugdbeschermingg'", "'jeugdbescherming'"),
        ({"stapeling": {"min_domein": 3}}, "'min_domein'", "'min_domeinen'"),
    ],
)  # fmt: skip
def test_refusal_names_the_wrong_and_the_allowed(session, beheer, regels, named, allowed):
    active_rules(session)
    with pytest.raises(InvalidInput) as refused:
        save_rules(session, beheer, regels, "een wijziging")
    assert named in str(refused.value) and allowed in str(refused.value)
    assert active_rules(session).versie == 1
    assert len(rule_history(session)) == 1


def test_the_jeugd_provision_kinds_are_those_of_the_reference_data():
    from data.reference import PROVISION_KINDS
    from households.models import PROVISION_KINDS_BY_DOMAIN

    assert {d: tuple(k[0] for k in kinds) for d, kinds in PROVISION_KINDS.items()} == (
        PROVISION_KINDS_BY_DOMAIN
    )


def test_toelichting_is_required(session, beheer):
    with pytest.raises(InvalidInput):
        save_rules(session, beheer, DEFAULT_RULES, " ")


@pytest.mark.parametrize("rol", ["voordeur", "gbd", "kiss", "ervaringswerker"])
def test_only_beheer_saves_rules(session, rol):
    with pytest.raises(AccessDenied):
        save_rules(session, Actor(7, "x", rol), DEFAULT_RULES, "poging tot wijziging")
