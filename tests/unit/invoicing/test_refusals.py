"""What the invoice endpoint says when it refuses a form: in the reader's language (Accept-Language),
naming each field in words, never pydantic's English or its regular expressions."""

import json
from typing import Any

import pytest

from core.errors import Invalid
from core.problems import problem_of
from invoicing.api import app
from invoicing.model import Customer
from invoicing.rules import check_customer
from tests.unit.test_api import event

BAD_BRANCH = {
    "customer": {"name": "บริษัท สยามบัญชี จำกัด", "email": "ap@siam.example", "branch": "1x"},
    "currency": "THB",
    "lines": [{"description": "ค่าบริการ", "quantity": "1", "unit_price": "12000"}],
}


def refused(body: dict[str, Any], language: str | None) -> tuple[dict[str, str], dict[str, Any]]:
    request = event("POST", "/invoices", json.dumps(body))
    if language:
        request["headers"]["accept-language"] = language
    response = app.resolve(request, None)
    assert response["statusCode"] == 422
    return response["headers"], json.loads(response["body"])


@pytest.mark.parametrize(
    ("language", "title", "message"),
    [
        ("th-TH,th;q=0.9,en;q=0.5", "ข้อมูลที่ส่งไม่ถูกต้อง", "สาขา: ตัวเลขไม่เกิน 5 หลัก 00000 สำหรับสำนักงานใหญ่"),
        ("vi", "Thông tin gửi lên chưa hợp lệ", "Chi nhánh: tối đa 5 chữ số, 00000 cho trụ sở chính"),
        (None, "Your request is not valid", "Branch: up to five digits, 00000 for the head office"),
    ],
)
def test_a_bad_branch_is_refused_in_the_reader_s_language_naming_the_field(
    language: str | None, title: str, message: str
) -> None:
    headers, problem = refused(BAD_BRANCH, language)
    assert problem["type"].endswith("/validation") and problem["title"] == title
    (error,) = problem["errors"]
    assert (error["pointer"], error["code"], error["message"]) == (
        "/customer/branch",
        "string_pattern_mismatch",
        message,
    )
    assert message.split(":")[0] in problem["detail"]  # the summary names the field too
    assert headers["Content-Language"] == (language or "en")[:2]


def test_pydantic_s_own_words_never_reach_the_reader() -> None:
    body = {"customer": {"email": "not an address"}, "currency": "baht", "lines": [{"unit_price": "x"}]}
    _, problem = refused(body, "th")
    said = " ".join([problem["detail"], *(error["message"] for error in problem["errors"])])
    for english in ("Field required", "String should", "Input should", "pattern", "^[", "valid decimal"):
        assert english not in said
    assert "อีเมล: ที่อยู่อีเมล เช่น name@example.com" in said and "ชื่อ: กรุณากรอก" in said
    assert "ราคาต่อหน่วย (รายการที่ 1): เขียนเป็นตัวเลข เช่น 12,000.50" in said  # the amount's field named


def test_a_domain_refusal_is_written_in_the_reader_s_language_with_its_parameters() -> None:
    company = Customer(name="บริษัท สยามบัญชี จำกัด", email="ap@siam.example", tax_id="0105556000017")
    with pytest.raises(Invalid) as error:
        check_customer(company, "TH")
    thai = problem_of(error.value).to_dict(language="th")
    assert thai["detail"] == "สาขา: สาขาของบริษัทไทย: 00000 สำหรับสำนักงานใหญ่ หรือเลขที่สาขา"
    assert (
        thai["errors"][0]["message"] == thai["detail"] and thai["errors"][0]["pointer"] == "/customer/branch"
    )
