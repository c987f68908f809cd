"""Declared once: the capabilities are the folders of `functions/`, the routes are their routers'; the
template's HttpApi events, the roles table of docs/security.md, the committed OpenAPI document and the
package lists of pyproject.toml are checked against them."""

import tomllib

from infra import capabilities
from infra.capabilities import declared, documented_roles, drift, published, routed
from infra.template import ROOT


def test_routers_template_roles_table_and_openapi_name_the_same_routes() -> None:
    assert drift(routed(), declared(), set(documented_roles()), published()) == []
    assert ("POST", "/bills/{bill_id}/approve") in published()  # payables' routes are in the contract


def test_a_route_added_on_one_side_only_is_named() -> None:
    routes, events, table, document = routed(), declared(), set(documented_roles()), published()
    extra = ("POST", "/invoices/{invoice_id}/tip")
    only_router = drift({**routes, extra: "invoicing"}, events, table, document)
    assert any("template routes it to None" in line for line in only_router)
    assert any("openapi.json lacks it" in line for line in only_router)
    only_template = drift(routes, {**events, extra: "invoicing.api"}, table, document)
    assert any("whose router does not answer it" in line for line in only_template)
    assert any("roles table does not name it" in line for line in only_template)
    wrong_function = drift(routes, {**events, ("GET", "/bills"): "invoicing.api"}, table, document)
    assert wrong_function == [
        "('GET', '/bills'): payables's router answers it, the template routes it to invoicing.api"
    ]
    assert drift(routes, events, table - {("GET", "/bills")}, document) == [
        "('GET', '/bills'): the roles table does not name it"
    ]
    both = "payables.api+invoicing.api"  # one route, two functions
    twice = drift(routes, {**events, ("GET", "/bills"): both}, table, document)
    assert twice == [f"('GET', '/bills'): payables's router answers it, the template routes it to {both}"]
    docs_route = ("GET", "/docs/extra")
    beside_docs = drift(routes, {**events, docs_route: "apidocs.handler"}, table | {docs_route}, document)
    assert beside_docs == [
        "('GET', '/docs/extra'): the template routes it to apidocs.handler, whose router does not answer it"
    ]


def test_the_capabilities_are_the_folders_with_triggers() -> None:
    assert set(capabilities.names()) >= {
        "intake",
        "invoicing",
        "payroll",
        "payables",
        "compliance",
        "analysis",
    }
    assert set(capabilities.routers()) <= set(capabilities.names())


def test_pyproject_packages_and_type_checks_every_package_the_functions_deploy() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packaged = {name.rstrip("*") for name in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    checked = set(project["tool"]["mypy"]["packages"])
    assert packaged == {*capabilities.packages(), "infra"}
    assert checked == {*capabilities.packages(), "infra", "bench"}


def test_a_module_over_400_lines_says_why_at_its_top() -> None:
    long = {
        path.relative_to(capabilities.FUNCTIONS).as_posix(): path.read_text(encoding="utf-8")
        for path in capabilities.FUNCTIONS.rglob("*.py")
        if len(path.read_text(encoding="utf-8").splitlines()) > 400
    }
    unexplained = [name for name, text in long.items() if "Over 400 lines" not in text.split('"""')[1]]
    assert unexplained == []
