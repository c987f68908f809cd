"""Capabilities talk through small named interfaces, never through each other's tables: a module may
import another capability's `interface` or `facts` only, and no capability spells another's keys."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.capabilities import FUNCTIONS, names

CAPABILITIES = names()
OFFERED = ("interface", "facts")
KEY_PREFIX = re.compile(r"^([A-Z][A-Z0-9]*#)")


def modules(capability: str) -> list[Path]:
    return sorted((FUNCTIONS / capability).glob("*.py"))


def imported(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def key_prefixes(path: Path) -> set[str]:
    """The key prefixes a module spells (`"DOC#"`, `f"INV#{id}"` ...)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = KEY_PREFIX.match(node.value)
            if match:
                found.add(match.group(1))
    return found


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_a_capability_uses_only_what_the_others_offer(capability: str) -> None:
    others = [c for c in CAPABILITIES if c != capability]
    reaching = {
        f"{path.name}: {name}"
        for path in modules(capability)
        for name in imported(path)
        if name.split(".")[0] in others and not (len(name.split(".")) >= 2 and name.split(".")[1] in OFFERED)
    }
    assert not reaching


def test_no_capability_spells_another_s_keys() -> None:
    owners = {c: set().union(*(key_prefixes(p) for p in modules(c))) for c in CAPABILITIES}
    assert {"DOC#", "INV#", "CHQ#", "OBL#", "MONTH#"} <= set().union(*owners.values())  # it sees keys
    for capability, mine in owners.items():
        for other, theirs in owners.items():
            assert capability == other or not mine & theirs, f"{capability} spells {other}'s {mine & theirs}"


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_routes_read_and_write_through_the_service(capability: str) -> None:
    """One rule for routes: they call the capability's service, never its store."""
    api = FUNCTIONS / capability / "api.py"
    reaching = {
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(ast.parse(api.read_text()))
        if isinstance(node, ast.Attribute) and node.attr in ("store", "register", "table")
    }
    stores = {name for name in imported(api) if name.endswith(".store") or ".store." in name}
    assert not reaching and not stores
