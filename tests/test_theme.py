"""The Streamlit theme of ``.streamlit/config.toml`` meets the WCAG 2.1 AA contrast ratios.

Streamlit derives its colours from the theme: body text in ``textColor``,
captions and help text in ``textColor`` at 60 % opacity ("fadedText60"),
primary buttons in white on ``primaryColor``, links and the chosen page in
``primaryColor``, the focus ring in ``primaryColor`` around controls on either
background. Text needs 4.5:1 (WCAG 1.4.3), a focus ring or control edge 3:1
(WCAG 1.4.11). axe-core checks the rendered page as well
(tests/e2e/test_accessibility.py); this test names the colour that breaks.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

CONFIG = Path(__file__).parents[1] / ".streamlit" / "config.toml"
WHITE = "#ffffff"


def rgb(colour: str) -> tuple[float, float, float]:
    """``#rrggbb`` as three channels 0..255."""
    h = colour.lstrip("#")
    return tuple(float(int(h[i : i + 2], 16)) for i in (0, 2, 4))  # type: ignore[return-value]


def over(colour: str, alpha: float, background: str) -> str:
    """``colour`` at opacity ``alpha`` drawn over ``background``, as ``#rrggbb``.

    >>> over("#000000", 0.5, "#ffffff")
    '#808080'
    """
    pairs = zip(rgb(colour), rgb(background), strict=True)
    mixed = [round(a * alpha + b * (1 - alpha)) for a, b in pairs]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1)."""

    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """Contrast ratio of two colours (1..21).

    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    >>> round(contrast("#777777", "#ffffff"), 2)
    4.48
    """
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture(scope="module")
def config() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_the_existing_settings_stay(config):
    assert config["server"] == {"address": "127.0.0.1", "headless": True}
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"] == {"toolbarMode": "minimal", "showErrorDetails": "none"}
    assert config["runner"]["magicEnabled"] is False


def test_a_light_theme_whatever_the_computer_prefers(config):
    assert config["theme"]["base"] == "light"


@pytest.mark.parametrize("background", ["backgroundColor", "secondaryBackgroundColor"])
def test_text_and_captions_reach_4_5_to_1(config, background):
    theme = config["theme"]
    bg = theme[background]
    assert contrast(theme["textColor"], bg) >= 7  # body text even meets AAA
    caption = over(theme["textColor"], 0.6, bg)
    assert contrast(caption, bg) >= 4.5, f"bijschrift {caption} op {bg}"


def test_the_accent_reaches_4_5_to_1(config):
    theme = config["theme"]
    assert contrast(WHITE, theme["primaryColor"]) >= 4.5  # text of a primary button
    for bg in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        assert contrast(theme["primaryColor"], bg) >= 4.5  # chosen page, focus ring
        assert contrast(theme["linkColor"], bg) >= 4.5


def test_the_check_can_fail():
    # Streamlit's own default grey caption colour on white falls short
    assert contrast(over("#31333f", 0.6, WHITE), WHITE) < 4.5
    assert contrast(WHITE, "#ff4b4b") < 4.5  # its old red accent under white text
