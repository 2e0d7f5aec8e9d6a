"""`<html lang="nl">`: the middleware of `app/html_lang.py` over HTTP (test client)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    StreamingResponse,
)
from starlette.routing import Route
from starlette.testclient import TestClient

from app import server
from app.html_lang import NL_LABELS, DutchDocument

PAGE = '<!doctype html><html lang="en"><head><title>KISS hub</title></head></html>'


async def _pieces():
    for i in range(0, len(PAGE), 7):  # the tag cut across chunks
        yield PAGE[i : i + 7].encode()


def _client() -> TestClient:
    routes = [
        Route("/", lambda r: HTMLResponse(PAGE)),
        Route("/stukken", lambda r: StreamingResponse(_pieces(), media_type="text/html")),
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
    # Streamlit's own English labels get their Dutch names from a script in <head>
    head = response.text.split("</head>")[0]
    assert "<script>" in head and NL_LABELS["Skip to main content"] in head


def test_a_page_sent_in_pieces_is_changed_whole():
    response = _client().get("/stukken")
    assert '<html lang="nl">' in response.text and "<script>" in response.text
    assert response.text.endswith("</head></html>")


def test_a_page_asked_for_with_gzip_is_still_dutch():
    # Streamlit gzips a page's URL such as /voordeur when the browser accepts gzip
    gzipped = Starlette(
        routes=[Route("/voordeur", lambda r: HTMLResponse(PAGE * 40))],
        middleware=[Middleware(DutchDocument), Middleware(GZipMiddleware, minimum_size=10)],
    )
    browser = {"Accept": "text/html,application/xhtml+xml", "Accept-Encoding": "gzip"}
    response = TestClient(gzipped).get("/voordeur", headers=browser)
    assert '<html lang="nl">' in response.text and "<script>" in response.text
    # an asset (no text/html in Accept) keeps its compression
    response = TestClient(gzipped).get("/voordeur", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip" and 'lang="en"' in response.text


def test_other_answers_are_left_alone():
    client = _client()
    assert client.get("/tekst").text == PAGE
    assert client.get("/json").json() == {"html": PAGE}
    assert client.post("/post").text == PAGE


def test_the_served_app_has_the_middleware():
    assert any(m.cls is DutchDocument for m in server.app._user_middleware)
