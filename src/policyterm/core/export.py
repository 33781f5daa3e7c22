"""A model as plain JSON values, for `policyterm export`. Pure Python: no textual, no rich."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

from policyterm.core.dates import EdtfDate
from policyterm.core.model import Event


def to_jsonable(value: Any) -> Any:
    """The model as plain JSON values; dates carry their text and their interval."""
    if isinstance(value, EdtfDate):
        return {"date": value.text, "start": value.lower.isoformat(),
                "end": value.upper.isoformat(), "display": value.display()}
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Event):  # a named tuple: an object, not an array
        return {name: to_jsonable(item) for name, item in zip(value._fields, value, strict=True)}
    if isinstance(value, (tuple, list)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
