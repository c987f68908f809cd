"""A deployed stack from the outside: the names it may have, and taking it down.

`make teardown` empties what CloudFormation cannot delete while full (the portal bucket) or in use
(the active SES receipt rule set), deletes the stack, and lists what the template keeps on purpose
(tables and the documents bucket: `DeletionPolicy: Retain`). Deleting those is a separate, explicit
step: `--delete-data`, confirmed by typing the stack name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from infra.template import Template

BUCKET_NAME_LIMIT = 63
LONGEST_REGION = "ap-southeast-5"  # the documents bucket's name ends with the region


def stack_name_problem(name: str, region: str = LONGEST_REGION) -> str | None:
    """Why a stack may not have this name, or None. The documents bucket is named
    `<stack>-documents-<account>-<region>`, which S3 allows in lowercase and up to 63 characters."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", name):
        return "a stack name here is lowercase letters, digits and hyphens, starting with a letter"
    longest = len(f"{name}-documents-{'0' * 12}-{region}")
    if longest > BUCKET_NAME_LIMIT:
        return f"at most {len(name) - longest + BUCKET_NAME_LIMIT} characters in {region}"
    return None


def stack_resources(cloudformation: Any, stack: str) -> dict[str, tuple[str, str]]:
    """logical id -> (type, physical id) of every resource of a stack, page after page
    (DescribeStackResources stops at 100, and this stack has more)."""
    pages = cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack)
    return {
        r["LogicalResourceId"]: (r["ResourceType"], r["PhysicalResourceId"])
        for page in pages
        for r in page["StackResourceSummaries"]
    }


@dataclass(frozen=True)
class Retained:
    logical_id: str
    kind: str
    physical_id: str

    def removal(self) -> str:
        """The command that deletes it, for a person who decided to."""
        if self.kind == "AWS::S3::Bucket":
            return f"aws s3 rb s3://{self.physical_id} --force   (after deleting every object version)"
        return f"aws dynamodb delete-table --table-name {self.physical_id}"


@dataclass
class Teardown:
    """Takes one stack down. `say` reports each step."""

    stack: str
    cloudformation: Any
    s3: Any
    ses: Any
    dynamodb: Any
    say: Callable[[str], None] = print

    def resources(self) -> dict[str, tuple[str, str]]:
        return stack_resources(self.cloudformation, self.stack)

    def run(self, template: Template, delete_data: bool = False) -> list[Retained]:
        resources = self.resources()
        retained = [
            Retained(logical_id, *resources[logical_id])
            for logical_id, resource in template.raw["Resources"].items()
            if resource.get("DeletionPolicy") == "Retain" and logical_id in resources
        ]
        if "PortalBucket" in resources:
            emptied = self.empty_bucket(resources["PortalBucket"][1])
            self.say(f"emptied the portal bucket ({emptied} objects)")
        if "MailReceiptRuleSet" in resources:
            self.deactivate_rule_set(resources["MailReceiptRuleSet"][1])
        self.cloudformation.delete_stack(StackName=self.stack)
        self.cloudformation.get_waiter("stack_delete_complete").wait(
            StackName=self.stack, WaiterConfig={"Delay": 10, "MaxAttempts": 180}
        )
        self.say(f"deleted stack {self.stack}")
        if delete_data:
            for item in retained:
                self.delete(item)
            return []
        return retained

    def empty_bucket(self, bucket: str) -> int:
        """Delete every object version and delete marker; returns how many."""
        count = 0
        for page in self.s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            versions = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
            if versions:
                objects = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]
                self.s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
                count += len(objects)
        return count

    def deactivate_rule_set(self, name: str) -> None:
        """SES refuses to delete the active receipt rule set; deactivate it if it is this stack's."""
        active = self.ses.describe_active_receipt_rule_set().get("Metadata", {}).get("Name")
        if active == name:
            self.ses.set_active_receipt_rule_set()  # no name: no rule set is active
            self.say(f"deactivated the receipt rule set {name} (mail to the intake address now bounces)")

    def delete(self, item: Retained) -> None:
        if item.kind == "AWS::S3::Bucket":
            self.empty_bucket(item.physical_id)
            self.s3.delete_bucket(Bucket=item.physical_id)
        elif item.kind == "AWS::DynamoDB::Table":
            self.dynamodb.update_table(TableName=item.physical_id, DeletionProtectionEnabled=False)
            self.dynamodb.delete_table(TableName=item.physical_id)
        self.say(f"deleted {item.logical_id} ({item.physical_id})")
