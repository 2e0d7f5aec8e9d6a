"""The session-cookie routes of ``app/server.py``, over HTTP (Starlette's test client)."""

from __future__ import annotations

import warnings

import pytest
from starlette.applications import Starlette

with warnings.catch_warnings():  # Starlette prefers httpx2; httpx (from streamlit[auth]) works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from app import server
from households import sessions
from households.accounts import create_user
from households.actor import SYSTEM, Actor
from households.db import make_engine, session_scope


@pytest.fixture
def client(db_url):
    server._engine.cache_clear()
    with TestClient(Starlette(routes=server.routes), base_url="http://localhost:8501") as c:
        yield c
    server._engine.cache_clear()


@pytest.fixture
def ticket(db_url) -> str:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        user = create_user(session, SYSTEM, "anna", "gbd", "correct-paard-batterij")
        _, ticket = sessions.open_session(session, Actor(user.id, "anna", "gbd"), "wachtwoord")
    engine.dispose()
    return ticket


def test_a_ticket_sets_an_httponly_strict_cookie_once(client, ticket):
    response = client.post("/kiss/sessie", json={"ticket": ticket})
    assert response.status_code == 204
    header = response.headers["set-cookie"]
    assert header.startswith(f"{sessions.COOKIE_NAME}=")
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/", "Max-Age=3599"):  # ~10 hours
        assert attribute.lower() in header.lower()
    assert "secure" not in header.lower()  # plain http on a laptop
    assert client.post("/kiss/sessie", json={"ticket": ticket}).status_code == 403


def test_behind_https_the_cookie_is_secure(client, ticket):
    response = client.post(
        "/kiss/sessie", json={"ticket": ticket}, headers={"X-Forwarded-Proto": "https"}
    )
    assert "secure" in response.headers["set-cookie"].lower()


def test_another_origin_or_a_bad_body_is_refused(client, ticket):
    evil = {"Origin": "https://evil.example"}
    assert client.post("/kiss/sessie", json={"ticket": ticket}, headers=evil).status_code == 403
    assert client.post("/kiss/sessie", content=b"geen json").status_code == 403
    assert client.post("/kiss/sessie", content=b"x" * 5000).status_code == 403
    assert client.get("/kiss/sessie").status_code == 405


def test_the_end_route_ends_the_session_and_deletes_the_cookie(client, ticket, db_url):
    client.post("/kiss/sessie", json={"ticket": ticket})
    token = client.cookies.get(sessions.COOKIE_NAME)
    response = client.post("/kiss/sessie/einde")
    assert response.status_code == 204
    assert "max-age=0" in response.headers["set-cookie"].lower()
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        assert sessions.resume(session, token).status == "beeindigd"
    engine.dispose()
