"""Amounts written in words, as Thai and Vietnamese invoices show the total.

Thai comes from num2words. Vietnamese is written here: num2words drops "không trăm" in a group after
the first (1,050,500 → "một triệu năm mươi nghìn năm trăm"), where accountants write every group but
the first with its hundreds ("một triệu không trăm năm mươi nghìn năm trăm"), and a group of zeros
not at all. The rules (Vietnamese number reading, as on invoices):

- the number is read in groups of three digits, named nghìn, triệu, tỷ, then nghìn tỷ, triệu tỷ…;
- a group after the first always says its hundreds, "không trăm" included; a group of zeros is skipped;
- tens: 10 "mười", 2x–9x "… mươi"; a zero ten after hundreds is "lẻ" (105 "một trăm lẻ năm");
- units: 5 after a ten is "lăm" (15 "mười lăm", 25 "hai mươi lăm"), 1 after "mươi" is "mốt" (21 "hai
  mươi mốt", but 11 "mười một"), 4 after "mươi" is "bốn" (as num2words and most invoice software).
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ((10**6, "triệu"), (10**3, "nghìn"), (1, ""))
BILLION = 10**9  # tỷ; above it the groups start again: nghìn tỷ, triệu tỷ, tỷ tỷ


def _three(value: int, *, leading: bool) -> list[str]:
    """One group of three digits; `leading` for the first group read (no "không trăm", no "lẻ")."""
    hundreds, tens, units = value // 100, value // 10 % 10, value % 10
    words: list[str] = []
    if not leading or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += (["lẻ"] if words else []) + [DIGITS[units]]
        return words
    words += ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 5:
        words.append("lăm")
    elif units == 1 and tens > 1:
        words.append("mốt")
    elif units:
        words.append(DIGITS[units])
    return words


def _words(number: int, *, leading: bool) -> list[str]:
    """A positive number read in groups; `leading` if nothing is read before it."""
    if number >= BILLION:
        high, low = divmod(number, BILLION)
        return _words(high, leading=leading) + ["tỷ"] + (_words(low, leading=False) if low else [])
    words: list[str] = []
    for power, name in GROUPS:
        group = number // power % 1000
        if group:
            words += _three(group, leading=leading and not words) + ([name] if name else [])
    return words


def vietnamese(number: int) -> str:
    """A whole number in Vietnamese words, lower case ("một triệu không trăm năm mươi nghìn năm trăm")."""
    if number < 0:
        return "âm " + vietnamese(-number)
    return " ".join(_words(number, leading=True)) if number else DIGITS[0]


def amount_in_words(amount: Decimal, currency: str, language: str) -> str | None:
    """The amount in the words of `language`, or None where the documents do not ask for it.

    Thai baht: "หนึ่งพันหกร้อยห้าบาทถ้วน" (whole baht) or "…บาทห้าสิบสตางค์"; Vietnamese đồng:
    "Một triệu sáu trăm lẻ năm nghìn đồng".
    """
    if language == "th" and currency == "THB":
        from num2words import num2words

        return str(num2words(amount, lang="th", to="currency", currency="THB"))
    if language == "vi" and currency == "VND":
        words = vietnamese(int(amount))
        return f"{words[:1].upper()}{words[1:]} đồng"
    return None
