"""The reader's settings kept between runs: for now, the theme last chosen.

A small TOML file in the user's config directory, read with tomli and written atomically;
one that is missing, unreadable or odd is simply ignored. Pure Python: no textual, no rich.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

from policyterm.core.loading.problems import ModelError
from policyterm.core.loading.reading import read_model_bytes
from policyterm.core.places import user_directory

DIRECTORY_VARIABLE = "POLICYTERM_CONFIG_DIR"  # where to keep it instead of the default
FILE_NAME = "settings.toml"


def settings_path() -> Path:
    return user_directory("config", DIRECTORY_VARIABLE) / FILE_NAME


def saved_theme(path: Path | None = None) -> str | None:
    try:
        # Read as a model is: a regular file of bounded size, never a pipe that blocks.
        data = read_model_bytes(path or settings_path())
        import tomli  # here: every start asks, and most readers have no settings file

        theme = tomli.loads(data.decode("utf-8")).get("theme")
    except (ModelError, ValueError, RecursionError):  # missing, unreadable, not TOML
        return None
    return theme if isinstance(theme, str) else None


def save_theme(theme: str, path: Path | None = None) -> None:
    """Remember `theme` (raises OSError when it cannot be written). A settings file that is
    a link (to a dotfiles repository) is written where it points."""
    target = Path(os.path.realpath(path or settings_path()))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        if target.exists():  # keep its permissions (mkstemp's are 0600)
            os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            # A JSON string is a valid TOML basic string.
            out.write("# policyterm's settings, written by policyterm\n"
                      f"theme = {json.dumps(theme)}\n")
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
