"""Where policyterm keeps its own files: the user's cache and config directories, by each
platform's rules (XDG on Linux and the BSDs). Pure Python: no textual, no rich."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def user_directory(kind: str, override_variable: str) -> Path:
    """The per-user `kind` ("cache" or "config") directory for policyterm; the environment
    variable `override_variable`, when set, names it instead."""
    if chosen := os.environ.get(override_variable):
        return Path(chosen)
    home = Path.home()
    if sys.platform == "darwin":
        base = home / "Library" / ("Caches" if kind == "cache" else "Application Support")
    elif sys.platform == "win32":
        variable = "LOCALAPPDATA" if kind == "cache" else "APPDATA"
        base = Path(os.environ.get(variable) or home / "AppData" / (
            "Local" if kind == "cache" else "Roaming"))
    else:
        xdg = os.environ.get(f"XDG_{kind.upper()}_HOME", "")
        # XDG: a relative path is invalid and must be ignored.
        base = Path(xdg) if os.path.isabs(xdg) else home / f".{kind}"
    return base / "policyterm"
