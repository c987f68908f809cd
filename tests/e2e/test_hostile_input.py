"""Hostile and odd input at the HTTP edge: always a problem document, never a 5xx, never a crash."""

import json
from typing import Any

import pytest

from tests.e2e.conftest import RunningCloud

pytestmark = pytest.mark.e2e


def post(
    cloud: RunningCloud, path: str, raw: bytes, content_type: str = "application/json"
) -> tuple[int, Any]:
    status, headers, body = cloud.request(
        "POST",
        path,
        raw=raw,
        headers={"authorization": f"Bearer {cloud.token()}", "content-type": content_type},
    )
    parsed = json.loads(body) if body and "json" in headers.get("content-type", "") else body
    return status, parsed


def invoice(name: str = "Ánh Dương", price: Any = "10.00", description: str = "Service") -> bytes:
    body = {
        "customer": {"name": name, "email": "hostile@example.com"},
        "lines": [{"description": description, "quantity": "1", "unit_price": price}],
    }
    return json.dumps(body, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("raw", "content_type", "status"),
    [
        (b'{"customer": ', "application/json", 400),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400),
        (invoice().replace(b'"10.00"', b"NaN"), "application/json", 400),
        (invoice().replace(b'"10.00"', b"Infinity"), "application/json", 400),
        (invoice().replace(b'"10.00"', b"1e400"), "application/json", 422),
        (invoice(price="-5"), "application/json", 422),
        (invoice(price="0.00001"), "application/json", 422),
        (invoice(name="Null\u0000byte"), "application/json", 422),
        (invoice(name="Esc\u001b[31mred"), "application/json", 422),
        (b"<invoice/>", "application/xml", 415),
        (invoice(description="x" * 7_000_000), "application/json", 413),
    ],
    ids=[
        "truncated",
        "deeply-nested",
        "nan",
        "infinity",
        "1e400",
        "negative",
        "too-precise",
        "nul",
        "escape",
        "xml",
        "7-mb",
    ],
)
def test_bad_bodies_get_a_clear_4xx(office: RunningCloud, raw: bytes, content_type: str, status: int) -> None:
    got, body = post(office, "/invoices", raw, content_type)
    assert got == status, body
    if status != 413:  # API Gateway itself answers that one, before any function
        assert body["status"] == status and body["type"].startswith("https://")


def test_any_script_right_to_left_marks_emoji_and_markup_are_kept_as_text(office: RunningCloud) -> None:
    name = "\u202bשלום\u202c 😀 <script>alert('x')</script> บริษัท"
    status, created = post(office, "/invoices", invoice(name=name, description='=HYPERLINK("http://evil")'))
    assert status == 201 and created["customer"]["name"] == name
    status, _, pdf = office.request(
        "GET", f"/invoices/{created['id']}/pdf", headers={"authorization": f"Bearer {office.token()}"}
    )
    assert status == 200 and pdf.startswith(b"%PDF")
    status, _, csv = office.request(
        "GET", "/reports/receivables?format=csv", headers={"authorization": f"Bearer {office.token()}"}
    )
    assert status == 200
    assert all(
        not cell.startswith(("=", "+", "-", "@"))
        for line in csv.decode().splitlines()
        for cell in line.split(",")
    )
