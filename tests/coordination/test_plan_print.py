"""The printed plan: plain Dutch for the household, no BSN or amounts, accessible HTML."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from coordination.plan import add_goal, change_goal, print_plan
from coordination.plan_print import MAX_ACTIVE, PLAIN_CORNERS, plan_html
from coordination.plan_view import GoalView, PlanView
from tests.builders import add_debt, add_regie, first_person, make_household, make_user, valid_bsn

D = dt.date(2026, 6, 1)
BSN = valid_bsn(7)
# Words of the office that a household should not have to read on its own plan.
JARGON = ("regie", "casustafel", "bestaanszekerheid", "zorgcontinu", "evaluatie", "levensgebied",
          "voorziening", "schuld", "bsn", "status", "stabiliteitsdriehoek")  # fmt: skip


def _goal(n: int, status="loopt", hoek="bestaanszekerheid", doel=None, owner_id=None) -> GoalView:
    return GoalView(
        id=n, levensgebied="huisvesting", levensgebied_label="Huisvesting", hoek=hoek,
        hoek_label=hoek.title(), doel=doel or f"Doel nummer {n}", eigenaar="Gerda",
        eigenaar_soort="gbd", eigenaar_user_id=owner_id, eigenaar_instelling_id=None,
        evaluatiedatum=D + dt.timedelta(days=n), status=status, status_label=status,
        evaluatie_nodig=False, versie=1, decision_id=None, tafel=None, historie=(),
    )  # fmt: skip


def _view(goals, **kw) -> PlanView:
    args = dict(household_id=1, huishouden_id="H1", adres="Kerkstraat 12, 6441 AB Brunssum",
                wijk="Centrum", bewoners=("Jan Jansen", "Mia Jansen"), peildatum=D, plan_id=1,
                regiehouder="Gerda", regiehouder_user_id=5, regie_doel="Rust in huis en geld",
                goals=tuple(goals))  # fmt: skip
    args.update(kw)
    return PlanView(**args)


def _visible_text(html: str) -> str:
    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], False

        def handle_starttag(self, tag, attrs):
            self.skip = tag in ("style", "title")

        def handle_endtag(self, tag):
            self.skip = False

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_the_page_is_dutch_accessible_and_one_a4():
    html = plan_html(_view([_goal(1), _goal(2, hoek="meedoen", owner_id=5)]))
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
    assert "<title>Ons plan" in html and html.count("<h1>") == 1
    assert "size: A4" in html and html.count('<th scope="col">') == 4
    assert html.count('scope="colgroup"') == 2  # one heading row per part of life
    text = _visible_text(html)
    assert "Voor Jan Jansen en Mia Jansen" in text
    assert PLAIN_CORNERS["bestaanszekerheid"] in text and PLAIN_CORNERS["meedoen"] in text
    assert "Gerda (uw contactpersoon)" in text  # the regie holder owns the second goal
    assert "We kijken samen weer naar dit plan op 2 juni 2026" in text  # the earliest review


def test_plain_words_only_in_the_fixed_texts():
    text = _visible_text(plan_html(_view([_goal(1), _goal(2, status="bereikt")])))
    fixed = text.replace("Doel nummer 1", "").replace("Doel nummer 2", "")
    for word in JARGON:
        assert word not in fixed.lower(), word
    sentences = [s for s in re.split(r"[.?!]", fixed) if s.strip()]
    assert max(len(s.split()) for s in sentences) <= 20  # B1: short sentences


def test_reached_goals_are_listed_and_dropped_ones_left_off():
    goals = [_goal(1), _goal(2, status="bereikt", doel="Nieuwe woning gevonden"),
             _goal(3, status="vervallen", doel="Verhuizen naar Heerlen")]  # fmt: skip
    text = _visible_text(plan_html(_view(goals)))
    assert "Wat is al gelukt? Nieuwe woning gevonden" in text
    assert "Heerlen" not in text


def test_too_many_goals_are_summed_up_not_squeezed():
    goals = [_goal(n) for n in range(1, MAX_ACTIVE + 4)]
    text = _visible_text(plan_html(_view(goals)))
    assert f"Doel nummer {MAX_ACTIVE}" in text and f"Doel nummer {MAX_ACTIVE + 1}" not in text
    assert "Er zijn nog 3 andere afspraken" in text


def test_text_from_the_database_is_escaped():
    html = plan_html(_view([_goal(1, doel="<script>alert(1)</script> & meer")]))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; meer" in html


def test_an_empty_plan_says_so_plainly():
    text = _visible_text(plan_html(_view([], regie_doel=None, regiehouder=None)))
    assert "We hebben nog geen afspraken" in text
    assert "Bel de gemeente Brunssum" in text and "weer naar dit plan op" not in text


def test_printed_from_the_database_has_goals_but_no_bsn_and_no_amounts(session):
    gerda = make_user(session, "gerda", "gbd")
    h = make_household(session, persons=[(BSN, "Jan Jansen", "hoofdbewoner")])
    add_debt(session, first_person(session, h), 123_456)
    add_regie(session, h, gerda)
    session.commit()
    goal = add_goal(session, gerda, h.id, levensgebied="financien", doel="Vaste lasten op tijd",
                    evaluatiedatum=D + dt.timedelta(days=30), eigenaar_user_id=gerda.user_id,
                    date=D)  # fmt: skip
    change_goal(session, gerda, goal.id, 1, status="loopt", notitie="Budgetcoach gestart", date=D)
    session.commit()
    html = print_plan(session, gerda, h.id, today=D)
    text = _visible_text(html)
    assert "Vaste lasten op tijd" in text and "Bezig" in text and "Jan Jansen" in text
    assert BSN not in html and "€" not in html and "1.234" not in html
    assert "Budgetcoach" not in text  # the history stays in the hub
