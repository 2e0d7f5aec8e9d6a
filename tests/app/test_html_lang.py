"""`<html lang="nl">`: the middleware of `app/html_lang.py` over HTTP (test client)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from app import server
from app.html_lang import DutchDocument

PAGE = '<!doctype html><html lang="en"><head><title>KISS hub</title></head></html>'


def _client() -> TestClient:
    routes = [
        Route("/", lambda r: HTMLResponse(PAGE)),
        Route("/tekst", lambda r: PlainTextResponse(PAGE)),
        Route("/json", lambda r: JSONResponse({"html": PAGE})),
        Route("/post", lambda r: HTMLResponse(PAGE), methods=["POST"]),
    ]
    return TestClient(Starlette(routes=routes, middleware=[Middleware(DutchDocument)]))


def test_the_html_page_declares_dutch():
    response = _client().get("/")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text and 'lang="en"' not in response.text
    assert int(response.headers["content-length"]) == len(response.content)


def test_other_answers_are_left_alone():
    client = _client()
    assert client.get("/tekst").text == PAGE
    assert client.get("/json").json() == {"html": PAGE}
    assert client.post("/post").text == PAGE


def test_the_served_app_has_the_middleware():
    assert any(m.cls is DutchDocument for m in server.app._user_middleware)
