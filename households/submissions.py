"""Idempotent writes: a form's submission token is claimed once, with the write it carries.

Every writing form is rendered with a fresh random token. :func:`claim` records
the token in ``inzending`` inside the caller's unit of work, before the write;
the write and the claim commit or roll back together. The same token presented
again (a double click, a resubmitted form, a retried request) is refused with
:class:`AlreadyProcessed` and nothing is written: the primary key holds the
promise even when two processes race, the lookup first only gives the friendly
message without aborting the transaction.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from households.actor import Actor
from households.db import Session
from households.errors import Conflict, InvalidInput
from households.models import Submission

__all__ = ["AlreadyProcessed", "claim", "is_processed"]

_TOKEN = re.compile(r"[0-9a-f]{32}")


class AlreadyProcessed(Conflict):
    """This submission's token was already used: the form was saved once, not again."""


def is_processed(session: Session, token: str) -> bool:
    """Whether a submission with this token has been committed."""
    return session.get(Submission, token) is not None


def claim(session: Session, actor: Actor, form: str, token: str) -> None:
    """Claim ``token`` for ``form`` in this unit of work; refuse a token seen before.

    Call it before the write it protects, in the same transaction.
    """
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise InvalidInput("Dit formulier heeft geen geldig kenmerk; laad de pagina opnieuw.")
    message = (
        "Dit formulier was al verstuurd en is één keer opgeslagen; er is niets dubbel vastgelegd."  # noqa: E501
    )
    if session.scalar(select(Submission.token).where(Submission.token == token)) is not None:
        raise AlreadyProcessed(message)
    session.add(Submission(token=token, formulier=form[:60], user_id=actor.user_id))
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent claim of the same token won the race
        raise AlreadyProcessed(message) from exc
