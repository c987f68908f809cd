"""Give a document its type from the rules in `rules.toml` (data, not code branches)."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from intake.model import DocumentType, inbox_folder

RULES_PATH = Path(__file__).with_name("rules.toml")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


class FilenameRule(BaseModel):
    model_config = ConfigDict(frozen=True)

    pattern: str
    type: DocumentType

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value

    def matches(self, name: str) -> bool:
        return re.search(self.pattern, normalise(name), re.IGNORECASE) is not None


class Rules(BaseModel):
    """The classification configuration (see the comments at the top of rules.toml)."""

    min_keyword_hits: int = 1
    folders: dict[str, DocumentType] = {}
    filenames: list[FilenameRule] = []
    keywords: dict[DocumentType, list[str]] = {}


@cache
def default_rules() -> Rules:
    with RULES_PATH.open("rb") as handle:
        return Rules.model_validate(tomllib.load(handle))


@dataclass(frozen=True)
class Classification:
    type: DocumentType
    source: str  # explicit, folder, filename, keywords or default


def explicit_type(value: str | None) -> DocumentType | None:
    """The type an uploader stated, if it is one we know."""
    if not value:
        return None
    try:
        return DocumentType(value.strip().lower())
    except ValueError:
        return None


def keyword_scores(text: str, rules: Rules) -> dict[DocumentType, int]:
    folded = normalise(text)
    return {
        doc_type: sum(1 for word in words if normalise(word) in folded)
        for doc_type, words in rules.keywords.items()
    }


def classify(
    *, stated: str | None, key: str, name: str, text: str, rules: Rules | None = None
) -> Classification:
    """The type of a document, from the first rule source that has an answer."""
    rules = rules or default_rules()
    chosen = explicit_type(stated)
    if chosen:
        return Classification(chosen, "explicit")
    folder = inbox_folder(key)
    if folder and folder in rules.folders:
        return Classification(rules.folders[folder], "folder")
    for rule in rules.filenames:
        if rule.matches(name):
            return Classification(rule.type, "filename")
    named = best_by_keywords(re.sub(r"[-_.]+", " ", name), rules)
    if named:
        return Classification(named, "filename")
    found = best_by_keywords(text, rules) if text else None
    if found:
        return Classification(found, "keywords")
    return Classification(DocumentType.OTHER, "default")


def best_by_keywords(text: str, rules: Rules) -> DocumentType | None:
    """The type with the most distinct keywords in `text` (the first listed on a tie), if any has enough."""
    scores = keyword_scores(text, rules)
    best = max(scores.values(), default=0)
    if best < rules.min_keyword_hits:
        return None
    return next(doc_type for doc_type, score in scores.items() if score == best)
