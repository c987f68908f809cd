"""Words a person reads, in their language: gettext catalogues under `functions/locale/`, written as
`.po` files and compiled to `.mo` by `make messages` (Babel). English is the source language."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

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
