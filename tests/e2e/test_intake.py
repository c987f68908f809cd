"""Document intake end to end: files dropped in the bucket (AWS CLI, boto3, upload form, email)."""

import json
import os
import subprocess
import urllib.request
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests import files
from tests.e2e.conftest import ROOT, RunningCloud, wait_for

pytestmark = pytest.mark.e2e

AWS_CLI = ROOT / ".tools" / "aws" / "bin" / "aws"
INVOICE = files.pdf("INVOICE 2026-118", "Bill to: Back Office Ltd", "Amount due: 1,250.00 USD")


def auth(cloud: RunningCloud, role: str = "staff") -> dict[str, str]:
    return {"authorization": f"Bearer {cloud.token(role)}"}


def api(
    cloud: RunningCloud, method: str, path: str, body: Any = None, role: str = "staff"
) -> tuple[int, Any]:
    status, _, raw = cloud.request(method, path, body, headers=auth(cloud, role))
    return status, json.loads(raw) if raw else None


def bucket(cloud: RunningCloud) -> str:
    return str(cloud.get("/_local/resources")["bucket"])


def put(cloud: RunningCloud, key: str, data: bytes) -> None:
    cloud.client("s3").put_object(Bucket=bucket(cloud), Key=key, Body=data)


def registered(cloud: RunningCloud, name: str, count: int = 1) -> list[dict[str, Any]]:
    """Wait until `count` documents with this original name are in the register."""

    def find() -> list[dict[str, Any]] | None:
        status, page = api(cloud, "GET", "/documents?limit=200")
        assert status == 200, page
        found = [d for d in page["items"] if d["original_name"] == name]
        return found if len(found) >= count else None

    return list(wait_for(find, timeout=60))


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


def test_a_file_copied_with_the_aws_cli_is_filed_under_its_real_name(
    office: RunningCloud, tmp_path: Path
) -> None:
    assert AWS_CLI.exists(), "make installs the AWS CLI into .tools/aws"
    source = tmp_path / "Hóa đơn tháng 11.pdf"
    source.write_bytes(INVOICE)
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    target = f"s3://{bucket(office)}/inbox/Hóa đơn tháng 11.pdf"
    endpoint = f"http://127.0.0.1:{office.aws_port}"
    subprocess.run(
        [str(AWS_CLI), "--endpoint-url", endpoint, "s3", "cp", str(source), target], env=env, check=True
    )

    (document,) = registered(office, "Hóa đơn tháng 11.pdf")
    assert document["status"] == "filed" and document["type"] == "vendor_invoice"
    assert document["key"].startswith("documents/vendor_invoice/") and document["key"].endswith(".pdf")
    status, detail = api(office, "GET", f"/documents/{document['id']}")
    assert status == 200 and fetch(detail["download_url"]) == INVOICE
    listing = office.client("s3").list_objects_v2(Bucket=bucket(office), Prefix="inbox/")
    assert listing.get("KeyCount", 0) == 0


def _multipart(fields: dict[str, str], data: bytes, name: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_the_upload_form_posts_straight_to_the_inbox_with_the_stated_type(office: RunningCloud) -> None:
    request = {"filename": "ACME November.pdf", "content_type": "application/pdf", "document_type": "receipt"}
    status, form = api(office, "POST", "/documents/uploads", request)
    assert status == 201, form
    assert form["key"].startswith("inbox/web/") and form["max_bytes"] == 100 * 1024 * 1024
    body, content_type = _multipart(form["fields"], INVOICE.replace(b"INVOICE", b"RECEIPT"), "x.pdf")
    post = urllib.request.Request(
        form["url"], data=body, method="POST", headers={"content-type": content_type}
    )
    with urllib.request.urlopen(post, timeout=10) as response:
        assert response.status in (200, 201, 204)

    (document,) = registered(office, "ACME November.pdf")
    assert document["type"] == "receipt" and document["classified_by"] == "explicit"
    assert document["uploaded_by"].startswith("user:")


def test_the_upload_form_refuses_types_it_does_not_file(office: RunningCloud) -> None:
    status, problem = api(
        office,
        "POST",
        "/documents/uploads",
        {"filename": "a.exe", "content_type": "application/x-msdownload"},
    )
    assert status == 422 and problem["errors"][0]["field"] == "content_type"
    status, problem = api(
        office, "POST", "/documents/uploads", {"filename": "../../etc/passwd", "content_type": "text/plain"}
    )
    assert status == 422 and problem["errors"][0]["field"] == "filename"


BAD = {
    "setup.pdf": (files.EXE, "executable"),
    "statement.html": (files.HTML, "html"),
    "empty.pdf": (b"", "empty"),
    "scans.zip": (files.plain_zip(), "archive"),
    "torn.pdf": (INVOICE[:300], "unreadable_pdf"),
    "install.sh": (files.SCRIPT, "script"),
}


def test_bad_uploads_are_quarantined_with_reasons_and_their_originals_kept(office: RunningCloud) -> None:
    for name, (data, _) in BAD.items():
        put(office, f"inbox/{name}", data)
    for name, (data, reason) in BAD.items():
        (document,) = registered(office, name)
        assert document["status"] == "quarantined" and document["reason_code"] == reason, document
        status, detail = api(office, "GET", f"/documents/{document['id']}")
        assert detail["key"].startswith("quarantine/") and fetch(detail["download_url"]) == data
    status, page = api(office, "GET", "/documents?status=quarantined&limit=200")
    assert status == 200
    assert {d["original_name"] for d in page["items"]} >= set(BAD)


def test_an_admin_can_release_a_torn_pdf_but_never_a_program(office: RunningCloud) -> None:
    put(office, "inbox/torn-contract.pdf", INVOICE[:280])
    put(office, "inbox/invoice-viewer.pdf", files.EXE + b"1")
    (torn,) = registered(office, "torn-contract.pdf")
    (program,) = registered(office, "invoice-viewer.pdf")

    status, _ = api(office, "POST", f"/documents/{torn['id']}/release", {"type": "contract"})
    assert status == 403  # releasing from quarantine is an admin's decision
    status, released = api(
        office, "POST", f"/documents/{torn['id']}/release", {"type": "contract"}, role="admin"
    )
    assert status == 200, released
    assert released["status"] == "filed" and released["key"].startswith("documents/contract/")
    status, problem = api(office, "POST", f"/documents/{program['id']}/release", {}, role="admin")
    assert status == 409 and "executable" in problem["detail"]


def test_the_same_file_twice_is_registered_once_as_filed_and_once_as_duplicate(office: RunningCloud) -> None:
    data = files.pdf("Receipt 5521", "Amount paid 18.00")
    put(office, "inbox/receipt-5521.pdf", data)
    (first,) = registered(office, "receipt-5521.pdf")
    put(office, "inbox/again/receipt-5521.pdf", data)
    documents = registered(office, "receipt-5521.pdf", count=2)
    duplicate = next(d for d in documents if d["id"] != first["id"])
    assert duplicate["status"] == "duplicate" and duplicate["duplicate_of"] == first["id"]


def test_a_payroll_register_dropped_in_the_payroll_folder(office: RunningCloud) -> None:
    register = files.SAMPLES.joinpath("cheque-register-2026-11-20.csv").read_bytes()
    put(office, "inbox/payroll/provider-1120.csv", register)
    (document,) = registered(office, "provider-1120.csv")
    assert document["type"] == "payroll_register" and document["content_type"] == "text/csv"


def test_staff_fix_a_wrong_guess_and_the_file_moves(office: RunningCloud) -> None:
    put(office, "inbox/IMG_2231.jpg", files.JPEG)
    (document,) = registered(office, "IMG_2231.jpg")
    assert document["type"] == "other"
    status, changed = api(office, "POST", f"/documents/{document['id']}/reclassify", {"type": "receipt"})
    assert status == 200 and changed["key"] == document["key"].replace("/other/", "/receipt/")
    status, page = api(office, "GET", "/documents?type=receipt&limit=200")
    assert document["id"] in {d["id"] for d in page["items"]}


def test_an_emailed_invoice_is_filed_with_its_sender(office: RunningCloud, tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "Kế toán ABC <ketoan@abc.example>"
    message["To"] = "documents@office.example"
    message["Subject"] = "Hóa đơn tháng 11"
    message.set_content("Kính gửi quý công ty hóa đơn tháng 11.")
    message.add_attachment(
        INVOICE.replace(b"118", b"119"), maintype="application", subtype="pdf", filename="HD-119.pdf"
    )
    path = tmp_path / "invoice.eml"
    path.write_bytes(bytes(message))
    result = office.cli("mail", str(path))
    assert result.returncode == 0, result.stderr

    (document,) = registered(office, "HD-119.pdf")
    assert document["uploaded_by"] == "mail:ketoan@abc.example" and document["status"] == "filed"


def test_only_office_staff_see_documents(office: RunningCloud) -> None:
    status, problem = api(office, "GET", "/documents", role="employee")
    assert status == 403 and problem["status"] == 403
    status, _, _ = office.request("GET", "/documents")
    assert status == 401


def test_the_api_description_lists_the_document_routes(office: RunningCloud) -> None:
    paths = json.loads(office.request("GET", "/openapi.json")[2])["paths"]
    assert {"/documents", "/documents/uploads", "/documents/{document_id}/release"} <= set(paths)
