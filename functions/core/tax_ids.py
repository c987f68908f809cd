"""Tax identification numbers as the law of the office's country writes them (python-stdnum, which
knows each country's length and check digits)."""

from __future__ import annotations

from types import ModuleType

from core.i18n import N_


def _scheme(country: str) -> ModuleType | None:
    if country == "TH":
        from stdnum.th import tin  # 13 digits: a personal id or a company's registration number

        return tin
    if country == "VN":
        from stdnum.vn import mst  # 10 digits, or 13 for a dependent unit

        return mst
    return None


def personal_id(country: str, value: str) -> bool:
    """A Vietnamese citizen's 12-digit identity card number (CCCD), an individual's tax code since
    1 July 2025: its first three digits are the province of birth registration (001–096)."""
    digits = "".join(value.split())
    return country == "VN" and len(digits) == 12 and digits.isdigit() and 1 <= int(digits[:3]) <= 96


def tax_id_problem(country: str, value: str) -> str | None:
    """Why `value` is not a tax id of `country`, or None (countries without a scheme take any text)."""
    scheme = _scheme(country)
    if scheme is None or scheme.is_valid(value) or personal_id(country, value):
        return None
    if country == "TH":
        return N_("not a Thai tax id: 13 digits whose last is the check digit of the others")
    return N_(
        "not a Vietnamese tax code (mã số thuế: 10 digits, or 13 for a branch, with a valid check digit) "
        "nor a person's 12-digit identity number (CCCD)"
    )


def compact(country: str, value: str) -> str:
    """The tax id without spaces and dashes, where the country's scheme says how."""
    if personal_id(country, value):
        return "".join(value.split())
    scheme = _scheme(country)
    return str(scheme.compact(value)) if scheme else value
