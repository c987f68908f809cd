"""The message catalogues: every text a person reads, in Thai and Vietnamese, managed with Babel.

Two domains. The functions' texts (`_("…")` in their code) live in
`functions/locale/<lang>/LC_MESSAGES/backoffice.po`, compiled into the `.mo` the functions read
(stdlib gettext, no Babel at run time). The portal's texts (its HTML's text, labels, placeholders and
titles, and `t("…")` in its scripts) live in `web/locale/<lang>.po`, compiled into the
`web/portal/locale/<lang>.json` the browser loads. `make messages` compiles both; tests check that
every text has a translation with the same placeholders, and that each compiled file is its `.po`.
"""

from __future__ import annotations

import html.parser
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"
LOCALES = FUNCTIONS / "locale"
PORTAL = ROOT / "web" / "portal"
TRANSLATED = ("th", "vi")


def function_texts() -> Iterator[tuple[str, str]]:
    """(where, text) of every `_("…")` and `N_("…")` in the functions' code."""
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(FUNCTIONS), method_map=[("**.py", "python")], keywords={"_": None, "N_": None}
    ):
        yield f"{filename}:{lineno}", str(message)


class _PageTexts(html.parser.HTMLParser):
    """The texts of a portal page as a person reads them (not its scripts or styles)."""

    ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._inside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside.append(tag)
        self.texts += [value for name, value in attrs if name in self.ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in self._inside:
            del self._inside[len(self._inside) - 1 - self._inside[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if not text or {"script", "style"} & set(self._inside) or not re.search(r"[A-Za-z]", text):
            return
        self.texts += text.split(" · ") if self._inside[-1:] == ["title"] else [text]


CALLS = re.compile(r"""\bt\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]""")
NOT_WORDS = re.compile(
    r"^[A-Z]{3}$|^[A-Z]{2}(-[A-Z]{2})?(, [A-Z]{2}(-[A-Z]{2})?)*$|^FREQ="
)  # codes, not words


def portal_texts() -> Iterator[tuple[str, str]]:
    """(where, text) of every text of the portal's pages and every `t("…")` in its scripts."""
    for page in sorted(PORTAL.glob("*.html")):
        parser = _PageTexts()
        parser.feed(page.read_text(encoding="utf-8"))
        yield from ((page.name, text) for text in parser.texts if not NOT_WORDS.match(text))
    for script in sorted(PORTAL.rglob("*.js")):
        source = script.read_text(encoding="utf-8")
        for match in CALLS.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            yield f"{script.relative_to(PORTAL)}:{line}", json.loads(f'"{match.group(1)}"')


@dataclass(frozen=True)
class Domain:
    name: str
    texts: Callable[[], Iterator[tuple[str, str]]]
    source: Callable[[str], Path]
    target: Callable[[str], Path]

    def catalogue(self, language: str) -> Catalog:
        with self.source(language).open("rb") as handle:
            return read_po(handle, locale=language)

    def compiled(self, language: str) -> bytes:
        catalogue = self.catalogue(language)
        if self.target(language).suffix == ".json":
            translations = {str(m.id): str(m.string) for m in catalogue if m.id and m.string}
            return (json.dumps(translations, ensure_ascii=False, indent=0, sort_keys=True) + "\n").encode()
        out = io.BytesIO()
        write_mo(out, catalogue)
        return out.getvalue()


FUNCTIONS_DOMAIN = Domain(
    "functions",
    function_texts,
    lambda language: LOCALES / language / "LC_MESSAGES" / "backoffice.po",
    lambda language: LOCALES / language / "LC_MESSAGES" / "backoffice.mo",
)
PORTAL_DOMAIN = Domain(
    "portal",
    portal_texts,
    lambda language: PORTAL.parent / "locale" / f"{language}.po",
    lambda language: PORTAL / "locale" / f"{language}.json",
)
DOMAINS = (FUNCTIONS_DOMAIN, PORTAL_DOMAIN)


if __name__ == "__main__":
    for domain in DOMAINS:
        for language in TRANSLATED:
            domain.target(language).write_bytes(domain.compiled(language))
            print(domain.target(language))
