"""`backoffice seed-demo` on a fresh local cloud shows every capability at work."""

import io
import json
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.e2e.conftest import ROOT, RunningCloud, office_today, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    cloud = RunningCloud(ROOT / "template.yaml", tmp_path_factory.mktemp("demo") / "state").start()
    yield cloud
    cloud.stop()


def get(cloud: RunningCloud, path: str) -> Any:
    status, _, body = cloud.request("GET", path, headers={"authorization": f"Bearer {cloud.token()}"})
    assert status == 200, body
    return json.loads(body)


def test_seed_demo_fills_every_capability(fresh: RunningCloud, tmp_path: Path) -> None:
    result = fresh.cli("seed-demo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "invoices     issued, partially paid, paid, overdue, void, credited and a draft" in result.stdout

    documents = wait_for(
        lambda: get(fresh, "/documents")["items"] if len(get(fresh, "/documents")["items"]) >= 4 else None
    )
    statuses = {d["original_name"]: d["status"] for d in documents}
    assert (
        statuses["invoice-viewer.pdf.exe"] == "quarantined"
        and statuses["ACME invoice INV-7731.pdf"] == "filed"
    )
    invoices = {i["status"] for i in get(fresh, "/invoices?limit=200")["items"]}
    assert {"issued", "partially_paid", "paid", "overdue", "void", "draft"} <= invoices
    (run,) = get(fresh, "/payruns")["items"]
    assert run["status"] == "received"
    assert (
        len(get(fresh, "/obligations?limit=200")["items"]) == 8 + 3
    )  # the calendar, three months of history
    # emails leave through the delivery queue, after the seed's own requests
    subjects = wait_for(lambda: reminded(fresh), timeout=60)
    assert "Your pay cheque is ready for pickup" in subjects  # Maria reads the office's English
    assert "เช็คเงินเดือนของคุณพร้อมให้รับแล้ว" in subjects  # Somsri reads Thai
    assert any(s.startswith("Invoice INV-") for s in subjects)  # ACME reads the office's English
    assert any(s.startswith("ใบแจ้งหนี้ INV-") for s in subjects)  # Siam Bancheee reads Thai


def reminded(cloud: RunningCloud) -> set[str] | None:
    """The outbox's subjects once the overdue reminder is among them (Ánh Dương reads Vietnamese)."""
    subjects = {m["subject"] for m in cloud.get("/_local/outbox")}
    return subjects if any(s.startswith("Nhắc nhở: hóa đơn") for s in subjects) else None


def recomputed(cloud: RunningCloud, months: list[str]) -> dict[str, dict[str, Any]]:
    """The figures, worked out again from the records themselves (not from the analysis table)."""
    zone = ZoneInfo(cloud.get("/_local/resources")["timezone"])
    out: dict[str, dict[str, Any]] = {m: defaultdict(lambda: Decimal(0)) for m in months}

    def add(month: str, name: str, value: Any = 1) -> None:
        if month in out:
            out[month][name] += Decimal(str(value))

    for invoice in get(cloud, "/invoices?limit=200")["items"]:
        if invoice["number"] and invoice["issue_date"]:
            add(invoice["issue_date"][:7], "issued")
            add(invoice["issue_date"][:7], f"issued_total.{invoice['currency']}", invoice["total"])
        for payment in invoice["payments"]:
            add(payment["date"][:7], f"collected.{invoice['currency']}", payment["amount"])
        if invoice["status"] == "paid" and invoice["payments"]:
            last = max(p["date"] for p in invoice["payments"])
            add(last[:7], "paid")
            add(last[:7], "paid_on_time", int(last <= invoice["due_date"]))
    for obligation in get(cloud, "/obligations?limit=200")["items"]:
        month = obligation["effective_due_date"][:7]
        if obligation["status"] != "archived":
            add(month, "due")
        if obligation["status"] == "completed":
            on_time = obligation["completed_on"] <= obligation["effective_due_date"]
            add(month, "completed_on_time" if on_time else "completed_late")
    for document in get(cloud, "/documents?limit=100")["items"]:
        month = datetime.fromisoformat(document["uploaded_at"]).astimezone(zone).strftime("%Y-%m")
        add(month, "received")
        add(month, document["status"])
    return out


def reported(cloud: RunningCloud, month: str) -> dict[str, dict[str, Any]]:
    report = get(cloud, f"/reports/office-analysis?month={month}")
    out = {}
    for row in report["figures"]:
        inv, obl, doc = row["invoicing"], row["compliance"], row["intake"]
        figures: dict[str, Any] = {
            "issued": inv["issued"],
            "paid": inv["paid"],
            "due": obl["due"],
            "completed_on_time": obl["completed_on_time"],
            "completed_late": obl["completed_late"],
            "received": doc["received"],
            "filed": doc["filed"],
            "quarantined": doc["quarantined"],
            "duplicate": doc["duplicate"],
            "paid_on_time": round(Decimal(str(inv["paid_on_time_share"] or 0)) * Decimal(str(inv["paid"]))),
        }
        figures.update({f"issued_total.{c}": v for c, v in inv["issued_total"].items()})
        figures.update({f"collected.{c}": v for c, v in inv["collected"].items()})
        out[row["month"]] = {k: Decimal(str(v)) for k, v in figures.items() if Decimal(str(v))}
    return out


def test_the_office_analysis_matches_the_records_it_was_counted_from(fresh: RunningCloud) -> None:
    month = office_today(fresh).strftime("%Y-%m")
    report = get(fresh, f"/reports/office-analysis?month={month}")
    months = report["months"]

    def agree() -> bool:
        expected = {m: {k: v for k, v in f.items() if v} for m, f in recomputed(fresh, months).items()}
        return reported(fresh, month) == expected

    wait_for(agree, timeout=30)  # the streams deliver within moments
    figures = reported(fresh, month)
    assert sum(1 for m in months if figures[m].get("issued")) >= 4  # history over several months
    assert set(report["charts"]) == {
        *("documents", "invoicing", "dso", "cheques", "compliance"),
        *("invoicing-THB", "dso-THB"),  # the demo office also invoices in baht: its money has charts too
    }
    status, headers, body = fresh.request(
        "GET",
        f"/reports/office-analysis?month={month}&format=csv",
        headers={"authorization": f"Bearer {fresh.token()}"},
    )
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert body.decode().splitlines()[0] == ",".join(["figure", *months])


def test_the_monthly_run_stores_a_pdf_with_charts_and_emails_it_once(
    fresh: RunningCloud, tmp_path: Path
) -> None:
    today = office_today(fresh)
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)  # the 1st of next month
    schedule = next(
        s["name"]
        for s in fresh.get("/_local/resources")["schedules"]
        if s["function"] == "AnalysisMonthlyFunction"
    )
    for _ in range(2):  # a retried run sends nothing twice
        status, _, body = fresh.request("POST", f"/_local/schedules/{schedule}", {"at": f"{first}T06:00"})
        assert status == 200 and json.loads(body)["ok"], body
    month = today.strftime("%Y-%m")
    key = f"reports/office-analysis/{month}.pdf"
    document = (
        fresh.client("s3").get_object(Bucket=fresh.get("/_local/resources")["bucket"], Key=key)["Body"].read()
    )
    assert document.startswith(b"%PDF")
    sent = [m for m in fresh.get("/_local/outbox") if m["subject"] == f"Office analysis {month}"]
    assert len(sent) == 1
    attached = [a["filename"] for a in fresh.get(f"/_local/outbox/{sent[0]['id']}")["attachments"]]
    assert attached == [f"office-analysis-{month}.pdf", f"monthly-summary-{month}.pdf"]
    books = fresh.client("s3").get_object(
        Bucket=fresh.get("/_local/resources")["bucket"], Key=f"reports/monthly-summary/{month}.pdf"
    )
    assert "Closed" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(books["Body"].read())).pages)
    (tmp_path / "report.pdf").write_bytes(document)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(tmp_path / "report.pdf"), str(tmp_path / "page")], check=True
    )
    blue = sum(
        1
        for page in sorted(tmp_path.glob("page-*.png"))
        for pixel in Image.open(page).convert("RGB").getdata()
        if abs(pixel[0] - 0x0B) < 30 and abs(pixel[1] - 0x5C) < 30 and abs(pixel[2] - 0xAD) < 30
    )
    assert blue > 500, "the charts were not drawn"  # bars and lines in the report's first colour
    artifacts = ROOT / "test-artifacts" / "analysis"
    artifacts.mkdir(parents=True, exist_ok=True)
    for page in tmp_path.glob("page-*.png"):
        (artifacts / page.name).write_bytes(page.read_bytes())


def test_seed_demo_says_plainly_when_the_cloud_is_not_running(tmp_path: Path) -> None:
    idle = RunningCloud(ROOT / "template.yaml", tmp_path / "state")
    result = idle.cli("seed-demo")
    assert result.returncode == 1 and "not running" in result.stderr and "Traceback" not in result.stderr


def test_a_vietnamese_office_gets_its_demo_with_vat_invoices(tmp_path: Path) -> None:
    office = RunningCloud(
        ROOT / "template.yaml",
        tmp_path / "state",
        parameters={"OfficeCountry": "VN", "BusinessTaxId": "0100233488"},
    ).start()
    try:
        result = office.cli("seed-demo")
        assert result.returncode == 0, result.stdout + result.stderr
        invoices = get(office, "/invoices?limit=200")["items"]
        rates = {line["tax_rate"] for invoice in invoices for line in invoice["lines"]}
        assert rates <= {"0", "5", "8", "10"}
        issued = next(i for i in invoices if i["number"] and i["currency"] == "USD")
        status, _, body = office.request(
            "GET", f"/invoices/{issued['id']}/pdf", headers={"authorization": f"Bearer {office.token()}"}
        )
        assert status == 200
        text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
        assert text.startswith("HÓA ĐƠN GIÁ TRỊ GIA TĂNG / VAT INVOICE") and "Mẫu số / Form 1" in text
    finally:
        office.stop()
