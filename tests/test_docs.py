"""The README keeps up with the code: every CLI command, role and KISS_* variable is documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.cli import build_parser
from households import settings
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


# --- configuration: every KISS_* variable in one settings module and in the README ---

ROOT = Path(__file__).parents[1]
PRODUCT_PACKAGES = ("app", "households", "coordination", "experiments", "data", "benchmarks")
CONFIG_SECTION = README.split("## Configuratie", 1)[1].split("\n## ", 1)[0]


def _sources(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py") if ".venv" not in p.parts)


def _kiss_names_in_sources() -> list[str]:
    files = _sources(*PRODUCT_PACKAGES, "tests", "scripts") + sorted(ROOT.glob("scripts/*.sh"))
    names = set()
    for path in files:
        names.update(re.findall(r"\bKISS_[A-Z][A-Z0-9_]*[A-Z0-9]\b", path.read_text("utf-8")))
    return sorted(names)


@pytest.mark.parametrize("name", sorted(settings.VARIABLES))
def test_every_setting_is_in_the_readme_configuration(name):
    assert f"`{name}`" in CONFIG_SECTION


@pytest.mark.parametrize("name", _kiss_names_in_sources())
def test_every_kiss_variable_the_code_names_is_in_the_readme(name):
    assert f"`{name}`" in CONFIG_SECTION


def _environ_reads(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, name) of every ``os.environ[...]``/``.get``/``getenv`` use with a KISS_* key."""

    def kiss(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and str(node.value).startswith("KISS_"):
            return node.value
        return None

    def is_environ(node: ast.AST) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
            isinstance(node, ast.Name) and node.id == "environ"
        )

    found = []
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Subscript) and is_environ(node.value):
            key = kiss(node.slice)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            if (isinstance(func, ast.Attribute) and is_environ(func.value)) or (
                getattr(func, "attr", getattr(func, "id", None)) == "getenv"
            ):
                key = kiss(node.args[0])
        if key:
            found.append((node.lineno, key))
    return found


def test_only_the_settings_module_reads_kiss_variables():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} {name}"
        for path in _sources(*PRODUCT_PACKAGES)
        if path != ROOT / "households" / "settings.py"
        for line, name in _environ_reads(ast.parse(path.read_text("utf-8")))
    ]
    assert offenders == []


def test_the_environ_check_sees_a_direct_read():
    tree = ast.parse(
        'import os\nos.environ.get("KISS_X")\nos.environ["KISS_Y"]\nos.getenv("KISS_Z")'
    )
    assert _environ_reads(tree) == [(2, "KISS_X"), (3, "KISS_Y"), (4, "KISS_Z")]
