"""The page's language for screen readers: ``<html lang="nl">`` instead of Streamlit's "en".

Streamlit serves one ``index.html`` (for ``/`` and for every page's URL) that
declares ``<html lang="en">``; the app cannot change that file, and a script on
the page runs only after a screen reader has picked its voice. This ASGI
middleware (given to ``st.App`` in ``app/server.py``) rewrites that one
attribute in every uncompressed HTML answer as it leaves the server. ``"nl"``
has as many bytes as ``"en"``, so ``Content-Length`` stays right
(WCAG 2.1 success criterion 3.1.1, Language of Page).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DutchDocument", "dutch"]

_EN = b'<html lang="en"'
_NL = b'<html lang="nl"'


def dutch(html: bytes) -> bytes:
    """The first ``<html lang="en"`` of ``html`` made ``nl``; anything else unchanged.

    >>> dutch(b'<!doctype html><html lang="en"><head>')
    b'<!doctype html><html lang="nl"><head>'
    >>> dutch(b"<p>lang</p>")
    b'<p>lang</p>'
    """
    return html.replace(_EN, _NL, 1)


class DutchDocument:
    """ASGI middleware: Streamlit's HTML page declares Dutch."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        state = {"html": False}

        async def send_dutch(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                state["html"] = (
                    headers.get(b"content-type", b"").startswith(b"text/html")
                    and b"content-encoding" not in headers
                )
            elif message["type"] == "http.response.body" and state["html"]:
                state["html"] = False  # the tag is in the first chunk, never later
                message = {**message, "body": dutch(message.get("body", b""))}
            await send(message)

        await self.app(scope, receive, send_dutch)
