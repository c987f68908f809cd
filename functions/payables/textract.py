"""Amazon Textract's AnalyzeExpense as a bill reader (scans and photos): its normalised summary fields
(`ExpenseDocuments[].SummaryFields[].Type.Text`) become a `Reading`. Textract reads the object from
S3 with this function's own permissions; the values go through the same parsers as the text layer."""

from __future__ import annotations

from functools import cache
from typing import Any

from payables.model import Reading
from payables.reading import parsed

FIELDS = {
    "VENDOR_NAME": "vendor_name",
    "TAX_PAYER_ID": "vendor_tax_id",
    "VENDOR_VAT_NUMBER": "vendor_tax_id",
    "INVOICE_RECEIPT_ID": "invoice_number",
    "INVOICE_RECEIPT_DATE": "issue_date",
    "DUE_DATE": "due_date",
    "SUBTOTAL": "net",
    "TAX": "vat",
    "TOTAL": "total",
    "AMOUNT_DUE": "total",
}


UNREADABLE = {
    "UnsupportedDocumentException",  # not JPEG, PNG, PDF or TIFF, or a PDF of several pages
    "BadDocumentException",
    "DocumentTooLargeException",
    "InvalidS3ObjectException",
}


@cache
def textract_client() -> Any:
    import boto3

    return boto3.client("textract")


def reading_of(response: dict[str, Any], default_currency: str) -> Reading:
    """The first value of each field in the response's first expense document."""
    values: dict[str, str] = {}
    currency = default_currency
    for document in response.get("ExpenseDocuments", [])[:1]:
        for field in document.get("SummaryFields", []):
            name = FIELDS.get(field.get("Type", {}).get("Text", ""))
            text = (field.get("ValueDetection") or {}).get("Text", "").strip()
            if name and text and name not in values:
                values[name] = text
                currency = (field.get("Currency") or {}).get("Code") or currency
    return parsed("textract", values, currency)


class Expense:
    """AnalyzeExpense on the filed object (JPEG, PNG, or a PDF or TIFF of one page)."""

    def __init__(self, bucket: str, default_currency: str, client: Any | None = None) -> None:
        self.bucket = bucket
        self.default_currency = default_currency
        self.client = client

    def read(self, key: str, data: bytes) -> Reading | None:
        """None for a document Textract cannot read (a person types the bill in); other errors raise,
        for the queue to retry and, failing that, the DLQ's alarm."""
        from botocore.exceptions import ClientError

        client = self.client or textract_client()
        try:
            response = client.analyze_expense(Document={"S3Object": {"Bucket": self.bucket, "Name": key}})
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in UNREADABLE:
                return None
            raise
        return reading_of(response, self.default_currency)
