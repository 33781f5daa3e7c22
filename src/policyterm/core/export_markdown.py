"""A model as a Markdown report, for `policyterm export --format markdown`: the article, then
one section per relationship. Pure Python: no textual, no rich.

Model text is data, not markup: every Markdown- or HTML-significant character in it is
backslash-escaped (CommonMark lets any ASCII punctuation be), and its whitespace is folded
to single spaces, so no title or summary can open a heading, a list, a link or an HTML tag,
or end the line it sits on.
"""

from __future__ import annotations

import re

from policyterm.core.dates import EdtfDate
from policyterm.core.display import TREND_GLYPHS, format_figure, format_score, format_sources
from policyterm.core.model import Event, Relationship
from policyterm.core.views import ModelView

# Inline syntax: emphasis, code, links and images, HTML and entities, tables, strikethrough,
# headings' closing #s, block quotes. Escaped wherever they occur.
_INLINE = re.compile(r"([\\`*_\[\]<>#|~&!@])")
# At the start of a line: "-", "+" or "1." would open a list, "=" could underline a heading.
_LINE_START = re.compile(r"^([0-9]*)([-+=.)])")
# What GitHub's renderer links with no markup at all (its autolink extension): a scheme's
# "://", "www." and, with the "@" escaped above, an e-mail address. Escaped, they stay text.
# (Not after a letter or digit: after "_", which \b would not count, GitHub links them too.)
_BARE_LINK = re.compile(r"(?i)((?<![a-z0-9])(?:https?|ftp)):(?=//)|((?<![a-z0-9])www)\.")


def escape(text: str) -> str:
    """Model text as Markdown that renders as exactly that text, on one line."""
    folded = " ".join(text.split())
    escaped = _INLINE.sub(r"\\\1", folded)
    escaped = _BARE_LINK.sub(lambda match: (match.group(1) or match.group(2)) + "\\"
                             + (":" if match.group(1) else "."), escaped)
    return _LINE_START.sub(lambda match: match.group(1) + "\\" + match.group(2), escaped)


def _emphasis(text: str, marker: str) -> str:
    """Escaped text between emphasis markers (the loader refuses blank text: "****" would
    be a rule)."""
    return f"{marker}{escape(text)}{marker}"


def to_markdown(view: ModelView) -> str:
    """The report: the article block, then the focus's relationships in counterpart order,
    then the relationships between two other sides, in file order."""
    lines = _article(view)
    for relationship in _ordered_relationships(view):
        lines += ["", *_relationship(view, relationship)]
    return "\n".join(lines) + "\n"


def _ordered_relationships(view: ModelView) -> list[Relationship]:
    ordered: dict[str, Relationship] = {}
    for counterpart in view.counterparts:
        for relationship in view.relationships_of(counterpart.id):
            if view.focus_id in relationship.pair:
                ordered.setdefault(relationship.id, relationship)
    for relationship in view.model.relationships:
        ordered.setdefault(relationship.id, relationship)
    return list(ordered.values())


def _article(view: ModelView) -> list[str]:
    article = view.model.article
    lines = [f"# {escape(article.title)}", ""]
    if article.standfirst:
        lines += [_emphasis(article.standfirst, "*"), ""]
    if article.author:
        lines.append(f"- Author: {escape(article.author)}")
    published = article.published
    lines += [
        f"- Published: {published.day} {published:%b} {published.year} ({published.isoformat()})",
        f"- Covers: {escape(_covers(article.covers))}",
        f"- Focus: {escape(view.focus.name)}",
    ]
    return lines


def _covers(covers: EdtfDate) -> str:
    shown = covers.display()
    return shown if shown == covers.text else f"{shown} ({covers.text})"


def _relationship(view: ModelView, relationship: Relationship) -> list[str]:
    first, second = view.pair_names(relationship)
    trend = relationship.trend
    lines = [
        f"## {escape(first)} ↔ {escape(second)}",
        "",
        _emphasis(relationship.headline, "**"),
        "",
        f"Trend: {TREND_GLYPHS[trend]} {trend.value}",
        "",
        escape(relationship.summary),
        "",
        f"Sources: {format_sources(relationship.source)}",
    ]
    people = view.people_of(relationship)
    if people:
        lines += ["", "### People", ""]
        lines += [f"- {escape(p.name)}" + (f" — {escape(p.role)}" if p.role else "")
                  for p in people]
    figures = view.figures_of(relationship.id)
    if figures:
        lines += ["", "### Figures", ""]
        lines += [f"- {escape(format_figure(f))}: {escape(f.label)} ({format_sources(f.source)})"
                  for f in figures]
    events = view.events_of(relationship.id)  # the model keeps events in date order
    if events:
        lines += ["", "### Events", ""]
        lines += [_event(event) for event in events]
    return lines


def _event(event: Event) -> str:
    display = event.date.display()
    when = f"{event.date_text} ({display})" if event.date_text else display
    kind = f"{event.type.value} ({escape(event.mode)})" if event.mode else event.type.value
    line = (f"- **{escape(when)}**: {escape(event.title)} — {kind} "
            f"{format_score(event.score)} ({format_sources(event.source)})")
    if event.summary:
        line += f" {escape(event.summary)}"
    return line
