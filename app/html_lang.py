"""Streamlit's page in Dutch for screen readers: ``<html lang="nl">`` and its own labels.

Streamlit serves one ``index.html`` (for ``/`` and for every page's URL) that
declares ``<html lang="en">``, and its own controls carry English names
("Skip to main content", "Collapse sidebar", "Show/hide columns", ...). The app
cannot change that file, and a script run by a page arrives after a screen
reader has picked its voice. This ASGI middleware (given to ``st.App`` in
``app/server.py``) asks Streamlit for a page uncompressed when the browser
asks for HTML, and changes every uncompressed HTML answer as it leaves the
server: ``lang="nl"`` (WCAG 3.1.1, Language of Page) and a small script in
``<head>`` that gives Streamlit's known English labels a Dutch name as they
appear (WCAG 3.1.2, Language of Parts). A label not in ``NL_LABELS`` stays
English; the README's toegankelijkheidsverklaring says so.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DutchDocument", "NL_LABELS", "NL_PREFIXES", "dutch"]

# Streamlit's own English names (aria-label, placeholder, title or text) -> Dutch.
NL_LABELS: dict[str, str] = {
    "Skip to main content": "Naar de inhoud",
    "Link to heading": "Link naar deze kop",
    "App pages": "Pagina's",
    "Sidebar": "Zijbalk",
    "Collapse sidebar": "Zijbalk inklappen",
    "Expand sidebar": "Zijbalk uitklappen",
    "Show/hide columns": "Kolommen tonen of verbergen",
    "Download as CSV": "Downloaden als CSV",
    "Search": "Zoeken",
    "Fullscreen": "Volledig scherm",
    "Close fullscreen": "Volledig scherm sluiten",
    "Choose date": "Kies een datum",
    "Choose an option": "Kies een optie",
    "Clear all": "Alles wissen",
    "Clear value": "Waarde wissen",
    "Open": "Openen",
    "Close": "Sluiten",
    "Browse files": "Bestand kiezen",
    "Drag and drop file here": "Sleep een bestand hierheen",
    "Main menu": "Hoofdmenu",
}
NL_PREFIXES: dict[str, str] = {
    "Help for ": "Uitleg bij ",
    "day, ": "dag, ",  # the parts of a date field
    "month, ": "maand, ",
    "year, ": "jaar, ",
}

_SCRIPT = """<script>(() => {
const EXACT = __EXACT__, PREFIX = __PREFIX__, ATTRS = ["aria-label", "placeholder", "title"];
const nl = (v) => {
  if (Object.prototype.hasOwnProperty.call(EXACT, v)) return EXACT[v];
  for (const en in PREFIX) if (v.startsWith(en)) return PREFIX[en] + v.slice(en.length);
  return null;
};
const fixEl = (el) => { for (const a of ATTRS) { const v = el.getAttribute(a);
  const t = v && nl(v.trim()); if (t) el.setAttribute(a, t); } };
const fixText = (n) => { const v = n.nodeValue.trim(); const t = v && nl(v);
  if (t) n.nodeValue = n.nodeValue.replace(v, t); };
const walk = (root) => {
  if (root.nodeType === 3) return fixText(root);
  if (root.nodeType !== 1) return;
  fixEl(root);
  root.querySelectorAll("[aria-label],[placeholder],[title]").forEach(fixEl);
  const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) fixText(n);
};
new MutationObserver((ms) => { for (const m of ms) {
  if (m.type === "attributes") fixEl(m.target);
  else if (m.type === "characterData") fixText(m.target);
  else m.addedNodes.forEach(walk);
} }).observe(document.documentElement, {subtree: true, childList: true,
  characterData: true, attributes: true, attributeFilter: ATTRS});
})();</script>""".replace("__EXACT__", json.dumps(NL_LABELS, ensure_ascii=False)).replace(
    "__PREFIX__", json.dumps(NL_PREFIXES, ensure_ascii=False)
)

_EN = b'<html lang="en"'
_NL = b'<html lang="nl"'
_HEAD_END = b"</head>"


def dutch(html: bytes) -> bytes:
    """``html`` with ``lang="nl"`` and the label script before ``</head>``.

    >>> page = dutch(b'<!doctype html><html lang="en"><head></head><body></body></html>')
    >>> page.startswith(b'<!doctype html><html lang="nl"><head><script>')
    True
    >>> b"Naar de inhoud" in page
    True
    >>> dutch(b"<p>lang</p>")
    b'<p>lang</p>'
    """
    if _EN not in html:
        return html
    html = html.replace(_EN, _NL, 1)
    return html.replace(_HEAD_END, _SCRIPT.encode() + _HEAD_END, 1)


class DutchDocument:
    """ASGI middleware: Streamlit's HTML page declares Dutch and names its controls in Dutch."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        if b"text/html" in headers.get(b"accept", b""):
            # A page request: ask for the page uncompressed (a few kB), so that it can be
            # changed; Streamlit would gzip a page's URL such as /voordeur.
            scope = {
                **scope,
                "headers": [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"],
            }
        held: dict[str, Message] = {}
        chunks: list[bytes] = []

        async def send_dutch(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                is_html = headers.get(b"content-type", b"").startswith(b"text/html")
                if is_html and b"content-encoding" not in headers and scope["method"] == "GET":
                    held["start"] = message  # wait for the whole page (a few kB)
                    return
            elif message["type"] == "http.response.body" and "start" in held:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = dutch(b"".join(chunks))
                start = held.pop("start")
                headers = [
                    (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
                ]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                message = {"type": "http.response.body", "body": body, "more_body": False}
            await send(message)

        await self.app(scope, receive, send_dutch)
