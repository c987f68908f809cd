"""Every text the functions and the portal show a person exists in Thai and Vietnamese, with the same
placeholders, and the compiled catalogues the functions and the browser read are the ones written; every
refusal the server writes is such a text, and every field a request carries has a name in words."""

import ast
import gettext
import json
import string
from collections.abc import Iterator

import pytest

from core.validation import FIELDS
from infra.messages import DOMAINS, FUNCTIONS, FUNCTIONS_DOMAIN, PORTAL_DOMAIN, TRANSLATED, Domain

CASES = [(domain, language) for domain in DOMAINS for language in TRANSLATED]
IDS = [f"{domain.name}-{language}" for domain, language in CASES]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_code_and_the_portal_have_texts_to_translate() -> None:
    assert len(list(FUNCTIONS_DOMAIN.texts())) >= 8
    portal = {text for _, text in PORTAL_DOMAIN.texts()}
    assert {"Record a payment", "Sign out ({who})", "Invoices"} <= portal  # HTML and t("…") alike


@pytest.mark.parametrize(("domain", "language"), CASES, ids=IDS)
def test_every_text_has_a_translation_with_the_same_placeholders(domain: Domain, language: str) -> None:
    translations = {m.id: m.string for m in domain.catalogue(language) if m.id}
    missing = sorted({f"{text!r} ({where})" for where, text in domain.texts() if not translations.get(text)})
    assert not missing
    wrong = [
        text for text, translated in translations.items() if fields(str(text)) != fields(str(translated))
    ]
    assert not wrong


@pytest.mark.parametrize(("domain", "language"), CASES, ids=IDS)
def test_the_compiled_catalogue_is_the_written_one(domain: Domain, language: str) -> None:
    written = {str(m.id): str(m.string) for m in domain.catalogue(language) if m.id}
    target = domain.target(language)
    if target.suffix == ".json":
        read = json.loads(target.read_text(encoding="utf-8"))
        assert read == written, "run `make messages`"
        return
    with target.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert {text: compiled.gettext(text) for text in written} == written, "run `make messages`"


REFUSALS = {
    "DomainError",
    "Malformed",
    "Unauthenticated",
    "Forbidden",
    "NotFound",
    "Conflict",
    "ConditionFailed",
}
REFUSALS |= {"Invalid", "Busy", "MoneyError", "field_error", "Problem"}
TEXT_AT = {"Problem": 1, "field_error": 1}  # where the text is among the positional arguments


def _words_of_the_catalogues(node: ast.expr) -> bool:
    """A text marked for the catalogues (`N_("…")`), or a name or attribute that holds one; never an
    f-string, a `str(error)` or a sum, whose words no catalogue can hold."""
    if isinstance(node, ast.IfExp):
        return _words_of_the_catalogues(node.body) and _words_of_the_catalogues(node.orelse)
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "N_"
    return isinstance(node, (ast.Name, ast.Attribute))


def _refusals() -> Iterator[tuple[str, ast.Call, ast.expr]]:
    """(where, call, text) of every refusal built in the functions' code, and every ValueError raised
    in a pydantic validator (pydantic passes its words to the reader)."""
    for path in sorted(FUNCTIONS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        validators = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            and any("validator" in ast.unparse(d) for d in node.decorator_list)
        ]
        checked = {id(call) for v in validators for call in ast.walk(v) if isinstance(call, ast.Call)}
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
                continue
            name = call.func.id
            if name in REFUSALS or (name == "ValueError" and id(call) in checked):
                at = TEXT_AT.get(name, 0)
                if len(call.args) > at:
                    yield f"{path.relative_to(FUNCTIONS)}:{call.lineno}", call, call.args[at]


def test_every_refusal_the_server_writes_is_a_text_of_the_catalogues() -> None:
    """With the test above, every problem's detail and field message has its Thai and Vietnamese."""
    refusals = list(_refusals())
    assert len(refusals) > 100
    unmarked = [
        f"{where}: {ast.unparse(text)}" for where, _, text in refusals if not _words_of_the_catalogues(text)
    ]
    assert not unmarked


def test_every_field_a_request_may_carry_has_a_name_in_words() -> None:
    spec = json.loads((FUNCTIONS / "apidocs" / "openapi.json").read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    names: set[str] = set()
    seen: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            ref = str(node.get("$ref", "")).rsplit("/", 1)[-1]
            if ref and ref not in seen:
                seen.add(ref)
                walk(schemas[ref])
            names.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for operations in spec["paths"].values():
        for operation in operations.values():
            walk(operation.get("requestBody", {}))
            names.update(p["name"].replace("-", "_") for p in operation.get("parameters", []))
    assert not sorted(names - set(FIELDS))


@pytest.mark.parametrize("language", TRANSLATED)
def test_words_a_clerk_could_take_for_each_other_differ(language: str) -> None:
    said = {str(m.id): str(m.string) for m in PORTAL_DOMAIN.catalogue(language) if m.id}
    assert said["Cancel"] != said["Void"]  # closing a form is not voiding a cheque, on neighbouring cards
    assert said["Record a payment made"] != said["Record a payment"]  # money paid out is not money received
    every = [str(m.string) for domain in DOMAINS for m in domain.catalogue(language) if m.id]
    assert not [text for text in every if "ภาระหน้าที่" in text]  # compliance deadlines are กำหนดการยื่น
