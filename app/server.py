"""The served app: ``app/main.py`` as an ASGI ``st.App``, plus the session-cookie routes.

Streamlit's script cannot set a cookie (it talks to the browser over a
websocket), so two small HTTP routes do it, next to Streamlit's own:

``POST /kiss/sessie``        body ``{"ticket": ...}``: spends the one-time ticket of a
                             fresh sign-in and sets the ``kiss_sessie`` cookie
                             (HttpOnly, SameSite=Strict, Secure behind HTTPS, Path=/,
                             Max-Age = what is left of the 10-hour session).
``POST /kiss/sessie/einde``  ends the session of the cookie and deletes the cookie.

Both refuse a request from another origin. The page itself is declared Dutch
(``<html lang="nl">``) by the middleware of ``app/html_lang.py``. ``kiss serve``
runs this file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.html_lang import DutchDocument
from households import sessions
from households.db import Engine, make_engine, session_scope
from households.settings import database_url

__all__ = ["app", "routes", "set_cookie", "end_cookie"]

_MAX_BODY = 1024


@lru_cache(maxsize=1)
def _engine() -> Engine:
    return make_engine(database_url())


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:  # old browsers omit it on same-origin posts; SameSite still applies
        return True
    hosts = {request.headers.get("host", ""), request.headers.get("x-forwarded-host", "")}
    return origin.split("://", 1)[-1] in hosts - {""}


def _secure(request: Request) -> bool:
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return proto.split(",")[0].strip() == "https"


async def set_cookie(request: Request) -> Response:
    """Spend a sign-in's one-time ticket and set the HttpOnly session cookie."""
    if not _same_origin(request):
        return Response(status_code=403)
    body = await request.body()
    try:
        ticket = json.loads(body[:_MAX_BODY]).get("ticket") if len(body) <= _MAX_BODY else None
    except (ValueError, AttributeError):
        ticket = None

    def redeem():
        with session_scope(_engine()) as session:
            return sessions.redeem_ticket(session, ticket)

    issued = await run_in_threadpool(redeem)
    if issued is None:
        return Response(status_code=403)
    token, max_age = issued
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        sessions.COOKIE_NAME, token, max_age=max_age, path="/", httponly=True,
        samesite="strict", secure=_secure(request),
    )  # fmt: skip
    return response


async def end_cookie(request: Request) -> Response:
    """End the session of this browser's cookie (if any) and delete the cookie."""
    if not _same_origin(request):
        return Response(status_code=403)
    token = request.cookies.get(sessions.COOKIE_NAME)

    def end():
        with session_scope(_engine()) as session:
            result = sessions.resume(session, token)
            if result.session_id is not None:
                sessions.end(session, result.session_id, "uitloggen")

    if token:
        await run_in_threadpool(end)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(
        sessions.COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


routes = [
    Route("/kiss/sessie", set_cookie, methods=["POST"]),
    Route("/kiss/sessie/einde", end_cookie, methods=["POST"]),
]

app = st.App(
    str(Path(__file__).with_name("main.py")),
    routes=routes,
    middleware=[Middleware(DutchDocument)],  # <html lang="nl">, see app/html_lang.py
)
