"""Forms people can trust: written once, to the record on screen, then shown as saved.

Every writing form on every page goes through :class:`Form`:

- **Once.** The form is rendered with a random submission token; the write and
  the claim of the token are one transaction (:func:`households.submissions.claim`,
  a primary key in ``inzending``). A double click, a resubmitted form or a
  retried request presents the same token and writes nothing more.
- **To the record on screen.** The token is bound to the target record the form
  was rendered for (a household, an agenda item, a regie). When the target on
  screen is no longer the one the form was filled in for, the write is refused
  and the form is shown again for the new target.
- **Then the new state.** After a commit the form's fields are cleared, the
  token is renewed, the success message is kept for the next run and the page
  reruns, so every part of the page shows the state after the save.

A refused write (a :class:`~households.errors.KissError`) keeps the form as
filled in, shows the Dutch message and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

import streamlit as st

from app.context import Attempt, get_engine, require_actor
from households.db import Session, session_scope
from households.errors import KissError
from households.submissions import AlreadyProcessed, claim

__all__ = ["ALREADY_SAVED", "Form"]

_TICKET = "_formulier_{}"
_FLASH = "_melding_{}"
_CLEAR = "_leeg_{}"
ALREADY_SAVED = (
    "Dit formulier was al verstuurd en is één keer opgeslagen; er is niets dubbel vastgelegd."
)
SHIFTED = (
    "De keuze op het scherm is veranderd sinds u dit formulier invulde; er is niets "
    "opgeslagen. Controleer het formulier en verstuur het opnieuw."
)


@dataclass(frozen=True)
class _Ticket:
    token: str
    target: Any
    # issued by a save (``Form._done``) and not yet bound to a render: a click judged
    # against it came from the render before the save — the second click of a double
    # click that arrived after the first was saved and before its rerun was drawn (seen
    # under load in CI). It is the same submission: not "the choice changed" when the
    # save itself moved the target (a new rule version), and not a second write when the
    # form has no target (a new account). The first run that draws the form's button
    # without a click binds the ticket to that render (:meth:`Form._drawn`).
    after_save: bool = False


def _new_ticket(target: Any, after_save: bool = False) -> _Ticket:
    return _Ticket(uuid.uuid4().hex, target, after_save)


class Form:
    """One writing form: its token, its target, its button and its fields.

    ``name`` identifies the form (and its token) within the session; ``button``
    is the submit button's widget key; ``fields`` maps the widget keys of the
    form to their empty value (``""`` for text, ``None`` for a choice or number
    without a default), set after a successful save; ``target`` is the record
    the form writes to as shown on this run (``None`` for a form without one).
    Create the form before its widgets: it empties them after a save (the
    browser only shows an emptied widget when its value is set before the widget
    is drawn) and shows the message left by the previous save.
    """

    def __init__(
        self,
        name: str,
        *,
        button: str,
        fields: Mapping[str, Any] | None = None,
        target: Any = None,
    ) -> None:
        self.name = name
        self.button_key = button
        self.fields = dict(fields or {})
        self.target = target
        for key, empty in st.session_state.pop(_CLEAR.format(name), {}).items():
            st.session_state[key] = empty
        pending = bool(st.session_state.get(button))
        ticket = st.session_state.get(_TICKET.format(name))
        # A click is judged against the ticket of the render the user saw; without a
        # click the ticket follows the target on screen (a new target, a new token).
        if ticket is None or (not pending and ticket.target != target):
            ticket = _new_ticket(target)
            st.session_state[_TICKET.format(name)] = ticket
        self.ticket: _Ticket = ticket
        self._from_before_save = False  # this run's click was on the render before a save
        flash = st.session_state.pop(_FLASH.format(name), None)
        if flash is not None:
            kind, text = flash
            (st.success if kind == "ok" else st.info)(text)

    @property
    def token(self) -> str:
        """This render's submission token (what a retried request would present again)."""
        return self.ticket.token

    def button(self, label: str, **kwargs: Any) -> bool:
        """The submit button (its key is the form's ``button``)."""
        return self._drawn(st.button(label, key=self.button_key, **kwargs))

    def submit_button(self, label: str, **kwargs: Any) -> bool:
        """The submit button of an ``st.form`` (its key is the form's ``button``)."""
        return self._drawn(st.form_submit_button(label, key=self.button_key, **kwargs))

    def _drawn(self, clicked: bool) -> bool:
        """After the button is drawn: without a click the user now sees this render, so a
        ticket a save issued is bound to it (the next click is a new submission); with a
        click on a ticket still unbound, the click was on the render before the save.
        (A checkbox form submits from its callback and has no button: its ticket is
        judged as before.)"""
        if not clicked and self.ticket.after_save:
            self.ticket = _Ticket(self.ticket.token, self.ticket.target)
            st.session_state[_TICKET.format(self.name)] = self.ticket
        self._from_before_save = clicked and self.ticket.after_save
        return clicked

    def _done(self, kind: str, text: str | None) -> NoReturn:
        """Renew the token, clear the fields, keep the message, rerun the page."""
        st.session_state[_TICKET.format(self.name)] = _new_ticket(self.target, after_save=True)
        if text:
            st.session_state[_FLASH.format(self.name)] = (kind, text)
        st.session_state[_CLEAR.format(self.name)] = self.fields
        st.rerun()

    def submit(
        self,
        action: Callable[[Session], Any],
        *,
        success: str | Callable[[Any], str] | None = None,
        then: Callable[[Any], None] | None = None,
    ) -> Attempt:
        """Write once, to the target on screen; on success clear, remember and rerun.

        ``action(session)`` does the write; ``then(value)`` may keep what the
        page shows next (session state only). Returns a failed :class:`Attempt`
        when the write was refused; on success the page reruns and this does
        not return.
        """
        actor = require_actor()
        if self.ticket.after_save and (self._from_before_save or self.ticket.target != self.target):
            self._done("info", ALREADY_SAVED)  # a click from before our own save: nothing more
        if self.ticket.target != self.target:
            st.session_state[_TICKET.format(self.name)] = _new_ticket(self.target)
            st.error(SHIFTED)
            return Attempt(False, message=SHIFTED)
        try:
            with session_scope(get_engine()) as session:
                claim(session, actor, self.name, self.ticket.token)
                value = action(session)
        except AlreadyProcessed as exc:
            duplicate = str(exc)  # saved before (a double click): say so, show the state
        except KissError as exc:
            st.error(str(exc))
            return Attempt(False, message=str(exc))
        else:
            if then is not None:
                then(value)
            self._done("ok", success(value) if callable(success) else success)
        self._done("info", duplicate)
