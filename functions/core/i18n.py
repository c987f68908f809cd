"""Words a person reads, in their language: gettext catalogues under `functions/locale/`, written as
`.po` files and compiled to `.mo` by `make messages` (Babel). English is the source language."""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

DOMAIN = "backoffice"
LOCALES = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES = ("en", "th", "vi")
COUNTRY_LANGUAGE = {"TH": "th", "VN": "vi"}


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALES, languages=[language], fallback=True)


def translator(language: str) -> Callable[[str], str]:
    """`_` for one language: the text in that language, or the English when it has none."""
    return _catalogue(language).gettext


def N_(text: str) -> str:
    """Mark a text for the catalogues where it is defined; `_()` translates it where it is shown."""
    return text


def reader_language(accept_language: str | None, country: str) -> str:
    """The first of the reader's languages (an Accept-Language header) that we write, else the
    office's."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return language_of(None, country)


def language_of(preferred: str | None, country: str) -> str:
    """The reader's language if known, else the one of the office's country, else English."""
    return preferred if preferred in LANGUAGES else COUNTRY_LANGUAGE.get(country, "en")


class Word(str):
    """A parameter of a sentence that is itself a text of the catalogues ("invoice", a field's name,
    "{field} (line {line})" with its own parameters), written in the sentence's language with it. As a
    string it is the English."""

    text: str
    params: dict[str, Any]

    def __new__(cls, text: str, **params: Any) -> Word:
        word = super().__new__(cls, say("en", text, params))
        word.text, word.params = text, params
        return word


def say(language: str, text: str, params: Mapping[str, Any] | None = None) -> str:
    """A text of the catalogues in `language`, its `{name}` placeholders filled: a `Word` in the same
    language, a number grouped as the reader writes it, a list as "a, b"."""
    from core.money import display_number  # here: core.money marks its own refusals with N_

    _ = translator(language)

    def written(value: Any) -> str:
        if isinstance(value, Word):
            return say(language, value.text, value.params)
        if isinstance(value, Enum):  # a state or a kind: its words ("partially_paid" is "partially paid")
            return _(str(value.value).replace("_", " "))
        if isinstance(value, Decimal):
            return display_number(value, language)
        if isinstance(value, (list, tuple)):
            return ", ".join(written(item) for item in value)
        return str(value)

    return _(text).format(**{name: written(value) for name, value in params.items()}) if params else _(text)
