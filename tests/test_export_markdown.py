"""`policyterm export --format markdown`: a report that reads back as the model, and model text
that stays text, whatever Markdown or HTML it holds."""

from __future__ import annotations

import html
import re
from pathlib import Path

from markdown_it import MarkdownIt

from conftest import EXAMPLE, HOSTILE, ROOT, hostile_model
from policyterm.core.export_markdown import escape, to_markdown
from policyterm.core.loading import load_model
from policyterm.core.views import ModelView

BUNDLED = ROOT / "data" / "article.toml"


def report(path: Path) -> str:
    return to_markdown(ModelView(load_model(path)))


def rendered(markdown: str) -> str:
    """HTML as a CommonMark renderer (with GitHub's tables and strikethrough) makes it."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def shown_text(page: str) -> str:
    """What a reader of the rendered page sees, tags left out."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_bundled_report_has_every_headline_and_the_expected_headings() -> None:
    model = load_model(BUNDLED)
    view = ModelView(model)
    text = report(BUNDLED)
    for relationship in model.relationships:
        assert f"**{relationship.headline}**" in text.splitlines()
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0] == f"# {model.article.title}"
    sections = [line for line in headings if line.startswith("## ")]
    assert len(sections) == len(model.relationships)
    # The focus's relationships first, in counterpart order.
    first, second = view.pair_names(view.relationships_of(view.counterparts[0].id)[0])
    assert sections[0] == f"## {first} ↔ {second}"
    assert {line for line in headings if line.startswith("### ")} <= {
        "### People", "### Figures", "### Events"}


def test_example_report_reads_back() -> None:
    text = report(EXAMPLE)
    lines = text.splitlines()
    assert lines[:8] == [
        "# Ruritania and its neighbours", "",
        "*A quiet year with Kravonia, a loud one over the river*", "",
        "- Author: A correspondent",
        "- Published: 5 Jan 2024 (2024-01-05)",
        "- Covers: 2023",
        "- Focus: Ruritania",
    ]
    assert [line for line in lines if line.startswith("## ")] == [
        "## Ruritania ↔ Graustark", "## Ruritania ↔ Kravonia",
        "## Ruritania ↔ Continental Development Bank"]
    kravonia = text.split("## Ruritania ↔ Kravonia")[1].split("\n## ")[0]
    assert "Trend: ▲ improving" in kravonia
    assert "- Mara Lenz — Foreign minister" in kravonia
    # Events in date order, each date as the article phrases it, with type, score, citations.
    assert kravonia.index("May 16 (16 May 2023)") < kravonia.index("in the last quarter")
    assert ("- **May 16 (16 May 2023)**: Foreign minister Lenz visits Kravonia — "
            "CONSULT (visit) +3 (¶4)") in kravonia
    assert "- about $1.2 billion: Size of the development bank's loan (¶5)" in text
    assert "- **2023**: River talks stall — REJECT −2 (¶3) Graustark turned down" in text
    assert "Sources: ¶1 ¶2 ¶3" in text


def test_report_is_deterministic() -> None:
    assert report(BUNDLED) == report(BUNDLED)


def test_hostile_text_comes_out_escaped(tmp_path: Path) -> None:
    model = load_model(hostile_model(tmp_path))
    text = to_markdown(ModelView(model))
    page = rendered(text)
    # Only the report's own structure: no link, image, HTML, code or strikethrough from text.
    assert set(re.findall(r"<(\w+)", page)) <= {"h1", "h2", "h3", "p", "ul", "li", "strong",
                                                 "em"}
    assert page.count("<h1>") == 1
    assert page.count("<h2>") == len(model.relationships)
    seen = shown_text(page)
    for _, hostile in HOSTILE.values():
        assert " ".join(hostile.split()) in seen, hostile
    assert f"# {escape(HOSTILE['title'][1])}" in text.splitlines()


def test_escape_keeps_line_starts_from_opening_blocks() -> None:
    for text in ["- item", "+ item", "1. item", "12) item", "===", "> quote", "# h",
                 "    code", "<div>", "a\n\nb"]:
        page = rendered(escape(text))
        assert page == f"<p>{html.escape(' '.join(text.split()), quote=False)}</p>\n", text


def test_bare_links_and_addresses_stay_text_in_a_gfm_renderer() -> None:
    gfm = MarkdownIt("gfm-like")
    for text in ["See https://evil.example/login now", "www.evil.example",
                 "write to someone@evil.example", "FTP://files.example/x",
                 "_https://evil.example/login", "_www.evil.example"]:
        page = gfm.render(escape(text))
        assert "<a " not in page, text
        assert shown_text(page) == f"{text}\n", text
