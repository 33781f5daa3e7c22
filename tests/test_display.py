"""Figures and scores as people read them, extreme but valid values included: every value a
model may hold prints correctly, on one short line."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyterm.core.display import format_figure, format_number, format_score
from policyterm.core.loading import load_model
from policyterm.core.model import Figure

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "example.toml"
FIGURE = load_model(EXAMPLE).figures[0]


def figure(value: float, unit: str, approximate: bool = False) -> Figure:
    return FIGURE._replace(value=value, unit=unit, approximate=approximate)


@pytest.mark.parametrize(
    ("value", "unit", "printed"),
    [
        (25e9, "USD", "$25 billion"),
        (1_700_000, "people", "1.7 million people"),
        (2867, "deaths", "2,867 deaths"),
        (2867.0, "count", "2,867"),
        (2.345, "", "2.35"),
        (45, "percent", "45%"),
        (12.5, "%", "12.5%"),
        (2023, "year", "2023"),
        (-3e9, "EUR", "−€3 billion"),
        (999e12, "USD", "$999 trillion"),
        # Beyond the full range: a float in short scientific form, an integer exactly.
        (1e308, "USD", "$1.0e308"),
        (-1.7976931348623157e308, "tonnes", "−1.8e308 tonnes"),
        (1e15, "count", "1.0e15"),
        (2.5e20, "percent", "2.5e20%"),
        (1e308, "year", "1.0e308 year"),
        (9223372036854775807, "percent", "9,223,372,036,854,775,807%"),
        (-9223372036854775808, "USD", "−$9,223,372,036,854,775,808"),
        (1_000_000_000_000_000, "count", "1,000,000,000,000,000"),
        # Rounded up into the next unit, not "1,000 million".
        (999_999_999.999, "USD", "$1 billion"),
        (999_999.999, "people", "1,000,000 people"),  # words from a million only
        (999_994, "people", "999,994 people"),
        (999_999_999_999_999, "count", "999,999,999,999,999"),
        # Tiny but not zero: never printed as "0".
        (1e-300, "percent", "1.0e-300%"),
        (-0.001, "", "−1.0e-3"),
        (5e-324, "USD", "$4.94e-324"),
        # Zero is never "-0".
        (-0.0, "percent", "0%"),
        (-0.0, "count", "0"),
        (-0.0, "USD", "$0"),
        (-0.0, "km", "0 km"),
        (-0.001, "percent", "−1.0e-3%"),
    ],
)
def test_figures_print_correctly_on_one_line(value: float, unit: str, printed: str) -> None:
    assert format_figure(figure(value, unit)) == printed
    assert format_figure(figure(value, unit, approximate=True)) == f"about {printed}"


@pytest.mark.parametrize("value", [1e308, -1e308, 5e-324, 9223372036854775807,
                                   -9223372036854775808, 123456789.123456789, 0.1 + 0.2])
def test_no_value_runs_past_thirty_characters(value: float) -> None:
    for unit in ("", "USD", "percent", "year", "km"):
        text = format_figure(figure(value, unit))
        assert "\n" not in text and len(text) <= 30 + len(unit), text


def test_format_number_and_score_never_print_minus_zero() -> None:
    assert format_number(-0.0) == "0"
    assert format_number(-0.004) == "-4.0e-3"  # a number alone: ASCII, as typed
    assert format_score(-0.0) == "0"
    assert format_score(-0.004) == "−4.0e-3" and format_score(0.001) == "+1.0e-3"
