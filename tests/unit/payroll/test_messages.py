"""Employees read about their cheque in their language, else the office's."""

from datetime import date
from decimal import Decimal

from payroll.messages import cheque_ready, pickup_reminder, unclaimed_wages
from payroll.model import Cheque, Delivery, Employee
from tests.builders import cheque


def somsri_s() -> Cheque:
    return cheque(
        employee_id="E-1003",
        employee_name="สมศรี แก้วมณี",
        amount=Decimal("18432.00"),
        currency="THB",
        pay_date=date(2026, 11, 30),
    )


def employee(language: str | None, delivery: Delivery = Delivery.PICKUP) -> Employee:
    return Employee(
        id="E-1003", name="สมศรี แก้วมณี", email="somsri.k@example.com", delivery=delivery, language=language
    )


def test_a_thai_employee_reads_that_her_cheque_is_ready_in_thai() -> None:
    subject, text = cheque_ready(somsri_s(), employee("th"), "US", "ห้องบัญชี ชั้น 3 จันทร์–ศุกร์ 9:00–17:00")
    assert subject == "เช็คเงินเดือนของคุณพร้อมให้รับแล้ว"
    assert text == (
        "เรียน สมศรี แก้วมณี\n\nเช็คจำนวน 18432.00 THB งวดวันที่ 2026-11-30 พร้อมให้รับที่ "
        "ห้องบัญชี ชั้น 3 จันทร์–ศุกร์ 9:00–17:00 กรุณานำบัตรประจำตัวที่มีรูปถ่ายมาด้วย\n"
    )


def test_the_office_s_country_speaks_for_an_employee_without_a_language() -> None:
    subject, _ = pickup_reminder(somsri_s(), employee(None), 3, "VN")
    assert subject == "Nhắc nhở: séc lương của bạn đang chờ tại văn phòng"
    subject, text = unclaimed_wages(somsri_s(), employee(None, Delivery.MAIL), "US")
    assert subject == "Unclaimed wages: please contact us" and "as the law requires." in text
