"""Model text is data: markup, link and action syntax in any text field is shown literally on
every screen (panes, search, palette, toasts, help) and never acts."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from textual.command import Matcher
from textual.style import Style

from conftest import screen_text
from policyterm.core.loading import ModelError, load_model
from policyterm.tui.app import PolicyApp
from policyterm.tui.palette import go_to_prompt
from policyterm.tui.widgets.timeline import Timeline

# Each hostile string is one text field of the model below; each would act or vanish if it
# reached Textual's markup parser (a click ran app.screenshot and wrote a file; [/FYROM]
# raised MarkupError when the palette opened; [DRC] and [/] disappeared).
CLICK = "[@click=app.screenshot('pwned.svg','.')]Go[/]"
TEXTS = {
    "article.title": "Annual review [link=https://example.com]l[/link]",
    "focus name": "Ruritania [b]bold[/b]",
    "entity name 1": "Graustark [/FYROM]",
    "entity name 2": f"Beta {CLICK}",
    "entity name 3": "Congo [DRC]",
    "person name": "Pat [/]",
    "person role": "envoy [i]x[/i] \\[b] y\\",
    "theme name": "Water [@click=app.quit]q[/]",
    "headline 1": "Headline [red]one[/red]",
    "summary 1": "Summary with [bold]x[/] and\na second line [/nope]",
    "headline 2": "Headline [$accent]two",
    "summary 2": "Plain summary $variable [link=file:///etc/passwd]f[/link]",
    "headline 3": "Headline [reverse]three[/]",
    "summary 3": "Third [on red]x",
    "event title": "Talks [@click=app.bell]ring[/]",
    "date text": "in [i]May[/i]",
    "event summary": "Event summary [u]u[/u]",
    "figure label": "loan [b]size[/b]",
    "figure unit": "[USD]",
    "alias": "Strelsau [x]",
}

MODEL = f"""\
format = 1
entities = [
  {{ id = "XRU", kind = "country", name = {TEXTS["focus name"]!r}, source = [1] }},
  {{ id = "XGR", kind = "country", name = {TEXTS["entity name 1"]!r},
     aliases = [{TEXTS["alias"]!r}], source = [1] }},
  {{ id = "XBE", kind = "country", name = "{TEXTS["entity name 2"]}", source = [1] }},
  {{ id = "XCG", kind = "country", name = {TEXTS["entity name 3"]!r}, source = [1] }},
  {{ id = "pat", kind = "person", name = {TEXTS["person name"]!r},
     role = '{TEXTS["person role"]}', member_of = "XGR", source = [1] }},
]
themes = [ {{ id = "water", name = {TEXTS["theme name"]!r}, source = [1] }} ]

[article]
title = {TEXTS["article.title"]!r}
standfirst = "Standfirst [b]s[/b]"
author = "Author [/]"
published = 2024-01-05
covers = "2023"
focus = "XRU"
paragraphs = 1

[[relationships]]
id = "r1"
pair = ["XRU", "XGR"]
trend = "deteriorating"
headline = {TEXTS["headline 1"]!r}
summary = \"\"\"{TEXTS["summary 1"]}\"\"\"
themes = ["water"]
source = [1]

[[relationships]]
id = "r2"
pair = ["XRU", "XBE"]
trend = "improving"
headline = {TEXTS["headline 2"]!r}
summary = {TEXTS["summary 2"]!r}
source = [1]

[[relationships]]
id = "r3"
pair = ["XRU", "XCG"]
trend = "mixed"
headline = {TEXTS["headline 3"]!r}
summary = {TEXTS["summary 3"]!r}
source = [1]

[[events]]
id = "talks"
date = "2023-05-10"
date_text = {TEXTS["date text"]!r}
title = {TEXTS["event title"]!r}
summary = {TEXTS["event summary"]!r}
actors = ["XRU", "pat"]
type = "CONSULT"
mode = "visit [b]"
context = ["diplomatic [/]"]
score = 2
relationships = ["r1"]
source = [1]

[[figures]]
id = "loan"
value = 250_000_000
unit = {TEXTS["figure unit"]!r}
label = {TEXTS["figure label"]!r}
relationships = ["r1"]
source = [1]
"""

# Shown only by search (in a result's excerpt), not in a pane.
SEARCH_ONLY = {"alias", "event summary"}


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # where app.screenshot('pwned.svg', '.') would write
    path = tmp_path / "hostile.toml"
    path.write_text(MODEL, encoding="utf-8")
    return path


def test_the_hostile_model_is_valid_and_its_text_literal(hostile: Path) -> None:
    model = load_model(hostile)
    names = {entity.name for entity in model.entities}
    assert {TEXTS["entity name 2"], TEXTS["entity name 3"], TEXTS["person name"]} <= names
    assert model.relationships[0].summary == TEXTS["summary 1"]


async def test_markup_in_every_field_is_shown_literally_and_never_acts(hostile: Path) -> None:
    digest = hashlib.sha256(hostile.read_bytes()).hexdigest()
    app = PolicyApp(load_model(hostile))
    seen: list[str] = []
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await pilot.pause()
        # Every counterpart in Detail, and the event in the timeline's info line.
        for entity in app.view.counterparts:
            app.select_counterpart(entity.id)
            await pilot.pause()
            seen.append(screen_text(app))
        app.query_one(Timeline).set_cursor(0)
        await pilot.pause()
        seen.append(screen_text(app))
        shown = "\n".join(seen)
        for field, text in TEXTS.items():
            if field in SEARCH_ONLY:
                continue
            for line in text.splitlines():
                assert line in shown, f"{field}: {line!r} not shown literally"

        # Search: each field found by a word of it, and shown literally in the results.
        for field, query, literal in [("alias", "Strelsau", TEXTS["alias"]),
                                      ("event summary", "Event summary", TEXTS["event summary"]),
                                      ("entity name 2", "click", TEXTS["entity name 2"]),
                                      ("entity name 1", "FYROM", TEXTS["entity name 1"])]:
            await pilot.press("slash", *query)
            await pilot.pause()
            assert literal in screen_text(app), field
            await pilot.press("enter")
            await pilot.pause()
        # n: the hit position is reported in a toast holding the query and the label, literally.
        await pilot.press("n")
        await pilot.pause()
        toast = next(line for line in screen_text(app).splitlines() if "“FYROM”:" in line)
        assert "Graustark [/FYROM]" in toast

        # The palette: a name that is not valid markup opens it, and matches show literally
        # with where they lead.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Beta")
        await pilot.pause(0.5)
        palette = screen_text(app)
        assert f"Go to {TEXTS['entity name 2']}" in palette
        await pilot.press("ctrl+a", "ctrl+k", *"Congo")  # clear the query, type another
        await pilot.pause(0.5)
        assert f"Go to {TEXTS['entity name 3']}" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.counterpart == "XCG"

        await pilot.press("question_mark")
        await pilot.pause()
        assert "Help" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("i")  # the article: standfirst and author are shown only here
        await pilot.pause()
        overview = screen_text(app)
        assert "Standfirst [b]s[/b]" in overview and "Author [/]" in overview
        await pilot.press("escape")
        assert app.is_running
    assert not list(hostile.parent.glob("*.svg")), "a click action in model text ran"
    assert hashlib.sha256(hostile.read_bytes()).hexdigest() == digest


def test_palette_prompts_are_literal_text_with_no_link_or_action() -> None:
    command = f"Go to {TEXTS['entity name 2']}"
    leads_to = f"→ {TEXTS['entity name 1']}"
    prompt = go_to_prompt(command, leads_to, Matcher("go beta"))
    assert prompt.plain == f"{command}\n{leads_to}"
    for span in prompt.spans:
        style = span.style
        assert not isinstance(style, str) or ("click" not in style and "link" not in style)
        if isinstance(style, Style):
            assert not style.link and not style.meta


# Characters that reorder or hide text, and line breaks where one line is expected: a located
# error naming the field (a file name with them is shown escaped: see test_cli).
@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "Beta\u202eLIVE", "U+202E"),
    ("name", "Be\u200bta", "U+200B"),
    ("name", "Beta\u2066x\u2069", "U+2066"),
    ("name", "Beta\u2028Gamma", "U+2028"),
    ("name", "Beta\nGamma", "a line break"),
    ("name", "Beta\tGamma", "a tab"),
    ("role", "envoy\u200f", "U+200F"),
])
def test_invisible_characters_and_line_breaks_in_one_line_fields_are_located_errors(
        tmp_path: Path, field: str, value: str, message: str) -> None:
    text = MODEL.replace(f"role = '{TEXTS['person role']}'", "role = 'envoy'")
    target = f"name = {TEXTS['person name']!r}" if field == "name" else "role = 'envoy'"
    assert target in text
    escaped = value.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
    text = text.replace(target, f'{field} = "{escaped}"')
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_model(path)
    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 1, problems
    assert f'entities[4] (id "pat").{field}' in problems[0] and message in problems[0]


def test_a_summary_may_have_line_breaks_but_no_reordering_characters(tmp_path: Path) -> None:
    text = MODEL.replace(TEXTS["summary 2"], "Plain \u202esummary")
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_model(path)
    assert "relationships[1]" in str(caught.value) and "U+202E" in str(caught.value)


@pytest.mark.parametrize(("query", "marked"), [("aliyev", "Aliyev"), ("ilham", "İlham")])
def test_a_palette_match_after_a_letter_that_lowers_to_two_is_marked_where_it_is(
        query: str, marked: str) -> None:
    """"İ" lowers to two characters: Textual's offsets into the lowered text ran past the
    command's end (an error that dropped every later hit) or marked the wrong letters."""
    command = "Go to İlham Aliyev"
    prompt = go_to_prompt(command, "→ Azerbaijan", Matcher(query))
    assert "".join(command[span.start:span.end] for span in prompt.spans
                   if span.end <= len(command)) == marked
