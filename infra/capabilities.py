"""The capabilities, found where they live rather than listed: each folder of `functions/` holding a
`handlers.py` (its triggers) is one, and one holding an `api.py` adds its `router` to the API.

Whatever must agree on capabilities or routes reads them here: the OpenAPI document, the boundary
guards, the cached clients a test resets, and the drift check of routes against the template and the
roles table in docs/security.md. Adding a capability touches its own folder, the template and its docs.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from infra.template import ROOT, Template

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.api_gateway import Router

FUNCTIONS = ROOT / "functions"
SHARED = ("core", "apidocs")
"""Packages of `functions/` that are not capabilities: what every capability shares, the API's docs."""
OPENAPI = FUNCTIONS / "apidocs" / "openapi.json"
DOCS_ROUTES = {("GET", "/docs"): "apidocs.handler", ("GET", "/openapi.json"): "apidocs.handler"}
"""The API's own description, which its function serves from the committed document, with no router."""
ROLES = ("admin", "staff", "employee")
Route = tuple[str, str]
"""(method, path), the path as API Gateway writes it: `/invoices/{invoice_id}`."""


@cache
def names() -> tuple[str, ...]:
    """Every capability, in alphabetical order."""
    return tuple(sorted(path.parent.name for path in FUNCTIONS.glob("*/handlers.py")))


def packages() -> tuple[str, ...]:
    """Every package the functions deploy: the capabilities and what they share."""
    return tuple(sorted((*names(), *SHARED)))


def routers() -> dict[str, Router]:
    """Each capability's router, by capability (alphabetical)."""
    serving = [name for name in names() if (FUNCTIONS / name / "api.py").exists()]
    return {name: importlib.import_module(f"{name}.api").router for name in serving}


def routed() -> dict[Route, str]:
    """Every route the routers answer, and the capability whose router it is."""
    return {
        (method, re.sub(r"<(\w+)>", r"{\1}", path)): name
        for name, router in routers().items()
        for path, methods, *_ in router._routes
        for method in methods
    }


def declared(template: Template | None = None) -> dict[Route, str]:
    """Every route the template's HttpApi events declare, and the handler module of its function (a
    route two functions declare is named by both: "a.api+b.api", which no capability's is)."""
    found: dict[Route, str] = {}
    for spec in (template or Template()).functions.values():
        for event in spec.events:
            if event.type == "HttpApi":
                route = (str(event.properties["Method"]).upper(), str(event.properties["Path"]))
                module = spec.handler.rpartition(".")[0]
                found[route] = f"{found[route]}+{module}" if route in found else module
    return found


def loaded_modules() -> Iterator[ModuleType]:
    """The functions' modules this process has imported."""
    import sys

    for name, module in list(sys.modules.items()):
        if module is not None and name.split(".")[0] in packages():
            yield module


def reset_cached() -> None:
    """Functions build their clients and services once per process (`functools.cache`); a new moto world
    needs new ones: clear every cache the loaded modules define."""
    for module in loaded_modules():
        for value in list(vars(module).values()):
            if (
                callable(getattr(value, "cache_clear", None))
                and getattr(value, "__module__", None) == module.__name__
            ):
                value.cache_clear()


def documented_roles(path: Path = ROOT / "docs" / "security.md") -> dict[Route, set[str]]:
    """The roles table of docs/security.md: each route it names, with the roles ticked for it."""
    text = path.read_text(encoding="utf-8")
    section = text[text.index("**Roles**") : text.index("\n\n", text.index("| route | admin |"))]
    allowed: dict[Route, set[str]] = {}
    for row in section.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) != 1 + len(ROLES) or not cells[0].startswith("`"):
            continue
        ticked = {role for role, cell in zip(ROLES, cells[1:], strict=True) if cell == "✓"}
        for method, route in re.findall(r"`([A-Z]+) (/[^`]*)`", cells[0]):
            allowed[(method, route)] = ticked
    return allowed


def published(path: Path = OPENAPI) -> set[Route]:
    """The routes of the committed OpenAPI document."""
    paths = json.loads(path.read_text(encoding="utf-8"))["paths"]
    return {(method.upper(), route) for route, operations in paths.items() for method in operations}


def drift(
    routes: dict[Route, str], events: dict[Route, str], table: set[Route], document: set[Route]
) -> list[str]:
    """Where the routers, the template's HttpApi events, the roles table and the OpenAPI document disagree
    (each route's event must belong to the function whose handler is its capability's `api`)."""
    found = []
    for route in sorted(set(routes) | set(events)):
        served_by, owner = events.get(route), routes.get(route)
        if owner is None and DOCS_ROUTES.get(route) != served_by:
            found.append(f"{route}: the template routes it to {served_by}, whose router does not answer it")
        elif owner is not None and served_by != f"{owner}.api":
            found.append(f"{route}: {owner}'s router answers it, the template routes it to {served_by}")
    found += [
        f"{route}: the roles table names it, the template does not" for route in sorted(table - set(events))
    ]
    found += [f"{route}: the roles table does not name it" for route in sorted(set(events) - table)]
    found += [
        f"{route}: openapi.json has it, no router does (make openapi)"
        for route in sorted(document - set(routes))
    ]
    found += [f"{route}: openapi.json lacks it (make openapi)" for route in sorted(set(routes) - document)]
    return found
