"""Documented or failing: every command and option of the CLI appears in docs/cli.md."""

import click

from storyline.cli import main
from tests.conftest import REPO


def commands(group: click.Group, prefix: str = "storyline"):
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from commands(command, path)
        else:
            yield path, command


def test_every_command_and_option_is_documented():
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = []
    for path, command in commands(main):
        if path not in text:
            missing.append(path)
        for parameter in command.params:
            for option in getattr(parameter, "opts", []):
                if option.startswith("--") and option not in text:
                    missing.append(f"{path} {option}")
    assert not missing, f"undocumented in docs/cli.md: {missing}"


def test_every_command_has_help():
    for path, command in commands(main):
        assert command.help, f"{path} has no help text"
