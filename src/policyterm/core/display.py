"""Plain-text renderings shared by widgets and search: figures as people read them, trend
and score glyphs, citations. Pure Python: no textual, no rich.
"""

from __future__ import annotations

from collections.abc import Iterable

from policyterm.core.model import Figure, Trend

TREND_GLYPHS: dict[Trend, str] = {
    Trend.IMPROVING: "▲",
    Trend.DETERIORATING: "▼",
    Trend.STALLED: "■",
    Trend.STABLE: "●",
    Trend.MIXED: "◆",
}



def score_glyph(score: float) -> str:
    """A PLOVER score's sign as a shape: ✚ cooperation, ✖ conflict, · neither."""
    if score > 0:
        return "✚"
    if score < 0:
        return "✖"
    return "·"


_CURRENCY_PREFIX = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹"}


def _trim(number: float) -> str:
    """1.70 -> "1.7", 25.0 -> "25", 2.345 -> "2.35"."""
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return text


def format_number(value: float) -> str:
    """Large numbers in words ("25 billion", "1.7 million"); the rest with separators."""
    magnitude = abs(value)
    if magnitude >= 1e12:
        return f"{_trim(value / 1e12)} trillion"
    if magnitude >= 1e9:
        return f"{_trim(value / 1e9)} billion"
    if magnitude >= 1e6:
        return f"{_trim(value / 1e6)} million"
    if float(value).is_integer():
        return f"{int(value):,}"
    return _trim(value)


def format_figure(figure: Figure) -> str:
    """A figure as people read it: "$25 billion", "1.7 million people", "2,867 deaths"."""
    if figure.unit == "year" and float(figure.value).is_integer():
        text = str(int(figure.value))
    elif figure.unit in _CURRENCY_PREFIX:
        sign = "-" if figure.value < 0 else ""
        text = f"{sign}{_CURRENCY_PREFIX[figure.unit]}{format_number(abs(figure.value))}"
    elif figure.unit in ("", "count", "number"):
        text = format_number(figure.value)
    elif figure.unit in ("percent", "%"):
        text = f"{_trim(figure.value)}%"
    else:
        text = f"{format_number(figure.value)} {figure.unit}"
    return f"about {text}" if figure.approximate else text


def format_sources(paragraphs: Iterable[int]) -> str:
    """Citations as "¶1 ¶2 ¶3"."""
    return " ".join(f"¶{number}" for number in sorted(set(paragraphs)))


def format_score(score: float) -> str:
    """A PLOVER score with its sign: "+7", "−6", "0", "+2.5"."""
    text = _trim(abs(score))
    if score > 0:
        return f"+{text}"
    if score < 0:
        return f"−{text}"
    return "0"
