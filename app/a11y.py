"""What every page gets for WCAG 2.1 AA beyond the theme: its own title and a visible focus.

``.streamlit/config.toml`` holds the colours (contrast) and ``app/html_lang.py``
the page's language; the README's "Toegankelijkheidsverklaring" lists what is
tested and what is known not to meet AA.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["focus_css", "page_title", "apply"]

APP_NAME = "KISS hub"
_FALLBACK_ACCENT = "#1d4f91"  # the theme's primaryColor


def page_title(title: str) -> str:
    """The browser tab's title of a page (WCAG 2.4.2, Page Titled).

    >>> page_title("Voordeur")
    'Voordeur · KISS hub'
    """
    return f"{title} · {APP_NAME}"


def focus_css(accent: str) -> str:
    """A 3-pixel outline in the accent colour on whatever has the keyboard focus (WCAG 2.4.7).

    Streamlit's own focus marks are faint on links, the headings' anchor links,
    expanders and tabs; text fields and select boxes keep their own border in the
    accent colour. Only ``:focus-visible``: a mouse click draws no outline.

    >>> "outline: 3px solid #1d4f91" in focus_css("#1d4f91")
    True
    """
    return (
        "<style>"
        "a:focus-visible, button:focus-visible, summary:focus-visible,"
        " [role='tab']:focus-visible, [role='link']:focus-visible,"
        " [tabindex]:not(input):not(textarea):focus-visible"
        f" {{outline: 3px solid {accent} !important; outline-offset: 2px !important;}}"
        "</style>"
    )


def apply(title: str) -> None:
    """Give the current page its title and the visible focus (call once per run)."""
    st.set_page_config(page_title=page_title(title))
    accent = st.get_option("theme.primaryColor") or _FALLBACK_ACCENT
    st.html(focus_css(accent))
