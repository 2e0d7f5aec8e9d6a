"""The printed plan: one A4 page in plain Dutch (B1), discussed with the household.

:func:`plan_html` is pure: a :class:`~coordination.plan_view.PlanView` in, a complete HTML
page out (``lang="nl"``, headings in order, tables with column headers, print CSS for one
A4 page). It says what the household reads: what we work on, who helps, when we look
again, and who their contact at the gemeente is. It never shows a BSN, an amount, a
provision or a debt, and uses words a household uses ("Geld, werk en wonen", not
"bestaanszekerheid"). Goals that did not work out or were dropped are left off the page
(the history stays in the hub; the coordinator talks them through).
"""

from __future__ import annotations

from html import escape

from coordination.plan_view import GoalView, PlanView, goals_by_corner
from households.formatting import long_date

__all__ = ["plan_html", "PLAIN_CORNERS", "PLAIN_STATUS", "MAX_ACTIVE", "MAX_DONE"]

# The corners of the triangle in the household's words (the labels for staff are in plan_rules).
PLAIN_CORNERS = {
    "bestaanszekerheid": "Geld, werk en wonen",
    "zorgcontinuiteit": "Gezondheid en zorg",
    "meedoen": "Meedoen en mensen om u heen",
    "veiligheid": "Veilig thuis",
}
PLAIN_STATUS = {"open": "Nog niet begonnen", "loopt": "Bezig", "bereikt": "Gelukt"}
MAX_ACTIVE = 6  # goals in the table: a plan with focus, and more would not fit on one page
MAX_DONE = 3  # goals reached, listed at the end
MAX_AIM = 120  # characters of one aim on paper (longer ones end in "…")
MAX_DONE_AIM = 100

CSS = """
@page { size: A4; margin: 12mm 14mm; }
* { box-sizing: border-box; }
body { font-family: Verdana, Arial, sans-serif; font-size: 10.5pt; line-height: 1.3;
       color: #000; background: #fff; margin: 0 auto; max-width: 180mm; padding: 6mm 0; }
h1 { font-size: 17pt; margin: 0 0 1mm; }
h2 { font-size: 12.5pt; margin: 3.5mm 0 1.5mm; border-bottom: 1.5pt solid #000; }
h3 { font-size: 11pt; margin: 3mm 0 1mm; }
p { margin: 0 0 1.5mm; }
ul { margin: 0; padding-left: 6mm; }
table { width: 100%; border-collapse: collapse; margin-bottom: 2mm; }
th, td { text-align: left; vertical-align: top; padding: 0.8mm 1.6mm; border: 0.75pt solid #444; }
th { background: #e8e8e8; font-weight: bold; }
col.wat { width: 48%; } col.wie { width: 19%; }
col.wanneer { width: 20%; } col.stand { width: 13%; }
tr.groep th { background: #fff; border-left: none; border-right: none; padding-top: 1.5mm; }
.voor { font-size: 11pt; }
.klein { font-size: 9.5pt; }
.contact { border: 1.5pt solid #000; padding: 2mm 3mm; margin-top: 3mm; }
.contact h2 { margin-top: 0; }
@media print {
  body { padding: 0; max-width: none; }
  tr, .contact { break-inside: avoid; }
}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;") + "…"


def _who(goal: GoalView, view: PlanView) -> str:
    if goal.eigenaar_soort == "gbd" and goal.eigenaar_user_id == view.regiehouder_user_id:
        return f"{goal.eigenaar} (uw contactpersoon)"
    return goal.eigenaar


def _names(view: PlanView) -> str:
    names = list(view.bewoners)
    if not names:
        return "het huishouden"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def _group_rows(label: str, goals: list[GoalView], view: PlanView) -> str:
    rows = "".join(
        f"<tr><td>{_e(_clip(g.doel, MAX_AIM))}</td><td>{_e(_who(g, view))}</td>"
        f"<td>{_e(long_date(g.evaluatiedatum))}</td><td>{_e(PLAIN_STATUS[g.status])}</td></tr>"
        for g in goals
    )
    return f'<tr class="groep"><th colspan="4" scope="colgroup">{_e(label)}</th></tr>{rows}\n'


def _active_section(view: PlanView) -> str:
    shown, left = 0, 0
    parts = []
    for corner, _label, goals in goals_by_corner(view.goals):
        active = [g for g in goals if g.open]
        room = max(0, MAX_ACTIVE - shown)
        left += max(0, len(active) - room)
        active = active[:room]
        if active:
            parts.append(_group_rows(PLAIN_CORNERS[corner], active, view))
            shown += len(active)
    if not parts:
        return (
            "<section><h2>Wat gaan we doen?</h2>\n"
            "<p>We hebben nog geen afspraken. Die maken we samen in het gesprek.</p></section>\n"
        )
    more = (
        f"<p>Er zijn nog {left} andere afspraken. Uw contactpersoon vertelt u er meer over.</p>\n"
        if left
        else ""
    )
    table = (
        "<table>\n"
        '<colgroup><col class="wat"><col class="wie"><col class="wanneer"><col class="stand">'
        "</colgroup>\n"
        '<thead><tr><th scope="col">Wat willen we bereiken?</th><th scope="col">Wie helpt?</th>'
        '<th scope="col">Wanneer kijken we weer?</th><th scope="col">Hoe staat het?</th></tr>'
        f"</thead>\n<tbody>\n{''.join(parts)}</tbody>\n</table>\n"
    )
    return "<section><h2>Wat gaan we doen?</h2>\n" + table + more + "</section>\n"


def _done_section(view: PlanView) -> str:
    done = [g for g in view.goals if g.status == "bereikt"][-MAX_DONE:]
    if not done:
        return ""
    items = "".join(f"<li>{_e(_clip(g.doel, MAX_DONE_AIM))}</li>" for g in done)
    return f"<section><h2>Wat is al gelukt?</h2>\n<ul>{items}</ul></section>\n"


def _contact_section(view: PlanView) -> str:
    if view.regiehouder:
        who = (
            f"<p>Uw vaste contactpersoon bij de gemeente is <strong>{_e(view.regiehouder)}"
            "</strong>. Bel de gemeente Brunssum en vraag naar deze persoon.</p>\n"
        )
    else:
        who = "<p>Bel de gemeente Brunssum als u een vraag heeft over dit plan.</p>\n"
    again = (
        f"<p>We kijken samen weer naar dit plan op <strong>{_e(long_date(view.next_review))}"
        "</strong>.</p>\n"
        if view.next_review
        else ""
    )
    return (
        '<section class="contact"><h2>Vragen?</h2>\n' + who + again
        + "<p>Klopt er iets niet? Of wilt u iets anders? Zeg het gerust. "
        "Het is uw plan.</p></section>\n"
    )  # fmt: skip


def plan_html(view: PlanView) -> str:
    """The household's plan as one printable A4 page of HTML, in plain Dutch (B1).

    Shows the shared aim, the goals still open per part of life (at most
    :data:`MAX_ACTIVE`), what has been reached, when we look again and the contact.
    Every text from the database is escaped.
    """
    aim = (
        "<section><h2>Waar werken we samen naar toe?</h2>\n"
        f"<p>{_e(_clip(view.regie_doel, MAX_AIM))}</p></section>\n"
        if view.regie_doel
        else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Ons plan – {_e(view.adres)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        "<header>\n<h1>Ons plan</h1>\n"
        f'<p class="voor">Voor {_e(_names(view))}<br>{_e(view.adres)}</p>\n'
        f'<p class="klein">Gemaakt op {_e(long_date(view.peildatum))}. '
        "We bespreken dit plan samen met u.</p>\n</header>\n<main>\n"
        + aim + _active_section(view) + _done_section(view) + _contact_section(view)
        + "</main>\n</body>\n</html>\n"
    )  # fmt: skip
