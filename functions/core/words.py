"""Amounts written in words, as Thai and Vietnamese invoices show the total (num2words)."""

from __future__ import annotations

from decimal import Decimal


def amount_in_words(amount: Decimal, currency: str, language: str) -> str | None:
    """The amount in the words of `language`, or None where the documents do not ask for it.

    Thai baht: "หนึ่งพันหกร้อยห้าบาทถ้วน" (whole baht) or "…บาทห้าสิบสตางค์"; Vietnamese đồng:
    "Một triệu sáu trăm lẻ năm nghìn đồng".
    """
    from num2words import num2words

    if language == "th" and currency == "THB":
        return str(num2words(amount, lang="th", to="currency", currency="THB"))
    if language == "vi" and currency == "VND":
        words = str(num2words(int(amount), lang="vi"))
        return f"{words[:1].upper()}{words[1:]} đồng"
    return None
