"""Open a household from any list: one link, one selection that survives a reload.

A list row opens the household on the page where the role works on it: the Huishouden page
for a GBD-er, the Logboek for an ervaringswerker. The household travels in the URL's query
parameter ``huishouden`` (its database id, never a BSN or a name), so a reload or a shared
link keeps the selection; the target page's picker reads it with :func:`select_household`
and writes every new choice back. Access is checked by the target page's services as always:
a link is convenience, not permission.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from app.context import current_actor, unit_of_work
from app.navigation import PAGES_DIR
from households.access import may_see_household

__all__ = ["PARAM", "TARGETS", "target_page", "household_link", "page_link", "open_household",
           "select_household", "open_selected_row"]  # fmt: skip

PARAM = "huishouden"
TARGETS = {"gbd": "huishouden.py", "ervaringswerker": "logboek.py"}


def target_page(role: str | None) -> str | None:
    """The page file that opens a household for ``role``, or None (the role opens none).

    >>> target_page("gbd"), target_page("ervaringswerker"), target_page("kiss")
    ('huishouden.py', 'logboek.py', None)
    """
    return TARGETS.get(role or "")


def _page(role: str | None) -> str | None:
    file = target_page(role)
    return None if file is None else str(PAGES_DIR / file)


def household_link(household_id: int, label: str, *, help: str | None = None) -> None:
    """A link that opens the household on the role's page (plain text for other roles)."""
    actor = current_actor()
    page = _page(actor.rol if actor else None)
    if page is None:
        st.write(label)
        return
    page_link(page, label, query_params={PARAM: str(household_id)}, help=help,
              icon=":material/open_in_new:")  # fmt: skip


def page_link(page: str, label: str, **kwargs) -> None:
    """``st.page_link``, or the label as text where the page is not in the navigation.

    A page run on its own (a test of one page file) has no navigation to link into.
    """
    try:
        st.page_link(page, label=label, **kwargs)
    except StreamlitPageNotFoundError:
        st.write(label)


def open_household(household_id: int) -> None:
    """Switch to the role's household page with this household selected (stops the script)."""
    actor = current_actor()
    page = _page(actor.rol if actor else None)
    if page is not None:
        st.switch_page(page, query_params={PARAM: str(household_id)})


def requested_household() -> int | None:
    """The household id in the URL, or None (absent or not a number)."""
    value = st.query_params.get(PARAM)
    return int(value) if value is not None and value.isdigit() else None


def _remember(key: str) -> None:
    value = st.session_state.get(key)
    if value is None:
        st.query_params.pop(PARAM, None)
    else:
        st.query_params[PARAM] = str(value)


def select_household(
    ids: Sequence[int],
    format_func: Callable[[int], str],
    *,
    key: str,
    fallback: int | None = None,
    where=st,
    label: str = "Huishouden",
    placeholder: str = "Kies een huishouden",
    empty: bool = False,
) -> int | None:
    """The household picker of a page that opens households (Huishouden, Logboek).

    The household in the URL wins when it is one of ``ids``; otherwise ``fallback`` (the
    household just opened at the Voordeur), then the choice already on screen, then the
    first household (or none when ``empty``). Every choice is written back to the URL, so
    a reload keeps it and a choice made in the picker wins from then on.
    """
    wanted = requested_household()
    current = st.session_state.get(key)
    if wanted in ids:
        choice = wanted
    elif fallback in ids:
        choice = fallback
    elif current in ids:
        choice = current
    else:
        choice = None if empty or not ids else ids[0]
    st.session_state[key] = choice
    if choice is not None and wanted != choice:
        st.query_params[PARAM] = str(choice)
    return where.selectbox(label, list(ids), format_func=format_func, placeholder=placeholder,
                           key=key, on_change=_remember, args=(key,))  # fmt: skip


def open_selected_row(event, ids: Sequence[int]) -> None:
    """After a row of a selectable table was picked: open its household, or say why not.

    The household opens only where the role may see it (the target page checks again).
    """
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    if not rows:
        return
    household_id = ids[rows[0]]
    actor = current_actor()
    with unit_of_work() as session:
        visible = actor is not None and may_see_household(session, actor, household_id)
    if visible:
        open_household(household_id)
    else:
        st.info(
            "U heeft (nog) geen toegang tot dit huishouden. Open het via de Voordeur "
            "met een doel, neem regie of zet het op de agenda van uw casustafel."
        )
