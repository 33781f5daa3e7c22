"""`policyterm export --format timelinejs`: TimelineJS's JSON format, read back with json.
Each precision maps to the date fields TimelineJS knows, and no further."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from conftest import HOSTILE, hostile_model
from policyterm.core.export_timelinejs import to_timelinejs
from policyterm.core.loading import load_model
from policyterm.core.views import ModelView

DATES = """\
format = 1
entities = [
  { id = "XAA", kind = "country", name = "Aland", source = [1] },
  { id = "XBB", kind = "country", name = "Beland", source = [1] },
  { id = "XCC", kind = "country", name = "Celand & Co", source = [1] },
]

[article]
title = "Dates <of> every kind"
standfirst = "A test"
published = 2024-02-01
author = "Tester"
covers = "2023"
focus = "XAA"
paragraphs = 2

[[relationships]]
id = "a-b"
pair = ["XAA", "XBB"]
trend = "stable"
headline = "H"
summary = "S"
source = [1]

[[relationships]]
id = "a-c"
pair = ["XAA", "XCC"]
trend = "mixed"
headline = "H2"
summary = "S2"
source = [2]
"""

EVENTS = [  # id, date, date_text, relationship
    ("day", "2023-05-16", "May 16", "a-b"),
    ("month", "2023-03", None, "a-b"),
    ("year", "2023", "that year", "a-c"),
    ("interval", "2023-10-02/2023-11-20", None, "a-c"),
    ("approximate", "2023-06~", "around mid-year", "a-b"),
    ("uncertain-interval", "2022?/2023-02", None, "a-c"),
]


def dates_model(directory: Path) -> Path:
    text = DATES
    for event_id, date, phrase, relationship in EVENTS:
        text += (f'\n[[events]]\nid = "{event_id}"\ndate = "{date}"\n'
                 + (f'date_text = "{phrase}"\n' if phrase else "")
                 + f'title = "Event {event_id}"\nactors = ["XAA"]\ntype = "CONSULT"\n'
                 f'score = 1\nrelationships = ["{relationship}"]\nsource = [1]\n')
    path = directory / "dates.toml"
    path.write_text(text, encoding="utf-8")
    return path


def timeline(path: Path) -> dict[str, Any]:
    """Exported and read back, as a page loading it would see it."""
    data: dict[str, Any] = json.loads(json.dumps(to_timelinejs(ModelView(load_model(path)))))
    return data


def test_each_precision_maps_to_its_date_fields(tmp_path: Path) -> None:
    data = timeline(dates_model(tmp_path))
    slides = {slide["unique_id"]: slide for slide in data["events"]}
    assert set(slides) == {event[0] for event in EVENTS}
    assert slides["day"]["start_date"] == {"year": "2023", "month": "5", "day": "16"}
    assert slides["month"]["start_date"] == {"year": "2023", "month": "3"}
    assert slides["year"]["start_date"] == {"year": "2023"}
    assert slides["interval"]["start_date"] == {"year": "2023", "month": "10", "day": "2"}
    assert slides["interval"]["end_date"] == {"year": "2023", "month": "11", "day": "20"}
    assert slides["approximate"]["start_date"] == {"year": "2023", "month": "6"}
    assert slides["uncertain-interval"]["start_date"] == {"year": "2022"}
    assert slides["uncertain-interval"]["end_date"] == {"year": "2023", "month": "2"}
    for name in ("day", "month", "year", "approximate"):
        assert "end_date" not in slides[name]
    # The date as the article phrases it, else as policyterm shows it (c. and ? included).
    assert slides["day"]["display_date"] == "May 16 (16 May 2023)"
    assert slides["month"]["display_date"] == "Mar 2023"
    assert slides["year"]["display_date"] == "that year (2023)"
    assert slides["interval"]["display_date"] == "2 Oct 2023 – 20 Nov 2023"
    assert slides["approximate"]["display_date"] == "around mid-year (c. Jun 2023)"
    assert slides["uncertain-interval"]["display_date"] == "2022? – Feb 2023"


def test_slides_carry_text_group_and_title(tmp_path: Path) -> None:
    data = timeline(dates_model(tmp_path))
    assert set(data) == {"title", "events"}
    assert data["title"] == {"text": {"headline": "Dates &lt;of&gt; every kind",
                                      "text": "<p>A test</p><p>Tester, 2024-02-01</p>"}}
    assert "start_date" not in data["title"]
    slides = {slide["unique_id"]: slide for slide in data["events"]}
    assert slides["day"]["text"] == {"headline": "Event day", "text": "<p>CONSULT +1 · ¶1</p>"}
    assert slides["day"]["group"] == "Beland"
    assert slides["year"]["group"] == "Celand &amp; Co"  # TimelineJS reads it as HTML
    for slide in slides.values():
        assert set(slide) <= {"unique_id", "start_date", "end_date", "display_date", "text",
                              "group"}
    assert [slide["unique_id"] for slide in data["events"]] == [
        "uncertain-interval", "year", "month", "day", "approximate", "interval"]


def test_model_text_is_html_escaped(tmp_path: Path) -> None:
    data = timeline(hostile_model(tmp_path))
    assert html.unescape(data["title"]["text"]["headline"]) == HOSTILE["title"][1]
    assert "<script>" not in json.dumps(data)
    headlines = {html.unescape(slide["text"]["headline"]) for slide in data["events"]}
    assert HOSTILE["event title"][1] in headlines
    groups = {html.unescape(slide["group"]) for slide in data["events"]}
    assert HOSTILE["entity"][1] in groups
