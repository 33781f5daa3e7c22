"""The model, loader and CLI layers stay pure Python: importing them loads no textual, no rich.

`policyterm validate` and `export` must start fast and run where no terminal UI can, so
Textual is imported only when the explorer opens (see cli.run_explorer).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

PURE_MODULES = [
    "policyterm.model", "policyterm.loader", "policyterm.dates", "policyterm.search",
    "policyterm.views", "policyterm.display", "policyterm.timeline_layout", "policyterm.cli",
    "policyterm.records", "policyterm.tail_parse",
]

PROBE = """
import json, sys
for name in sys.argv[1:]:
    __import__(name)
print(json.dumps(sorted(sys.modules)))
"""


def imported_by(*modules: str, code: str = PROBE) -> list[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, "-c", code, *modules], capture_output=True,
                            text=True, env=env, timeout=60, check=True)
    loaded: list[str] = json.loads(result.stdout)
    return loaded


def ui_modules(loaded: list[str]) -> list[str]:
    return [name for name in loaded if name.split(".")[0] in ("textual", "rich")]


def test_pure_modules_import_no_textual_or_rich() -> None:
    loaded = imported_by(*PURE_MODULES)
    assert set(PURE_MODULES) <= set(loaded), "a module did not import"
    assert ui_modules(loaded) == []
    assert "policyterm.app" not in loaded


def test_the_probe_can_see_textual() -> None:
    """The check above would notice: importing the app does pull textual and rich in."""
    loaded = imported_by("policyterm.app")
    assert "textual" in loaded and "rich" in loaded


def test_validate_and_export_run_without_textual_or_rich() -> None:
    code = (
        "import io, json, sys, contextlib\n"
        "from policyterm.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['validate', sys.argv[1]]) == 0\n"
        "    assert main(['export', sys.argv[1]]) == 0\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    loaded = imported_by(str(ROOT / "docs" / "example.toml"), code=code)
    assert "policyterm.loader" in loaded
    assert ui_modules(loaded) == []
