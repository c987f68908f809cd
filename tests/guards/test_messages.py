"""Every text the functions and the portal show a person exists in Thai and Vietnamese, with the same
placeholders, and the compiled catalogues the functions and the browser read are the ones written."""

import gettext
import json
import string

import pytest

from infra.messages import DOMAINS, FUNCTIONS_DOMAIN, PORTAL_DOMAIN, TRANSLATED, Domain

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
