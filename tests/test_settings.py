"""The theme: --theme NAME, else the one last chosen, kept in the user's config directory."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import working_tree_env
from policyterm import cli
from policyterm.cli import bundled_model_path
from policyterm.core.loading import load_model
from policyterm.core.settings import save_theme, saved_theme, settings_path
from policyterm.tui.app import PolicyApp


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("POLICYTERM_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config"


def test_a_theme_is_remembered_in_the_config_directory(config: Path) -> None:
    assert saved_theme() is None
    save_theme('nord "quoted"')
    assert settings_path() == config / "settings.toml"
    assert saved_theme() == 'nord "quoted"'
    settings_path().write_text("theme = [", encoding="utf-8")  # damaged: ignored
    assert saved_theme() is None


def test_a_theme_that_cannot_be_saved_is_said_once(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OSError):
        save_theme("nord", blocker / "settings.toml")
    assert saved_theme(blocker / "settings.toml") is None
    # The explorer, on quitting after a theme was chosen: one line, and the status stays.
    monkeypatch.setenv("POLICYTERM_CONFIG_DIR", str(blocker))
    cli.remember_theme("nord")
    error = capsys.readouterr().err
    assert error.startswith("policyterm: the theme nord is not remembered: cannot write ")
    assert "settings.toml" in error and error.count("\n") == 1
    assert blocker.read_text(encoding="utf-8") == ""


def test_the_theme_asked_for_then_the_remembered_one(config: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    model = load_model(bundled_model_path())
    app = PolicyApp(model)
    assert cli.apply_theme(app, "nord") is None and app.theme == "nord"
    save_theme("solarized-light")
    app = PolicyApp(model)
    assert cli.apply_theme(app, None) is None and app.theme == "solarized-light"
    app = PolicyApp(model)
    assert cli.apply_theme(app, "no-such-theme") == cli.EXIT_USAGE
    error = capsys.readouterr().err
    assert "no theme called no-such-theme; the themes are: " in error
    assert cli.apply_theme(PolicyApp(model), "nor") == cli.EXIT_USAGE
    assert "no theme called nor (did you mean nord?); the themes" in capsys.readouterr().err
    assert cli.apply_theme(PolicyApp(model), "") == cli.EXIT_USAGE  # asked for, though empty
    save_theme("gone-since")
    app = PolicyApp(model)
    default = app.theme
    assert cli.apply_theme(app, None) is None and app.theme == default


@pytest.mark.parametrize("odd", ["deeply nested", "a named pipe", "not UTF-8"])
def test_an_odd_settings_file_is_ignored_without_blocking(config: Path, odd: str) -> None:
    config.mkdir()
    path = config / "settings.toml"
    if odd == "deeply nested":
        path.write_text("theme = " + "[" * 100_000 + "]" * 100_000, encoding="utf-8")
    elif odd == "a named pipe":
        os.mkfifo(path)  # opened for reading, it would wait for a writer for ever
    else:
        path.write_bytes(b'theme = "\xff"')
    # In a process of its own with a time limit: code that opened the pipe would block for
    # ever, and the test should fail, not hang.
    result = subprocess.run(
        [sys.executable, "-c", "from policyterm.core.settings import saved_theme; "
         "print(saved_theme())"], capture_output=True, text=True, timeout=30,
        env=working_tree_env(POLICYTERM_CONFIG_DIR=str(config)))
    assert result.stdout == "None\n", result.stderr


def test_a_linked_settings_file_is_written_through_the_link(config: Path,
                                                            tmp_path: Path) -> None:
    dotfile = tmp_path / "dotfiles" / "policyterm.toml"
    dotfile.parent.mkdir()
    dotfile.write_text('theme = "nord"\n', encoding="utf-8")
    dotfile.chmod(0o644)
    config.mkdir()
    (config / "settings.toml").symlink_to(dotfile)
    save_theme("gruvbox")
    assert (config / "settings.toml").is_symlink()
    assert saved_theme() == "gruvbox" and "gruvbox" in dotfile.read_text(encoding="utf-8")
    assert stat.S_IMODE(dotfile.stat().st_mode) == 0o644
    assert [p.name for p in dotfile.parent.iterdir()] == ["policyterm.toml"]
