"""A model as plain JSON values, for `policyterm export`. Pure Python: no textual, no rich."""

from __future__ import annotations

from enum import Enum
from typing import Any

from policyterm.core.dates import EdtfDate


def to_jsonable(value: Any) -> Any:
    """The model as plain JSON values; dates carry their text and their interval."""
    if isinstance(value, EdtfDate):
        return {"date": value.text, "start": value.lower.isoformat(),
                "end": value.upper.isoformat(), "display": value.display()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a record: an object
        return {name: to_jsonable(item) for name, item in zip(value._fields, value, strict=True)}
    if isinstance(value, (tuple, list)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
