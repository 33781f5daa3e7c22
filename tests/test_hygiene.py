"""The model, loader and CLI layers stay pure Python: importing them loads no textual, no rich.

`policyterm validate` and `export` must start fast and run where no terminal UI can, so
Textual is imported only when the explorer opens (see cli.run_explorer).
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SRC, working_tree_env

# Every module of the pure subpackage, and the command line (which imports the app lazily).
PURE_MODULES = ["policyterm.cli", *sorted(
    module.name for module in pkgutil.walk_packages(
        [str(SRC / "policyterm" / "core")], prefix="policyterm.core."))]

PROBE = """
import json, sys
for name in sys.argv[1:]:
    __import__(name)
print(json.dumps(sorted(sys.modules)))
"""


def imported_by(*modules: str, code: str = PROBE) -> list[str]:
    env = working_tree_env()
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
    assert "policyterm.tui.app" not in loaded


def test_the_probe_can_see_textual() -> None:
    """The check above would notice: importing the app does pull textual and rich in."""
    loaded = imported_by("policyterm.tui.app")
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
    assert "policyterm.core.loading" in loaded
    assert ui_modules(loaded) == []


def test_a_cached_model_opens_without_the_parser(tmp_path: Path) -> None:
    """The second opening of a large model reads the cache: it never needs TOML or the
    checks, so the explorer does not pay for importing them."""
    from policyterm.core.cache import CacheKey, ModelCache
    from policyterm.core.loading import load_model
    from policyterm.core.views import ModelView

    model = tmp_path / "model.toml"
    model.write_bytes((ROOT / "docs" / "example.toml").read_bytes())
    ModelCache(tmp_path / "cache").put(CacheKey.of(model), ModelView(load_model(model)))
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from policyterm.core.cache import ModelCache, cached_view\n"
        "import policyterm.cli, policyterm.tui.app\n"
        "assert cached_view(Path(sys.argv[1]), ModelCache(Path(sys.argv[2]))) is not None\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    loaded = imported_by(str(model), str(tmp_path / "cache"), code=code)
    parsing = {"tomli", "policyterm.core.loading.fields", "policyterm.core.loading.build",
               "policyterm.core.loading.positions"}
    assert "policyterm.core.model" in loaded
    assert parsing.isdisjoint(loaded)


def test_the_tests_run_the_working_tree() -> None:
    """pyproject's pythonpath puts src/ first: an installed copy is never what is tested."""
    import policyterm

    assert Path(policyterm.__file__).resolve().is_relative_to(SRC)


def test_no_import_cycles() -> None:
    """Every import between policyterm's modules (lazy and type-only ones too) goes one way."""
    import ast

    graph: dict[str, set[str]] = {}
    for path in (SRC / "policyterm").rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        graph[name] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t.startswith("policyterm"))
    for module in graph:
        graph[module] = {t for t in graph[module] if t in graph and t != module}

    def in_a_cycle(module: str) -> bool:
        """Whether following imports from `module` leads back to it."""
        seen: set[str] = set()
        todo = list(graph[module])
        while todo:
            step = todo.pop()
            if step == module:
                return True
            if step not in seen:
                seen.add(step)
                todo.extend(graph[step])
        return False

    cycles = [module for module in graph if in_a_cycle(module)]
    assert not cycles, f"modules in an import cycle: {sorted(cycles)}"
