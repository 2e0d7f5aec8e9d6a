"""Meldingen and the Wgs follow-up of an arrears signal.

A ``voordeur`` or ``gbd`` user registers a melding (kind, source, date, text) on a household
they may see. An arrears signal (Wgs vroegsignalering: huur, energie, water,
zorgverzekering) obliges the gemeente to follow it up with an offer of help; the steps are
recorded with their dates, in order: contact gezocht, contact gemaakt, hulp aangeboden (the
first two may be skipped: contact can fail, help is still offered), then aanvaard or
geweigerd. :func:`offer_within_norm` is the one definition of "offer of help
within the norm" that the steering figures use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from households import audit
from households.access import authorize, require_household_access
from households.actor import Actor
from households.errors import Conflict, InvalidInput, NotFound
from households.models import ARREARS_SIGNAL_KINDS, SIGNAL_KINDS, Household, Signal
from households.norms import NORMS, WGS_OFFER
from households.validation import clean_text

__all__ = [
    "WGS_STEPS", "WGS_NORM_DAYS", "SignalFollowUp", "follow_up", "household_follow_ups",
    "offer_within_norm", "record_wgs_step", "register_signal", "FORM_SIGNAL_KINDS",
]  # fmt: skip

# Kinds only the system makes: ``veiligheid_logboek`` comes from a stability log with
# veiligheid 1 (experiments/loop.py), never from the melding form.
SYSTEM_SIGNAL_KINDS = ("veiligheid_logboek",)
FORM_SIGNAL_KINDS = tuple(k for k in SIGNAL_KINDS if k not in SYSTEM_SIGNAL_KINDS)
"""The kinds a user may choose when registering a melding (:func:`register_signal`)."""

# step -> (column, Dutch label); the order is the order of the follow-up.
WGS_STEPS: dict[str, tuple[str, str]] = {
    "contact_gezocht": ("contact_gezocht_op", "contact gezocht"),
    "contact_gemaakt": ("contact_gemaakt_op", "contact gemaakt"),
    "hulp_aangeboden": ("hulp_aangeboden_op", "hulp aangeboden"),
    "aanvaard": ("aanvaard_op", "hulp aanvaard"),
    "geweigerd": ("geweigerd_op", "hulp geweigerd"),
}
# The default norm for an offer of help after the signal; the gemeente's own value is the
# norm ``wgs_hulpaanbod`` (households/norms.py), which ``beheer`` sets.
WGS_NORM_DAYS = NORMS[WGS_OFFER].dagen
_EARLIEST = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class SignalFollowUp:
    """An arrears signal with its Wgs steps so far (for the household page)."""

    signal_id: int
    soort: str
    bron: str | None
    gemeld_op: dt.date
    stappen: tuple[tuple[str, dt.date], ...]  # (label, date) in order
    volgende: tuple[str, ...]  # the steps that may be recorded next


def _date(value: object, label: str, not_before: dt.date = _EARLIEST) -> dt.date:
    if not isinstance(value, dt.date):
        raise InvalidInput(f"Geef de datum van {label}.")
    if value > dt.date.today():
        raise InvalidInput(f"De datum van {label} ligt in de toekomst.")
    if value < not_before:
        raise InvalidInput(f"De datum van {label} ligt voor {not_before:%d-%m-%Y}.")
    return value


def register_signal(
    session: Session,
    actor: Actor,
    household_id: int,
    soort: str | None,
    gemeld_op: dt.date | None,
    bron: str | None = None,
    toelichting: str | None = None,
) -> int:
    """Register a melding on a household the actor may see; returns its id."""
    authorize(session, actor, "melding_registreren")
    if soort in SYSTEM_SIGNAL_KINDS:
        raise InvalidInput(
            "Dit soort melding maakt KISS zelf, vanuit een stabiliteitslog met veiligheid 1. "
            "Kies een ander soort melding."
        )
    if soort not in FORM_SIGNAL_KINDS:
        raise InvalidInput("Kies het soort melding.")
    gemeld_op = _date(gemeld_op, "de melding")
    bron = clean_text(bron, "De bron", minimum=0, maximum=120) or None
    toelichting = clean_text(toelichting, "De toelichting", minimum=0, maximum=2000) or None
    if not isinstance(household_id, int) or session.get(Household, household_id) is None:
        raise NotFound("Huishouden niet gevonden.")
    reason = require_household_access(session, actor, household_id, audit.Event.MELDING_REGISTREREN)
    signal = Signal(household_id=household_id, soort=soort, gemeld_op=gemeld_op, bron=bron,
                    toelichting=toelichting, created_by=actor.user_id)  # fmt: skip
    session.add(signal)
    session.flush()
    audit.record(session, actor, audit.Event.MELDING_REGISTREREN, "signal", signal.id,
                 doel=reason, nieuw={"soort": soort, "huishouden": household_id})  # fmt: skip
    return signal.id


def _next_steps(signal: Signal) -> tuple[str, ...]:
    """The steps that may be recorded next, given those already recorded."""
    done = {step for step, (column, _) in WGS_STEPS.items() if getattr(signal, column)}
    if done & {"aanvaard", "geweigerd"}:
        return ()
    if "hulp_aangeboden" in done:
        return ("aanvaard", "geweigerd")
    # Contact may fail: help can be offered without it, but no step goes back.
    order = ("contact_gezocht", "contact_gemaakt", "hulp_aangeboden")
    last = max((order.index(s) for s in done), default=-1)
    return order[last + 1 :]


def follow_up(signal: Signal) -> SignalFollowUp:
    """The follow-up of one arrears signal as plain values."""
    steps = tuple(
        (label, getattr(signal, column))
        for column, label in WGS_STEPS.values()
        if getattr(signal, column) is not None
    )
    return SignalFollowUp(signal.id, signal.soort, signal.bron, signal.gemeld_op, steps,
                          _next_steps(signal))  # fmt: skip


def record_wgs_step(
    session: Session, actor: Actor, signal_id: int, step: str | None, datum: dt.date | None
) -> SignalFollowUp:
    """Record one Wgs follow-up step of an arrears signal (in order, dates not going back)."""
    authorize(session, actor, "wgs_opvolging")
    if signal_id is None:
        raise InvalidInput("Kies het signaal.")
    signal = session.get(Signal, signal_id) if isinstance(signal_id, int) else None
    if signal is None:
        raise NotFound("Signaal niet gevonden.")
    reason = require_household_access(
        session, actor, signal.household_id, audit.Event.WGS_OPVOLGING
    )
    if signal.soort not in ARREARS_SIGNAL_KINDS:
        raise InvalidInput("Alleen een betalingsachterstand (Wgs) heeft een opvolging.")
    if step not in WGS_STEPS:
        raise InvalidInput("Kies de stap van de opvolging.")
    allowed = _next_steps(signal)
    if step not in allowed:
        label = WGS_STEPS[step][1]
        raise Conflict(
            f"'{label}' kan nu niet worden vastgelegd"
            + (
                f"; nu kan: {', '.join(WGS_STEPS[a][1] for a in allowed)}."
                if allowed
                else "; de opvolging is af."
            )
        )
    latest = max([signal.gemeld_op] + [d for _, d in follow_up(signal).stappen])
    column, label = WGS_STEPS[step]
    setattr(signal, column, _date(datum, label, not_before=latest))
    session.flush()
    audit.record(session, actor, audit.Event.WGS_OPVOLGING, "signal", signal.id, doel=reason,
                 nieuw={"stap": step, "datum": datum.isoformat()})  # fmt: skip
    return follow_up(signal)


def offer_within_norm(signal: Signal, norm_days: int = WGS_NORM_DAYS) -> bool:
    """Whether help was offered within ``norm_days`` of the arrears signal (Wgs).

    >>> s = Signal(soort="huurachterstand", gemeld_op=dt.date(2026, 1, 1),
    ...            hulp_aangeboden_op=dt.date(2026, 1, 10))
    >>> offer_within_norm(s), offer_within_norm(s, norm_days=7)
    (True, False)
    """
    offered = signal.hulp_aangeboden_op
    return offered is not None and (offered - signal.gemeld_op).days <= norm_days


def household_follow_ups(
    session: Session, actor: Actor, household_id: int
) -> tuple[SignalFollowUp, ...]:
    """The arrears signals of a household with their Wgs follow-up (need-to-know, audited)."""
    reason = require_household_access(session, actor, household_id)
    signals = session.scalars(
        select(Signal)
        .where(Signal.household_id == household_id, Signal.soort.in_(ARREARS_SIGNAL_KINDS))
        .order_by(Signal.gemeld_op.desc(), Signal.id.desc())
    ).all()
    audit.household_viewed(session, actor, household_id, doel=reason)
    return tuple(follow_up(s) for s in signals)
