"""Amounts in words as a Vietnamese accountant writes them on an invoice, each worked out by hand."""

from decimal import Decimal

import pytest

from core.words import amount_in_words, vietnamese

HAND_WORKED = {
    0: "không",
    1: "một",
    5: "năm",
    10: "mười",
    11: "mười một",
    14: "mười bốn",
    15: "mười lăm",
    20: "hai mươi",
    21: "hai mươi mốt",
    24: "hai mươi bốn",
    25: "hai mươi lăm",
    55: "năm mươi lăm",
    100: "một trăm",
    101: "một trăm lẻ một",
    105: "một trăm lẻ năm",
    110: "một trăm mười",
    115: "một trăm mười lăm",
    121: "một trăm hai mươi mốt",
    1_000: "một nghìn",
    1_005: "một nghìn không trăm lẻ năm",
    2_005: "hai nghìn không trăm lẻ năm",
    2_050: "hai nghìn không trăm năm mươi",
    10_000: "mười nghìn",
    15_000: "mười lăm nghìn",
    100_000: "một trăm nghìn",
    105_000: "một trăm lẻ năm nghìn",
    1_000_000: "một triệu",
    1_000_050: "một triệu không trăm năm mươi",
    1_050_500: "một triệu không trăm năm mươi nghìn năm trăm",
    1_605_000: "một triệu sáu trăm lẻ năm nghìn",
    12_000_000: "mười hai triệu",
    12_840_000: "mười hai triệu tám trăm bốn mươi nghìn",
    64_860_000: "sáu mươi bốn triệu tám trăm sáu mươi nghìn",
    1_000_000_000: "một tỷ",
    1_000_000_005: "một tỷ không trăm lẻ năm",
    1_005_000_000: "một tỷ không trăm lẻ năm triệu",
    2_500_000_000: "hai tỷ năm trăm triệu",
    1_002_000_000_000: "một nghìn không trăm lẻ hai tỷ",
}


@pytest.mark.parametrize(("number", "words"), sorted(HAND_WORKED.items()))
def test_each_hand_worked_amount_reads_as_an_accountant_writes_it(number: int, words: str) -> None:
    assert vietnamese(number) == words


def test_the_total_on_a_vietnamese_invoice_starts_with_a_capital_and_ends_in_dong() -> None:
    written = "Một triệu không trăm năm mươi nghìn năm trăm đồng"
    assert amount_in_words(Decimal(1050500), "VND", "vi") == written
    assert amount_in_words(Decimal(1050500), "USD", "vi") is None  # only đồng are written out


def test_thai_baht_still_read_in_thai() -> None:
    assert amount_in_words(Decimal("1605.50"), "THB", "th") == "หนึ่งพันหกร้อยห้าบาทห้าสิบสตางค์"
