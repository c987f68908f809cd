"""An S3 bucket: streaming reads with a checksum, server-side copies, pre-signed URLs."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import IO, Any
from urllib.parse import quote

from botocore.exceptions import ClientError

CHUNK = 1024 * 1024
SPOOL_IN_MEMORY = 8 * 1024 * 1024
SINGLE_COPY_LIMIT = 5 * 1024**3
GONE = {"NoSuchKey", "NoSuchVersion", "404", "NotFound"}


@cache
def s3_client() -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client("s3", config=Config(signature_version="s3v4"))


@dataclass
class StoredObject:
    key: str
    version_id: str | None
    size: int
    content_type: str | None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class Download:
    """The object's bytes in a spooled temp file (memory up to 8 MB, then disk) and their SHA-256."""

    file: IO[bytes]
    sha256: str
    size: int

    def close(self) -> None:
        self.file.close()


def content_disposition(name: str) -> str:
    """`attachment` with the original (UTF-8) file name, per RFC 6266."""
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


class ObjectStore:
    """One bucket, with the client injected (tests pass moto's)."""

    def __init__(self, bucket: str, client: Any | None = None) -> None:
        self.bucket = bucket
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = s3_client()
        return self._client

    def _version(self, version_id: str | None) -> dict[str, str]:
        return {"VersionId": version_id} if version_id else {}

    def head(self, key: str, version_id: str | None = None) -> StoredObject | None:
        """The object's size and metadata, or None if it (or that version) is gone."""
        try:
            response = self.client.head_object(Bucket=self.bucket, Key=key, **self._version(version_id))
        except ClientError as error:
            if error.response["Error"]["Code"] in GONE:
                return None
            raise
        return StoredObject(
            key=key,
            version_id=response.get("VersionId", version_id),
            size=int(response["ContentLength"]),
            content_type=response.get("ContentType"),
            metadata={k.lower(): v for k, v in (response.get("Metadata") or {}).items()},
        )

    def download(self, key: str, version_id: str | None, *, keep: bool = True) -> Download:
        """Stream the object once, hashing it; keep=False only hashes (for files over the limit)."""
        response = self.client.get_object(Bucket=self.bucket, Key=key, **self._version(version_id))
        digest = hashlib.sha256()
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - returned open
        size = 0
        for chunk in response["Body"].iter_chunks(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if keep:
                spool.write(chunk)
        spool.seek(0)
        return Download(spool, digest.hexdigest(), size)

    def read_bytes(self, key: str) -> bytes:
        """A small object, whole."""
        return bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def read_text(self, key: str) -> str:
        """A small text object (a CSV), decoded: UTF-8 (with or without BOM), else the detected encoding."""
        data = self.read_bytes(key)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            return str(best) if best else data.decode("latin-1")

    def read_head(self, key: str, version_id: str | None, length: int) -> bytes:
        """The first `length` bytes of the object."""
        response = self.client.get_object(
            Bucket=self.bucket, Key=key, Range=f"bytes=0-{length - 1}", **self._version(version_id)
        )
        return bytes(response["Body"].read())

    def copy(
        self,
        source_key: str,
        source_version: str | None,
        target_key: str,
        *,
        content_type: str | None,
        name: str,
        metadata: dict[str, str],
        size: int | None = None,
    ) -> None:
        """Server-side copy with the file's real type and name: one CopyObject when the size is known
        to be under 5 GB, else boto3's managed (multipart) copy."""
        extra: dict[str, Any] = {
            "MetadataDirective": "REPLACE",
            "Metadata": metadata,
            "ContentDisposition": content_disposition(name),
        }
        if content_type:
            extra["ContentType"] = content_type
        source = {"Bucket": self.bucket, "Key": source_key, **self._version(source_version)}
        if size is not None and size < SINGLE_COPY_LIMIT:
            self.client.copy_object(CopySource=source, Bucket=self.bucket, Key=target_key, **extra)
        else:
            self.client.copy(source, self.bucket, target_key, ExtraArgs=extra)

    def put(
        self,
        key: str,
        data: bytes,
        content_type: str,
        metadata: dict[str, str],
        retain_until: datetime | None = None,
    ) -> None:
        """Write an object; with `retain_until`, S3 Object Lock (governance mode) keeps this version
        from deletion or overwrite until then."""
        lock: dict[str, Any] = {}
        if retain_until:
            lock = {"ObjectLockMode": "GOVERNANCE", "ObjectLockRetainUntilDate": retain_until}
        self.client.put_object(
            Bucket=self.bucket, Key=key, Body=data, ContentType=content_type, Metadata=metadata, **lock
        )

    def delete(self, key: str, version_id: str | None = None) -> None:
        """Delete one version (or put a delete marker); deleting what is already gone is fine."""
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key, **self._version(version_id))
        except ClientError as error:
            if error.response["Error"]["Code"] not in GONE:
                raise

    def download_url(self, key: str, expires: int = 300) -> str:
        return str(
            self.client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires
            )
        )

    def upload_form(self, key: str, fields: dict[str, str], max_bytes: int, expires: int) -> dict[str, Any]:
        """A pre-signed POST for exactly this key, these fields and at most max_bytes."""
        conditions: list[Any] = [{name: value} for name, value in fields.items()]
        conditions.append(["content-length-range", 1, max_bytes])
        form = self.client.generate_presigned_post(
            Bucket=self.bucket, Key=key, Fields=dict(fields), Conditions=conditions, ExpiresIn=expires
        )
        return dict(form)
