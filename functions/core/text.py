"""Free text that people type (names, descriptions, notes): any script, no control characters.

Thai, Vietnamese, right-to-left text and emoji are welcome; control characters (NUL, escape codes,
bidi-breaking C1 codes) are not — they break PDFs, CSV files and terminals, and no one types them.
Line breaks and tabs are allowed where a field is multi-line.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator

from core.i18n import N_


def _single_line(value: str) -> str:
    return _checked(value, allowed="")


def _multi_line(value: str) -> str:
    return _checked(value, allowed="\n\r\t")


def _checked(value: str, allowed: str) -> str:
    for char in value:
        if char not in allowed and unicodedata.category(char) == "Cc":
            raise ValueError(N_("control characters (such as tabs) are not allowed"))
    return unicodedata.normalize("NFC", value)


SingleLine = Annotated[str, AfterValidator(_single_line)]
"""One line of text (a name, a title, a description)."""

MultiLine = Annotated[str, AfterValidator(_multi_line)]
"""Text that may span lines (an address, notes)."""


BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def file_name(value: str, default: str = "unnamed") -> str:
    """A file name fit for an S3 key, object metadata and a Content-Disposition header: no folders,
    no control characters (a CR/LF would split a header) and no bidirectional overrides (which make
    `invoice‮fdp.exe` read as `invoiceexe.pdf`)."""
    kept = "".join(" " if unicodedata.category(c) == "Cc" else c for c in value if c not in BIDI_CONTROLS)
    cleaned = " ".join(kept.replace("/", "_").replace("\\", "_").split())
    return unicodedata.normalize("NFC", cleaned).strip(" .") or default
