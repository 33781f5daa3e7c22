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


# Numbers print in full (in words from a million) while their magnitude is below FULL_LIMIT
# (a thousand trillion), and never as "0" unless they are zero: a float beyond either end prints
# in a short scientific form, "1.0e308", "-2.5e-7". An integer prints exactly, whatever its size
# (TOML integers are 64-bit: at most 19 digits), never through a float. Zero is never "-0".
FULL_LIMIT = 1e15
SMALLEST_FIXED = 0.005  # below this, two decimals would print a nonzero value as "0"


def _trim(number: float) -> str:
    """1.70 -> "1.7", 25.0 -> "25", 2.345 -> "2.35"; never "-0"."""
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _scientific(number: float) -> str:
    """1e308 -> "1.0e308", -2.5e-7 -> "-2.5e-7", 12345678e10 -> "1.23e17"."""
    mantissa, exponent = f"{number:.2e}".split("e")
    mantissa = mantissa.rstrip("0")
    if mantissa.endswith("."):
        mantissa += "0"
    return f"{mantissa}e{int(exponent)}"


def _beyond_fixed(value: float) -> bool:
    """A float that two decimals cannot show correctly, or that would run to many digits."""
    magnitude = abs(value)
    return isinstance(value, float) and (
        magnitude >= FULL_LIMIT or 0 < magnitude < SMALLEST_FIXED)


def format_plain(value: float) -> str:
    """A number without words: "2,867", "1.7", "9,223,372,036,854,775,807", "1.0e308"."""
    if isinstance(value, int):
        return f"{value:,}"
    if _beyond_fixed(value):
        return _scientific(value)
    if value.is_integer():
        return f"{int(value):,}"
    return _trim(value)


def format_number(value: float) -> str:
    """Large numbers in words ("25 billion", "1.7 million"); the rest with separators."""
    magnitude = abs(value)
    if magnitude >= FULL_LIMIT or _beyond_fixed(value):
        return format_plain(value)
    units = [(size, word) for size, word in _UNITS if magnitude >= size]
    if not units:
        return format_plain(value)
    size, word = units[-1]
    if round(magnitude / size, 2) >= 1000:
        # Two decimals round it up to the next unit: "1 billion", not "1,000 million".
        bigger = [unit for unit in _UNITS if unit[0] > size]
        if not bigger:
            return format_plain(value)
        size, word = bigger[0]
    return f"{_trim(value / size)} {word}"


_UNITS = ((1e6, "million"), (1e9, "billion"), (1e12, "trillion"))


def format_figure(figure: Figure) -> str:
    """A figure as people read it: "$25 billion", "1.7 million people", "2,867 deaths"."""
    value = figure.value
    if figure.unit == "year" and float(value).is_integer() and abs(value) < FULL_LIMIT:
        text = str(int(value))
    elif figure.unit in _CURRENCY_PREFIX:
        sign = "-" if value < 0 else ""
        text = f"{sign}{_CURRENCY_PREFIX[figure.unit]}{format_number(abs(value))}"
    elif figure.unit in ("", "count", "number"):
        text = format_number(value)
    elif figure.unit in ("percent", "%"):
        text = f"{format_plain(value)}%"
    else:
        text = f"{format_number(value)} {figure.unit}"
    if text.startswith("-"):  # a minus sign, as scores print theirs ("−5")
        text = "−" + text[1:]
    return f"about {text}" if figure.approximate else text


def format_sources(paragraphs: Iterable[int]) -> str:
    """Citations as "¶1 ¶2 ¶3"."""
    return " ".join(f"¶{number}" for number in sorted(set(paragraphs)))


def format_score(score: float) -> str:
    """A PLOVER score with its sign: "+7", "−6", "0", "+2.5" ("+4.0e-3": never "+0")."""
    text = _scientific(abs(score)) if _beyond_fixed(score) else _trim(abs(score))
    if score > 0:
        return f"+{text}"
    if score < 0:
        return f"−{text}"
    return "0"
