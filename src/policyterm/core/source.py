"""A model checked against the text it models: `policyterm validate --source PATH FILE`.

The source is plain text or Markdown, paragraphs separated by blank lines. When paragraphs
start with `[N]`, those are the paragraphs, by their numbers, and anything else (a heading,
a byline) is ignored; otherwise the paragraphs are numbered 1..N.
Pure Python: no textual, no rich.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policyterm.core.loading import Problem, UnreadableModel, display_name, read_model_bytes
from policyterm.core.model import Model
from policyterm.core.search import fold as search_fold

_NUMBERED = re.compile(r"\[(\d+)\]\s*")
_WORD = re.compile(r"[^\W_]+")
COPIED_WORDS = 8  # this many words of the source in a row, in a model text: copied


@dataclass(frozen=True)
class Source:
    name: str
    paragraphs: dict[int, str]


def read_source(path: Path) -> Source:
    """The source's paragraphs by number; UnreadableModel (with its problem) if the file
    cannot be read as UTF-8 text."""
    name = display_name(path)
    data = read_model_bytes(path)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise UnreadableModel([Problem(name, "is not UTF-8 text; expected the source "
                                       "as plain text or Markdown")]) from None
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    numbered = {int(match[1]): block[match.end():]
                for block in blocks if (match := _NUMBERED.match(block))}
    paragraphs = numbered or {number: block for number, block in enumerate(blocks, 1)}
    return Source(name, paragraphs)


def fold(text: str) -> str:
    """The words of `text`, folded as search folds them (case, accents, dashes, digit
    grouping), quotes and spacing dropped: "“Early 2021”" ~ "early 2021"."""
    return " ".join(_WORD.findall(search_fold(text)))


def _texts(model: Model) -> Iterator[tuple[str, str]]:
    """(path, text) of every text a model author writes."""
    article = model.article
    yield "article.title", article.title
    if article.standfirst:
        yield "article.standfirst", article.standfirst
    for index, relationship in enumerate(model.relationships):
        where = f'relationships[{index}] (id "{relationship.id}")'
        yield f"{where}.headline", relationship.headline
        yield f"{where}.summary", relationship.summary
    for event in model.events:
        where = f'event "{event.id}"'
        yield f"{where}.title", event.title
        if event.summary:
            yield f"{where}.summary", event.summary
    for figure in model.figures:
        yield f'figure "{figure.id}".label', figure.label


def check_against_source(model: Model, source: Source, name: str) -> tuple[list[Problem],
                                                                         list[Problem]]:
    """(problems, warnings): citations beyond the source, a paragraph count that differs
    from it, date phrases that none of their cited paragraphs says; and, as warnings, model
    text that copies COPIED_WORDS or more words of the source in a row."""
    problems: list[Problem] = []
    numbers = set(source.paragraphs)
    if model.article.paragraphs != len(numbers):
        problems.append(Problem(name, f"is {model.article.paragraphs}, but the source "
                                f"{source.name} has {len(numbers)} paragraphs; expected them "
                                "to agree", path="article.paragraphs"))
    for event in model.events:
        where = f'events (id "{event.id}")'
        beyond = sorted(set(event.source) - numbers)
        if beyond:
            problems.append(Problem(name, f"cites paragraph {beyond[0]}, which the source "
                                    "does not have", path=f"{where}.source"))
        if event.date_text:
            phrase = fold(event.date_text)
            cited = [source.paragraphs[n] for n in event.source if n in source.paragraphs]
            if phrase and not any(phrase in fold(text) for text in cited):
                citations = ", ".join(f"¶{n}" for n in event.source)
                problems.append(Problem(name, f'"{event.date_text}" is not in {citations} '
                                        "of the source; expected the date as the cited "
                                        "paragraphs phrase it", path=f"{where}.date_text"))
    words = fold(" ".join(source.paragraphs.values())).split()
    runs = {tuple(words[i:i + COPIED_WORDS]) for i in range(len(words) - COPIED_WORDS + 1)}
    warnings = []
    for path, text in _texts(model):
        mine = fold(text).split()
        for i in range(len(mine) - COPIED_WORDS + 1):
            if tuple(mine[i:i + COPIED_WORDS]) in runs:
                warnings.append(Problem(name, f"warning: copies the source word for word "
                                        f"(\"{' '.join(mine[i:i + COPIED_WORDS])}\"); expected "
                                        "the model's own words", path=path))
                break
    return problems, warnings
