"""The article's text beside its model: read into numbered paragraphs (the explorer shows
them and searches them), and a model checked against it (`policyterm validate`).

The source is plain text or Markdown, paragraphs separated by blank lines. When paragraphs
start with `[N]`, those are the paragraphs, by their numbers, and anything else (a heading,
a byline) is ignored; otherwise the paragraphs are numbered 1..N.
Pure Python: no textual, no rich.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli

from policyterm.core.folding import fold as search_fold
from policyterm.core.folding import fold_with_map
from policyterm.core.loading import Problem, UnreadableModel, display_name, read_model_bytes
from policyterm.core.loading.positions import located
from policyterm.core.loading.problems import (
    CONTROL_RANGES,
    INVISIBLE_RANGES,
    ModelError,
    Place,
    character_class,
)
from policyterm.core.model import Model

# "[3] Text": paragraph 3. Not "[3]: https://…", a Markdown link's definition.
_NUMBERED = re.compile(r"\[(\d{1,9})\](?!:)\s*")
_NUMBERED_LINE = re.compile(r"\n([ \t]*\[)(\d{1,9})\](?!:)")  # a line inside a paragraph
_WORD = re.compile(r"[^\W_]+")
COPIED_WORDS = 8  # this many words of the source in a row, in a model text: copied

# A source is anyone's text file: what could act on the terminal or hide text (escape
# sequences, bidi overrides) shows as a replacement character.
_UNSAFE = re.compile(f"[{character_class(CONTROL_RANGES)}{character_class(INVISIBLE_RANGES)}]")


@dataclass(frozen=True)
class Source:
    name: str
    paragraphs: dict[int, str]  # by number; each on one line, its spacing collapsed
    # Where each numbered paragraph starts (its line in the file), for validate's messages;
    # and (number, line) of each paragraph that starts with a number used before it.
    lines: dict[int, int] = field(default_factory=dict)
    repeated: tuple[tuple[int, int], ...] = ()
    # (number, line, column) of each "[N]" that starts a line inside a paragraph: most likely
    # a paragraph of its own missing the blank line before it.
    run_on: tuple[tuple[int, int, int], ...] = ()


def read_source(path: Path) -> Source:
    """The source's paragraphs by number; UnreadableModel (with its problem) if the file
    cannot be read as UTF-8 text."""
    name = display_name(path)
    try:
        data = read_model_bytes(path)
    except UnreadableModel as error:  # its messages speak of a model file: this is a text
        raise UnreadableModel([problem._replace(message=problem.message.replace(
            " (.toml)", "").replace("model file", "text file")) for problem in error.problems]
        ) from None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise UnreadableModel([Problem(name, "is not UTF-8 text; expected the source "
                                       "as plain text or Markdown")]) from None
    text = _UNSAFE.sub("\ufffd", text.replace("\r\n", "\n"))
    blocks: list[tuple[str, int]] = []  # each paragraph on one line, and its first line
    run_on: list[tuple[int, int, int]] = []
    start = counted = 0
    line = 1  # the line of offset `counted`: lines are counted on from the previous block
    for end in [*(gap.start() for gap in re.finditer(r"\n\s*\n", text)), len(text)]:
        chunk = text[start:end]
        block = " ".join(chunk.split())
        if block:
            first = start + len(chunk) - len(chunk.lstrip())  # its first visible character
            line += text.count("\n", counted, first)
            counted = first
            blocks.append((block, line))
            for inner in _NUMBERED_LINE.finditer(text, first, end):
                below = text.count("\n", first, inner.start(1))
                run_on.append((int(inner[2]), line + below, len(inner[1])))
        start = end
    numbered: dict[int, str] = {}
    lines: dict[int, int] = {}
    repeated: list[tuple[int, int]] = []
    for block, line in blocks:
        if match := _NUMBERED.match(block):
            number = int(match[1])
            if number in numbered:
                repeated.append((number, line))
            numbered.setdefault(number, block[match.end():])
            lines.setdefault(number, line)
    paragraphs = numbered or {number: block for number, (block, _) in enumerate(blocks, 1)}
    return Source(name, paragraphs, lines, tuple(repeated), tuple(run_on) if numbered else ())


def read_named_source(model_name: str, path: Path,
                      given: bool = False) -> tuple[Source | None, Problem | None]:
    """The source a model names (its `source_file`, or the one `given` with --source); or
    the warning that it cannot be read, for a model checked, and opened, without it."""
    try:
        return read_source(path), None
    except ModelError as error:
        reason = error.problems[0].message.split(";")[0] if error.problems else "cannot be read"
        file = error.problems[0].file if error.problems else "?"
    if given:
        return None, Problem(model_name, f"warning: the source given with --source, {file}: "
                             f"{reason}; going on without it")
    return None, Problem(model_name, f"warning: the source {file}: {reason}; going on "
                         "without it", path="article.source_file",
                         place=Place(("article", "source_file")))


def source_path(model_path: Path | None, source_file: str | None,
                given: Path | None = None) -> Path | None:
    """The source to read: the one `given` (--source), else the model's `source_file`
    beside the model file."""
    if given is not None:
        return given
    if source_file is None:
        return None
    return (model_path.parent if model_path is not None else Path()) / source_file


def phrase_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where `phrase` occurs in `text` as fold() compares them (case, accents, quotes and
    spacing aside), as spans of `text`."""
    wanted = fold(phrase).split()
    if not wanted:
        return []
    folded, origin = fold_with_map(text)
    words = [(match[0], origin[match.start()], origin[match.end() - 1] + 1)
             for match in _WORD.finditer(folded)]
    size = len(wanted)
    return [(words[i][1], words[i + size - 1][2]) for i in range(len(words) - size + 1)
            if [word for word, _, _ in words[i:i + size]] == wanted]


def fold(text: str) -> str:
    """The words of `text`, folded as search folds them (case, accents, dashes, digit
    grouping), quotes and spacing dropped: "“Early 2021”" ~ "early 2021"."""
    return " ".join(_WORD.findall(search_fold(text)))


# Each section's items, with the id the messages name them by.
def _sections(model: Model) -> Iterator[tuple[str, str, Any]]:
    for section in ("entities", "themes", "relationships", "events", "figures"):
        for item in getattr(model, section):
            yield section, item.id, item


def _texts(model: Model) -> Iterator[tuple[str, Place, str]]:
    """(path, place, text) of every text a model author writes in their own words: not the
    article's title (printed headline, kept exactly), names, roles, modes or date phrases,
    which are the article's by design."""
    article = model.article
    if article.standfirst:
        yield "article.standfirst", Place(("article", "standfirst")), article.standfirst
    for section, item_id, item in _sections(model):
        for key in ("headline", "summary", "title", "label"):
            text = getattr(item, key, None)
            if text:
                yield f'{section} (id "{item_id}").{key}', Place((section, item_id, key)), text


def check_against_source(model: Model, source: Source, name: str) -> tuple[list[Problem],
                                                                         list[Problem]]:
    """(problems, warnings): citations beyond the source, a paragraph count that differs
    from it, date phrases that none of their cited paragraphs says; and, as warnings, model
    text that copies COPIED_WORDS or more words of the source in a row. Each is placed by
    item id (see `locate`)."""
    problems = _numbering(source)
    numbers = set(source.paragraphs)
    if model.article.paragraphs != len(numbers):
        count = f"{len(numbers)} paragraph{'s' if len(numbers) != 1 else ''}"
        problems.append(Problem(name, f"is {model.article.paragraphs}, but the source "
                                f"{source.name} has {count}; expected them to agree",
                                path="article.paragraphs",
                                place=Place(("article", "paragraphs"))))
    for section, item_id, item in _sections(model):
        where = f'{section} (id "{item_id}")'
        beyond = sorted(set(item.source) - numbers)
        if beyond:
            problems.append(Problem(name, f"cites paragraph {beyond[0]}, which the source "
                                    "does not have", path=f"{where}.source",
                                    place=Place((section, item_id, "source"))))
        date_text = getattr(item, "date_text", None)
        if date_text and not beyond:  # a missing paragraph is reported once, above
            # Said as the source dialog marks it: whole words, so "May 1" is not "May 16".
            cited = [source.paragraphs[n] for n in item.source if n in source.paragraphs]
            if fold(date_text) and not any(phrase_spans(text, date_text) for text in cited):
                citations = ", ".join(f"¶{n}" for n in item.source)
                problems.append(Problem(name, f'"{date_text}" is not in {citations} of the '
                                        "source; expected the date as the cited paragraphs "
                                        "phrase it", path=f"{where}.date_text",
                                        place=Place((section, item_id, "date_text"))))
    words = fold(" ".join(source.paragraphs.values())).split()
    runs = {tuple(words[i:i + COPIED_WORDS]) for i in range(len(words) - COPIED_WORDS + 1)}
    warnings = []
    for path, place, text in _texts(model):
        mine = fold(text).split()
        for i in range(len(mine) - COPIED_WORDS + 1):
            if tuple(mine[i:i + COPIED_WORDS]) in runs:
                # The whole copy, as far as each next word still continues one of the
                # source's runs: all of it needs rewording, not its first words.
                end = i + COPIED_WORDS
                while end < len(mine) and tuple(mine[end - COPIED_WORDS + 1:end + 1]) in runs:
                    end += 1
                # Quoted as the model has it (its case and punctuation), so that it can be
                # found there; the folded words if it cannot be.
                copied = " ".join(mine[i:end])
                spans = phrase_spans(text, copied)
                quoted = text[spans[0][0]:spans[0][1]] if spans else copied
                warnings.append(Problem(name, f"warning: copies the source word for word "
                                        f"(\"{quoted}\"); expected the model's own words",
                                        path=path, place=place))
                break
    return problems, warnings


def _numbering(source: Source) -> list[Problem]:
    """A source numbered [1] to [N] with none missing and none twice: otherwise its
    paragraphs cannot be what the model's citations count."""
    found = [Problem(source.name, f"starts a paragraph with [{number}] again; expected "
                     "each number once", line=line, column=1)
             for number, line in source.repeated]
    # A number missing as a paragraph because it starts a line inside the one above: said
    # there, and not counted missing again below. Only a number the numbering lacks, up to
    # one past its last (or past the last run-on one): a citation ("[12], and …") or a
    # reference list ("[9] Bar, 2021.") wrapped to the start of a line is no paragraph.
    first_place = {number: (line, column) for number, line, column in reversed(source.run_on)
                   if number not in source.paragraphs}
    run_on: dict[int, tuple[int, int]] = {}
    next_number = max(source.paragraphs, default=0) + 1
    for number in sorted(first_place):
        if number <= next_number:
            run_on[number] = first_place[number]
            next_number = max(next_number, number + 1)
    found += [Problem(source.name, f"[{number}] starts a line inside a paragraph, so it is "
                      "no paragraph of its own; expected a blank line before it",
                      line=line, column=column)
              for number, (line, column) in sorted(run_on.items(), key=lambda kv: kv[1])]
    # The gaps between neighbours, never the whole range: "[300000000]" is one number.
    missing: list[int] = []
    more = False
    after: int | None = None  # the paragraph after the first gap: where the numbering jumps
    expected = 1
    for number in sorted(source.paragraphs.keys() | run_on.keys()):
        if number > expected:
            after = after or number
            more = more or len(missing) + number - expected > 5
            missing += range(expected, min(number, expected + 5 - len(missing)))
        expected = max(expected, number + 1)
    if missing and after is not None:
        shown = ", ".join(f"[{number}]" for number in missing)
        found.append(Problem(source.name, f"has no paragraph {shown}{' …' if more else ''}; "
                             "expected paragraphs numbered from [1] with none missing",
                             line=source.lines.get(after), column=1))
    return found


def locate(problems: list[Problem], text: str) -> list[Problem]:
    """The problems with their line and column in the model's `text`, in file order. Their
    places name items by id; the document is parsed again to find each item's index (only
    when there are problems, so a clean check costs nothing more). Problems of the source
    file (its numbering: already located, in that file) come first, as they were."""
    try:
        document = tomli.loads(text) if problems else {}
    except tomli.TOMLDecodeError:  # changed since it was checked: left without places
        return problems
    index_of: dict[tuple[object, object], int] = {}
    for section, items in document.items():
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    index_of.setdefault((section, item.get("id")), index)
    in_source: list[Problem] = []  # located already, in the source file: kept as they are
    placed = []
    for problem in problems:
        if problem.place is None and problem.line is not None:
            in_source.append(problem)
            continue
        keys = problem.place.keys if problem.place is not None else ()
        if len(keys) == 3 and (keys[0], keys[1]) in index_of:
            table, item_id, key = keys
            index = index_of[table, item_id]
            # Named as the loader names items: `events[4] (id "x")`.
            path = problem.path.replace(f"{table} (id", f"{table}[{index}] (id", 1)
            problem = problem._replace(path=path, place=Place((table, index, key)))
        placed.append(problem)
    return [*in_source, *located(ModelError(placed), text).problems]
