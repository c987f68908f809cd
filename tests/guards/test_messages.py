"""Every text the code shows a person exists in Thai and Vietnamese, with the same placeholders, and
the catalogues the functions read are the ones written."""

import gettext
import string

import pytest

from infra.messages import LOCALES, TRANSLATED, catalogue, source_texts


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_code_has_texts_to_translate() -> None:
    assert len(list(source_texts())) >= 8


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_has_a_translation_with_the_same_placeholders(language: str) -> None:
    translations = {m.id: m.string for m in catalogue(language) if m.id}
    missing = [f"{where}: {text!r}" for where, text in source_texts() if not translations.get(text)]
    assert not missing
    wrong = [
        text for text, translated in translations.items() if fields(str(text)) != fields(str(translated))
    ]
    assert not wrong


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_the_written_one(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "backoffice.mo").open("rb") as handle:
        read = gettext.GNUTranslations(handle)
    written = {str(m.id): str(m.string) for m in catalogue(language) if m.id}
    assert {text: read.gettext(text) for text in written} == written, "run `make messages`"
