"""Text folded for matching: case-, accent-, dash-, quote- and digit-grouping-insensitive,
and where a match in the folded text lies in the original. The search index folds what it
holds; the panes mark a search's words in what they show. Pure Python: no textual, no rich.
"""

from __future__ import annotations

import re
import unicodedata


class _FoldTable(dict[int, str]):
    """A `str.translate` table that folds each distinct character once, on first sight."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()

# Dashes a reader types as "-": the article prints scores with a minus sign ("−5") and ranges
# with an en dash ("Jan–Apr"), which no keyboard offers.
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d")

# Typographic quotes, as articles print them, fold to the ones a keyboard types:
# "Kashmir’s" is found by Kashmir's.
_SINGLE_QUOTES = frozenset("\u2018\u2019\u201a\u201b\u2032")
_DOUBLE_QUOTES = frozenset("\u201c\u201d\u201e\u201f\u2033")

# A comma between digits is dropped, so "2867" and "2,867" fold alike. Any such comma, not
# only groups of three: typing "2,8" on the way to "2,867" must keep finding it.
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")


def fold(text: str) -> str:
    """Case-, accent-, dash-, quote- and digit-grouping-insensitive form of `text`."""
    folded = text.lower() if text.isascii() else text.translate(_FOLD_TABLE)
    return _DIGIT_COMMA.sub("", folded) if "," in folded else folded


def _fold_char(char: str) -> str:
    if char in _DASHES:
        return "-"
    if char in _SINGLE_QUOTES:
        return "'"
    if char in _DOUBLE_QUOTES:
        return '"'
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, the index of its source character."""
    if text.isascii():  # one character for one: no need to fold them one at a time
        joined = text.lower()
        origin = list(range(len(text)))
    else:
        pieces: list[str] = []
        origin = []
        for index, char in enumerate(text):
            folded = char.lower() if char.isascii() else _FOLD_TABLE[ord(char)]
            pieces.append(folded)
            origin.extend([index] * len(folded))
        joined = "".join(pieces)
    if "," not in joined:
        return joined, origin
    dropped = {match.start() for match in _DIGIT_COMMA.finditer(joined)}
    kept = [i for i in range(len(joined)) if i not in dropped]
    return "".join(joined[i] for i in kept), [origin[i] for i in kept]


def find_spans(text: str, terms: list[str]) -> tuple[tuple[int, int], ...]:
    """Where each folded term occurs in `text`, as spans of the original string."""
    folded, origin = fold_with_map(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term)
        while start != -1 and term:
            end = start + len(term)
            spans.append((origin[start], origin[end - 1] + 1))
            start = folded.find(term, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)
