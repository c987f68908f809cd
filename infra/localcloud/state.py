"""Keep the embedded AWS's data across restarts: table items and bucket objects under the state folder."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from infra.localcloud.embedded_aws import version_ids
from infra.localcloud.provision import Clients
from infra.template import Template

INBOX = "inbox/"  # the documents bucket's upload folder: whatever is here has not been filed yet


def snapshot(template: Template, clients: Clients, state_dir: Path) -> None:
    """Write every table's items and every bucket's current objects (with their version ids); replaces
    the previous snapshot whole. Taken on a clean stop and after a journal replay, never on a timer."""
    target = state_dir / "data.tmp"
    shutil.rmtree(target, ignore_errors=True)
    (target / "tables").mkdir(parents=True)
    for logical_id in template.of_type("AWS::DynamoDB::Table"):
        name = template.physical_name(logical_id)
        with (target / "tables" / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            for page in clients.dynamodb.get_paginator("scan").paginate(TableName=name):
                for item in page.get("Items", []):
                    out.write(json.dumps(item) + "\n")
    for logical_id in template.of_type("AWS::S3::Bucket"):
        bucket = template.physical_name(logical_id)
        folder = target / "buckets" / bucket
        folder.mkdir(parents=True)
        index: list[dict[str, Any]] = []
        for page in clients.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for summary in page.get("Contents", []):
                key = summary["Key"]
                obj = clients.s3.get_object(Bucket=bucket, Key=key)
                version = obj.get("VersionId")
                blob = hashlib.sha256(key.encode()).hexdigest()
                with (folder / blob).open("wb") as out:
                    shutil.copyfileobj(obj["Body"], out)
                index.append(
                    {
                        "key": key,
                        "blob": blob,
                        "content_type": obj.get("ContentType"),
                        "metadata": obj.get("Metadata") or {},
                        "version_id": version,
                    }
                )
        (folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
    final = state_dir / "data"
    old = state_dir / "data.old"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    target.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def restore(template: Template, clients: Clients, state_dir: Path) -> dict[str, int]:
    """Load the last snapshot into freshly provisioned resources; returns counts of what came back."""
    source = state_dir / "data"
    counts = {"items": 0, "objects": 0}
    if not source.exists():
        return counts
    for logical_id in template.of_type("AWS::DynamoDB::Table"):
        name = template.physical_name(logical_id)
        path = source / "tables" / f"{name}.jsonl"
        if not path.exists():
            continue
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        for start in range(0, len(items), 25):
            batch = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            clients.dynamodb.batch_write_item(RequestItems={name: batch})
        counts["items"] += len(items)
    for logical_id in template.of_type("AWS::S3::Bucket"):
        bucket = template.physical_name(logical_id)
        folder = source / "buckets" / bucket
        if not (folder / "index.json").exists():
            continue
        for entry in json.loads((folder / "index.json").read_text(encoding="utf-8")):
            extra = {"ContentType": entry["content_type"]} if entry.get("content_type") else {}
            with (folder / entry["blob"]).open("rb") as body, version_ids(entry.get("version_id")):
                clients.s3.put_object(
                    Bucket=bucket, Key=entry["key"], Body=body, Metadata=entry["metadata"], **extra
                )
            counts["objects"] += 1
    return counts


def renotify_inbox(template: Template) -> int:
    """Tell the buckets' notification targets again about every object still in an inbox (nothing
    there has finished processing; the consumer finds the work of any earlier delivery), as S3 told
    them when it arrived. Objects restored from a snapshot keep their version ids, so their ids do too."""
    from moto.s3.models import FakeKey, s3_backends
    from moto.s3.notifications import S3NotificationEvent, send_event

    from infra.template import ACCOUNT_ID

    sent = 0
    backend = s3_backends[ACCOUNT_ID]["aws"]
    for logical_id in template.of_type("AWS::S3::Bucket"):
        bucket = backend.buckets.get(template.physical_name(logical_id))
        if bucket is None:
            continue
        for key in list(bucket.keys.values()):
            if isinstance(key, FakeKey) and key.name.startswith(INBOX):  # not a delete marker
                send_event(ACCOUNT_ID, S3NotificationEvent.OBJECT_CREATED_PUT_EVENT, bucket, key)
                sent += 1
    return sent
