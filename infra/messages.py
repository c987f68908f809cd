"""The message catalogues: every text the functions show a person, in Thai and Vietnamese.

`make messages` compiles each `functions/locale/<lang>/LC_MESSAGES/backoffice.po` into the `.mo` the
functions read (stdlib gettext, no Babel at run time); tests check that every text the code passes to
`_()` has a translation with the same placeholders, and that each `.mo` is its `.po` compiled.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"
LOCALES = FUNCTIONS / "locale"
TRANSLATED = ("th", "vi")


def source_texts() -> Iterator[tuple[str, str]]:
    """(where, text) of every `_("…")` in the functions' code."""
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(FUNCTIONS), method_map=[("**.py", "python")], keywords={"_": None}
    ):
        yield f"{filename}:{lineno}", str(message)


def catalogue(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / "backoffice.po").open("rb") as handle:
        return read_po(handle, locale=language)


def compiled(language: str) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalogue(language))
    return out.getvalue()


if __name__ == "__main__":
    for language in TRANSLATED:
        target = LOCALES / language / "LC_MESSAGES" / "backoffice.mo"
        target.write_bytes(compiled(language))
        print(target)
