"""Read a format-v1 model file into a `Model`, or report every problem in it at once.

    reading.py   bytes from a path, UTF-8 text, TOML (syntax errors at FILE:LINE:COL)
    fields.py    every table's keys: how each value is checked, and its JSON Schema
    build.py     tables into records; unique ids, references, citations, event order
    positions.py where a problem's key or value is in the text: its line and column
    problems.py  Problem, ModelError, and how paths and values are shown in messages
    schema.py    writes schema/article.schema.json from fields.py

Pure Python: no textual, no rich.
"""

from __future__ import annotations

import os

from policyterm.core.loading.problems import ModelError, Problem, UnreadableModel, display_name
from policyterm.core.loading.reading import (
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    check_readable,
    decode_text,
    read_model_bytes,
)
from policyterm.core.model import Model

__all__ = [
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "ModelError",
    "Problem",
    "UnreadableModel",
    "check_readable",
    "decode_text",
    "display_name",
    "load_model",
    "parse_bytes",
    "read_model_bytes",
]


def load_model(path: str | os.PathLike[str]) -> Model:
    """The model in a file; UnreadableModel if the file cannot be read, ModelError listing
    every problem if its contents are not a sound model."""
    return parse_bytes(read_model_bytes(path), display_name(path))


def parse_bytes(data: bytes, name: str) -> Model:
    """The model in a file's bytes, or ModelError with every problem found; `name` is the
    file as messages show it. Each problem carries the line and column of what it is about,
    found only once there are problems: a good file is not searched."""
    # Here, not at the top: opening a cached model needs none of the parsing and checking.
    from policyterm.core.loading.build import parse_document
    from policyterm.core.loading.positions import located
    from policyterm.core.loading.reading import parse_toml

    text = decode_text(data, name)
    document = parse_toml(text, name)
    try:
        return parse_document(document, name)
    except ModelError as error:
        raise located(error, text) from None
