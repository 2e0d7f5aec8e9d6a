"""The README keeps up with the code: every CLI command and every role is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import build_parser
from households.models import USER_ROLES

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_cli_command_is_in_the_readme(command):
    assert f"kiss {command}" in README


@pytest.mark.parametrize("role", USER_ROLES)
def test_every_role_is_in_the_readme(role):
    assert f"`{role}`" in README


def test_readme_shows_the_two_commands():
    assert "scripts/demo.sh" in README
    assert "scripts/test.sh" in README
