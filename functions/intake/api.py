"""HTTP routes for documents: pre-signed uploads, the register, reclassify and release."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, Field, computed_field, field_validator

from core.api import build_resolver, current_caller, roles
from core.i18n import N_
from core.idempotency import IDEMPOTENT, IdempotencyKey
from core.observability import lambda_entry
from core.settings import settings
from core.text import file_name
from intake.content import ACCEPTED_CONTENT_TYPES
from intake.model import INBOX, Document, DocumentType, Status
from intake.service import filing

router = Router()
OFFICE = roles("staff", "admin")
ADMIN = roles("admin")
UPLOAD_FORM_SECONDS = 900
DOWNLOAD_URL_SECONDS = 300


class UploadRequest(BaseModel):
    filename: str = Field(min_length=1, max_length=200, examples=["Hóa đơn tháng 11.pdf"])
    content_type: str = Field(examples=["application/pdf"])
    document_type: DocumentType | None = Field(default=None, description="Skip classification.")

    @field_validator("filename")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if any(c in value for c in "/\\") or any(ord(c) < 32 for c in value) or value.strip(" .") == "":
            raise ValueError(N_("a file name without folders or control characters"))
        return file_name(value)  # bidirectional overrides dropped before the name reaches a key

    @field_validator("content_type")
    @classmethod
    def _accepted(cls, value: str) -> str:
        if value not in ACCEPTED_CONTENT_TYPES:
            raise ValueError(
                N_("this kind of file is not accepted: send a PDF, a picture, an office document or text")
            )
        return value


class UploadForm(BaseModel):
    url: str
    fields: dict[str, str] = Field(description="Send these as form fields, then the file as `file`.")
    key: str
    max_bytes: int
    expires_at: datetime


class DocumentView(Document):
    download_url: str | None = Field(default=None, description="Valid for five minutes.")


class Listed(Document):
    """A register entry as the register lists it, with what a person may do to it."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def releasable(self) -> bool:
        """Whether an administrator may release it from quarantine."""
        return self.may_be_released


class DocumentPage(BaseModel):
    items: list[Listed]
    cursor: str | None = Field(default=None, description="Pass as `cursor` to get the next page.")


class Reclassify(BaseModel):
    type: DocumentType


class Release(BaseModel):
    type: DocumentType | None = Field(default=None, description="The type to file it as (default `other`).")


@router.post(
    "/documents/uploads", middlewares=OFFICE, tags=["Documents"], summary="Get a pre-signed upload form"
)
def create_upload(request: UploadRequest) -> Response[UploadForm]:
    caller = current_caller(router)
    service = filing()
    key = f"{INBOX}web/{uuid.uuid4().hex}/{request.filename}"
    fields = {
        "key": key,
        "Content-Type": request.content_type,
        "x-amz-meta-uploaded-by": caller.actor,
        "x-amz-meta-original-name": quote(request.filename, safe=""),
    }
    if request.document_type:
        fields["x-amz-meta-document-type"] = request.document_type.value
    form = service.upload_form(key, fields, UPLOAD_FORM_SECONDS)
    body = UploadForm(
        url=form["url"],
        fields=form["fields"],
        key=key,
        max_bytes=service.max_bytes,
        expires_at=datetime.now(UTC) + timedelta(seconds=UPLOAD_FORM_SECONDS),
    )
    return Response(201, content_type="application/json", body=body)


def _day_bounds(day_from: date | None, day_to: date | None) -> tuple[datetime | None, datetime | None]:
    """Calendar days in the business timezone, as UTC instants."""
    tz = settings().timezone
    start = datetime.combine(day_from, time.min, tz).astimezone(UTC) if day_from else None
    end = datetime.combine(day_to, time.max, tz).astimezone(UTC) if day_to else None
    return start, end


@router.get("/documents", middlewares=OFFICE, tags=["Documents"], summary="Search the register")
def list_documents(
    doc_type: Annotated[DocumentType | None, Query(alias="type")] = None,
    status: Annotated[Status | None, Query()] = None,
    day_from: Annotated[date | None, Query(alias="from", description="First upload day (inclusive).")] = None,
    day_to: Annotated[date | None, Query(alias="to", description="Last upload day (inclusive).")] = None,
    cursor: Annotated[str | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DocumentPage:
    start, end = _day_bounds(day_from, day_to)
    items, next_cursor = filing().search(
        doc_type=doc_type, status=status, start=start, end=end, cursor=cursor, limit=limit
    )
    return DocumentPage(items=[Listed(**item.model_dump()) for item in items], cursor=next_cursor)


@router.get("/documents/<document_id>", middlewares=OFFICE, tags=["Documents"], summary="One document")
def get_document(document_id: Annotated[str, Path()]) -> DocumentView:
    service = filing()
    document = service.get(document_id)
    url = service.download_url(document, DOWNLOAD_URL_SECONDS)
    return DocumentView(**document.model_dump(), download_url=url)


@router.post(
    "/documents/<document_id>/reclassify",
    middlewares=[*OFFICE, *IDEMPOTENT],
    tags=["Documents"],
    summary="Fix the type",
)
def reclassify(
    document_id: Annotated[str, Path()], change: Reclassify, idempotency_key: IdempotencyKey = None
) -> Document:
    return filing().reclassify(document_id, change.type, current_caller(router))


@router.post(
    "/documents/<document_id>/release",
    middlewares=[*ADMIN, *IDEMPOTENT],
    tags=["Documents"],
    summary="File it anyway",
)
def release(
    document_id: Annotated[str, Path()], change: Release, idempotency_key: IdempotencyKey = None
) -> Document:
    return filing().release(document_id, change.type, current_caller(router))


app = build_resolver(router)


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
