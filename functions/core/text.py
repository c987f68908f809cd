"""Free text that people type (names, descriptions, notes): any script, no control characters.

Thai, Vietnamese, right-to-left text and emoji are welcome; control characters (NUL, escape codes,
bidi-breaking C1 codes) are not — they break PDFs, CSV files and terminals, and no one types them.
Line breaks and tabs are allowed where a field is multi-line.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator


def _single_line(value: str) -> str:
    return _checked(value, allowed="")


def _multi_line(value: str) -> str:
    return _checked(value, allowed="\n\r\t")


def _checked(value: str, allowed: str) -> str:
    for char in value:
        if char not in allowed and unicodedata.category(char) == "Cc":
            raise ValueError(f"control character U+{ord(char):04X} is not allowed")
    return unicodedata.normalize("NFC", value)


SingleLine = Annotated[str, AfterValidator(_single_line)]
"""One line of text (a name, a title, a description)."""

MultiLine = Annotated[str, AfterValidator(_multi_line)]
"""Text that may span lines (an address, notes)."""
