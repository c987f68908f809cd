"""Settings read from the function's environment, as declared in template.yaml."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo


class MissingSetting(RuntimeError):
    """An environment variable the code needs is not declared for this function."""


def env(name: str, environ: Mapping[str, str] | None = None) -> str:
    """Return a required environment variable, or fail naming it."""
    value = (os.environ if environ is None else environ).get(name)
    if not value:
        raise MissingSetting(f"environment variable {name} is not set for this function")
    return value


@dataclass(frozen=True)
class Settings:
    """What every function knows about the office it runs for."""

    stage: str
    timezone: ZoneInfo
    default_currency: str
    country: str = "US"
    usual_tax_rate: Decimal = Decimal(0)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        source = os.environ if environ is None else environ
        return cls(
            stage=source.get("STAGE", "dev"),
            timezone=ZoneInfo(source.get("BUSINESS_TIMEZONE", "UTC")),
            default_currency=source.get("DEFAULT_CURRENCY", "USD"),
            country=source.get("OFFICE_COUNTRY", "US"),
            usual_tax_rate=Decimal(source.get("USUAL_TAX_RATE", "0")),
        )


@cache
def settings() -> Settings:
    """The settings of this process, read once."""
    return Settings.from_env()
