"""A deployed stack from the outside: the names it may have, and taking it down.

`make teardown` empties what CloudFormation cannot delete while full (the portal bucket) or in use
(the active SES receipt rule set), deletes the stack, and lists what the template keeps on purpose
(tables and the documents bucket: `DeletionPolicy: Retain`) and what each keeps costing. Deleting
those is a separate, explicit step: `--delete-data`, confirmed by typing the stack name. It is safe
in any state the stack is in: after a rolled-back first deploy, half deleted, or already gone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError, WaiterError

from infra.template import Template

BUCKET_NAME_LIMIT = 63


def stack_name_problem(name: str) -> str | None:
    """Why a stack may not have this name, or None. The documents bucket is named
    `<stack>-documents-<first 8 characters of the stack's id>`, which S3 allows in lowercase and up to
    63 characters."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", name):
        return "a stack name here is lowercase letters, digits and hyphens, starting with a letter"
    longest = len(f"{name}-documents-{'0' * 8}")
    if longest > BUCKET_NAME_LIMIT:
        return f"at most {len(name) - longest + BUCKET_NAME_LIMIT} characters"
    return None


def stack_resources(cloudformation: Any, stack: str) -> dict[str, tuple[str, str]]:
    """logical id -> (type, physical id) of every resource a stack still has, page after page
    (DescribeStackResources stops at 100, and this stack has more). What a rollback already deleted
    is listed as DELETE_COMPLETE, and left out."""
    pages = cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack)
    return {
        r["LogicalResourceId"]: (r["ResourceType"], r["PhysicalResourceId"])
        for page in pages
        for r in page["StackResourceSummaries"]
        if r.get("ResourceStatus") != "DELETE_COMPLETE" and r.get("PhysicalResourceId")
    }


class TeardownError(RuntimeError):
    """The stack could not be deleted; the message says why and what to do."""


@dataclass(frozen=True)
class Retained:
    logical_id: str
    kind: str
    physical_id: str

    def removal(self) -> str:
        """The command that deletes it, for a person who decided to."""
        if self.kind == "AWS::S3::Bucket":
            return (
                f"make teardown STACK=<stack> DELETE_DATA=1 (every version of s3://{self.physical_id}, "
                "locked ones too, by an administrator who may bypass governance retention)"
            )
        return (
            f"aws dynamodb update-table --table-name {self.physical_id} --no-deletion-protection-enabled && "
            f"aws dynamodb delete-table --table-name {self.physical_id}"
        )

    def billing(self) -> str:
        """What it keeps costing while it is kept."""
        if self.kind == "AWS::S3::Bucket":
            return "S3 storage of every document version, each locked for the retention years"
        return "DynamoDB storage and point-in-time recovery backups"


ARTIFACTS = (
    "SAM's artifacts bucket (stack aws-sam-cli-managed-default) keeps the built code of every deploy "
    "in this region; other SAM projects may share it"
)


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
        try:
            resources = self.resources()
        except ClientError as error:
            if "does not exist" not in str(error):
                raise
            self.say(f"there is no stack {self.stack} here: nothing to delete")
            return []
        retained = [
            Retained(logical_id, *resources[logical_id])
            for logical_id, resource in template.raw["Resources"].items()
            if resource.get("DeletionPolicy") == "Retain" and logical_id in resources
        ]
        if "PortalBucket" in resources:
            emptied = self.empty_bucket(resources["PortalBucket"][1])
            if emptied is None:
                self.say("the portal bucket is already gone")
            else:
                self.say(f"emptied the portal bucket ({emptied} objects)")
        if "MailReceiptRuleSet" in resources:
            self.deactivate_rule_set(resources["MailReceiptRuleSet"][1])
        self.cloudformation.delete_stack(StackName=self.stack)
        try:
            self.cloudformation.get_waiter("stack_delete_complete").wait(
                StackName=self.stack, WaiterConfig={"Delay": 10, "MaxAttempts": 180}
            )
        except WaiterError as error:
            raise TeardownError(
                f"CloudFormation could not delete {self.stack} ({error}): fix what the stack's events "
                "name, then run teardown again"
            ) from None
        self.say(f"deleted stack {self.stack}")
        if delete_data:
            for item in retained:
                self.delete(item)
            return []
        return retained

    def empty_bucket(self, bucket: str) -> int | None:
        """Delete every object version and delete marker (locked ones too: only called for a bucket
        the person tearing down may empty); how many, or None when the bucket is already gone."""
        count = 0
        try:
            for page in self.s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
                versions = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
                if versions:
                    objects = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]
                    self.s3.delete_objects(
                        Bucket=bucket,
                        Delete={"Objects": objects, "Quiet": True},
                        BypassGovernanceRetention=True,
                    )
                    count += len(objects)
        except ClientError as error:
            if error.response["Error"]["Code"] != "NoSuchBucket":
                raise
            return None
        return count

    def deactivate_rule_set(self, name: str) -> None:
        """SES refuses to delete the active receipt rule set; deactivate it if it is this stack's."""
        active = self.ses.describe_active_receipt_rule_set().get("Metadata", {}).get("Name")
        if active == name:
            self.ses.set_active_receipt_rule_set()  # no name: no rule set is active
            self.say(f"deactivated the receipt rule set {name} (mail to the intake address now bounces)")

    def delete(self, item: Retained) -> None:
        if item.kind == "AWS::S3::Bucket":
            if self.empty_bucket(item.physical_id) is None:
                return
            self.s3.delete_bucket(Bucket=item.physical_id)
        elif item.kind == "AWS::DynamoDB::Table":
            try:
                self.dynamodb.update_table(TableName=item.physical_id, DeletionProtectionEnabled=False)
                self.dynamodb.delete_table(TableName=item.physical_id)
            except self.dynamodb.exceptions.ResourceNotFoundException:
                return
        self.say(f"deleted {item.logical_id} ({item.physical_id})")
