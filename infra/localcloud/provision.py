"""Create the template's resources in an AWS endpoint (moto server, or moto's in-process mock).

CloudFormation property shapes are translated to API calls here, once: the local cloud and the
test fixtures both call `provision`, so neither keeps its own copy of the resources.
"""

from __future__ import annotations

import json
from typing import Any

from infra.template import Template

SUPPORTED = (
    "AWS::SQS::Queue",
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::SES::EmailIdentity",
    "AWS::SNS::Topic",
    "AWS::CloudWatch::Alarm",
    "AWS::Events::EventBus",
    "AWS::Events::Rule",
)


class Clients:
    """boto3 clients for one endpoint (None = whatever boto3 resolves, e.g. under moto's mock)."""

    def __init__(self, endpoint_url: str | None = None) -> None:
        import boto3

        credentials = {"aws_access_key_id": "local", "aws_secret_access_key": "local"} if endpoint_url else {}
        session = boto3.session.Session(region_name="us-east-1", **credentials)
        self.endpoint_url = endpoint_url
        self._make = lambda service: session.client(service, endpoint_url=endpoint_url)
        self._cache: dict[str, Any] = {}

    def __getattr__(self, service: str) -> Any:
        if service.startswith("_"):
            raise AttributeError(service)
        if service not in self._cache:
            self._cache[service] = self._make(service)
        return self._cache[service]


def provision(template: Template, clients: Clients, *, notifications: bool = True) -> None:
    """Create every supported resource; bucket notifications last (or later, after a restore)."""
    for kind in SUPPORTED:
        # Dead-letter queues before the queues that redrive into them.
        ordered = sorted(template.of_type(kind), key=lambda lid: "RedrivePolicy" in template.properties(lid))
        for logical_id in ordered:
            _CREATORS[kind](template, clients, logical_id)
    if notifications:
        apply_notifications(template, clients)


def _queue(t: Template, c: Clients, logical_id: str) -> None:
    props = t.properties(logical_id)
    attributes: dict[str, str] = {
        key: str(props[key]).lower() if isinstance(props[key], bool) else str(props[key])
        for key in (
            "VisibilityTimeout",
            "MessageRetentionPeriod",
            "DelaySeconds",
            "SqsManagedSseEnabled",
            "ReceiveMessageWaitTimeSeconds",
            "FifoQueue",
            "ContentBasedDeduplication",
        )
        if key in props
    }
    if "RedrivePolicy" in props:
        attributes["RedrivePolicy"] = json.dumps(props["RedrivePolicy"])
    c.sqs.create_queue(QueueName=t.physical_name(logical_id), Attributes=attributes)


def _table(t: Template, c: Clients, logical_id: str) -> None:
    props = t.properties(logical_id)
    name = t.physical_name(logical_id)
    params: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        params["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    if props.get("StreamSpecification"):
        params["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
    if props.get("SSESpecification"):
        params["SSESpecification"] = {"Enabled": bool(props["SSESpecification"].get("SSEEnabled"))}
    c.dynamodb.create_table(**params)
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        c.dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
    pitr = props.get("PointInTimeRecoverySpecification") or {}
    if pitr.get("PointInTimeRecoveryEnabled"):
        c.dynamodb.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"ID": rule.get("Id", "rule"), "Status": rule["Status"]}
    out["Filter"] = {"Prefix": rule.get("Prefix", "")}
    if "Transitions" in rule:
        out["Transitions"] = [
            {"Days": tr["TransitionInDays"], "StorageClass": tr["StorageClass"]} for tr in rule["Transitions"]
        ]
    if "ExpirationInDays" in rule:
        out["Expiration"] = {"Days": rule["ExpirationInDays"]}
    if "NoncurrentVersionExpiration" in rule:
        out["NoncurrentVersionExpiration"] = rule["NoncurrentVersionExpiration"]
    if "AbortIncompleteMultipartUpload" in rule:
        out["AbortIncompleteMultipartUpload"] = rule["AbortIncompleteMultipartUpload"]
    return out


def _bucket(t: Template, c: Clients, logical_id: str) -> None:
    props = t.properties(logical_id)
    name = t.physical_name(logical_id)
    c.s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=bool(props.get("ObjectLockEnabled")))
    if (props.get("VersioningConfiguration") or {}).get("Status"):
        c.s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=props["VersioningConfiguration"])
    if props.get("BucketEncryption"):
        rules = [
            {
                "ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"],
                "BucketKeyEnabled": bool(rule.get("BucketKeyEnabled", False)),
            }
            for rule in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        ]
        c.s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
    if props.get("PublicAccessBlockConfiguration"):
        c.s3.put_public_access_block(
            Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
        )
    if props.get("CorsConfiguration"):
        rules = [
            {("MaxAgeSeconds" if key == "MaxAge" else key): value for key, value in rule.items()}
            for rule in props["CorsConfiguration"]["CorsRules"]
        ]
        c.s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": rules})
    if props.get("LifecycleConfiguration"):
        rules = [_lifecycle_rule(rule) for rule in props["LifecycleConfiguration"]["Rules"]]
        c.s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})


def _requires_tls(statement: dict[str, Any]) -> bool:
    return (
        str((statement.get("Condition") or {}).get("Bool", {}).get("aws:SecureTransport")).lower() == "false"
    )


def _bucket_policy(t: Template, c: Clients, logical_id: str) -> None:
    """The bucket policy minus its TLS-only denial.

    moto evaluates bucket policies without the `aws:SecureTransport` context key, so that
    statement would refuse every request, over HTTPS too; in AWS it stays, and a template test
    checks that it is there.
    """
    props = t.properties(logical_id)
    document = dict(props["PolicyDocument"])
    document["Statement"] = [s for s in document["Statement"] if not _requires_tls(s)]
    if document["Statement"]:
        c.s3.put_bucket_policy(Bucket=props["Bucket"], Policy=json.dumps(document))


def apply_notifications(template: Template, clients: Clients) -> None:
    """Turn on bucket → queue notifications (S3 then sends its s3:TestEvent, as in AWS)."""
    for logical_id in template.of_type("AWS::S3::Bucket"):
        config = template.properties(logical_id).get("NotificationConfiguration") or {}
        queues = [
            {
                "QueueArn": entry["Queue"],
                "Events": [entry["Event"]],
                **(
                    {"Filter": {"Key": {"FilterRules": entry["Filter"]["S3Key"]["Rules"]}}}
                    if entry.get("Filter")
                    else {}
                ),
            }
            for entry in config.get("QueueConfigurations", [])
        ]
        if queues:
            clients.s3.put_bucket_notification_configuration(
                Bucket=template.physical_name(logical_id),
                NotificationConfiguration={"QueueConfigurations": queues},
            )


def _email_identity(t: Template, c: Clients, logical_id: str) -> None:
    identity = t.properties(logical_id)["EmailIdentity"]
    if "@" in identity:
        c.ses.verify_email_identity(EmailAddress=identity)
    else:  # a domain: locally verified at once (in AWS, once its DKIM records resolve)
        c.ses.verify_domain_identity(Domain=identity)


def _topic(t: Template, c: Clients, logical_id: str) -> None:
    c.sns.create_topic(Name=t.physical_name(logical_id))


def _alarm(t: Template, c: Clients, logical_id: str) -> None:
    props = t.properties(logical_id)
    keys = (
        "AlarmDescription",
        "Namespace",
        "MetricName",
        "Dimensions",
        "Metrics",
        "Statistic",
        "Period",
        "EvaluationPeriods",
        "Threshold",
        "ComparisonOperator",
        "TreatMissingData",
        "AlarmActions",
    )
    c.cloudwatch.put_metric_alarm(
        AlarmName=t.physical_name(logical_id), **{key: props[key] for key in keys if key in props}
    )


def _event_bus(t: Template, c: Clients, logical_id: str) -> None:
    c.events.create_event_bus(Name=t.physical_name(logical_id))


def _event_rule(t: Template, c: Clients, logical_id: str) -> None:
    """A rule and its SQS targets (moto delivers matching events to queues itself)."""
    props = t.properties(logical_id)
    name = t.physical_name(logical_id)
    bus = props.get("EventBusName", "default")
    c.events.put_rule(
        Name=name,
        EventBusName=bus,
        EventPattern=json.dumps(props["EventPattern"]),
        State=props.get("State", "ENABLED"),
    )
    targets = [{"Id": target["Id"], "Arn": target["Arn"]} for target in props.get("Targets", [])]
    if targets:
        c.events.put_targets(Rule=name, EventBusName=bus, Targets=targets)


_CREATORS = {
    "AWS::SQS::Queue": _queue,
    "AWS::DynamoDB::Table": _table,
    "AWS::S3::Bucket": _bucket,
    "AWS::S3::BucketPolicy": _bucket_policy,
    "AWS::SES::EmailIdentity": _email_identity,
    "AWS::SNS::Topic": _topic,
    "AWS::CloudWatch::Alarm": _alarm,
    "AWS::Events::EventBus": _event_bus,
    "AWS::Events::Rule": _event_rule,
}
