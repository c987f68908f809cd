"""Operating a deployed stack, against moto: people who may sign in, the stack's name, teardown."""

import json
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from botocore.exceptions import WaiterError

from infra.smoke import Smoke, StackTarget
from infra.stack import Teardown, TeardownError, stack_name_problem, stack_resources
from infra.template import Template
from infra.users import UserError, Users


@pytest.fixture
def cloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from moto import mock_aws

    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield


@pytest.fixture
def users(cloud: None) -> Users:
    cognito = boto3.client("cognito-idp")
    pool = cognito.create_user_pool(
        PoolName="office", Schema=[{"Name": "employee_id", "AttributeDataType": "String", "Mutable": True}]
    )["UserPool"]["Id"]
    for group in ("admin", "staff", "employee"):
        cognito.create_group(UserPoolId=pool, GroupName=group)
    return Users(cognito, pool)


def test_the_first_admin_and_an_employee_are_added_listed_and_removed(users: Users) -> None:
    admin = users.add("owner@office.example", "admin")
    assert admin.roles == ["admin"] and admin.employee_id is None
    assert admin.status == "FORCE_CHANGE_PASSWORD"  # Cognito mailed a temporary password
    users.add("somchai@office.example", "employee", employee_id="E-0042")
    listed = {u.email: u for u in users.everyone()}
    assert listed["somchai@office.example"].roles == ["employee"]
    assert listed["somchai@office.example"].employee_id == "E-0042"
    users.remove("owner@office.example")
    assert [u.email for u in users.everyone()] == ["somchai@office.example"]


@pytest.mark.parametrize(
    ("role", "employee_id", "problem"),
    [
        ("owner", None, "role must be one of"),
        ("employee", None, "needs --employee-id"),
        ("staff", "E-1", "only an employee"),
    ],
)
def test_a_user_that_could_not_sign_in_properly_is_refused(
    users: Users, role: str, employee_id: str | None, problem: str
) -> None:
    with pytest.raises(UserError, match=problem):
        users.add("someone@office.example", role, employee_id)
    assert users.everyone() == []


def test_adding_someone_twice_or_removing_nobody_says_so(users: Users) -> None:
    users.add("clerk@office.example", "staff")
    with pytest.raises(UserError, match="already exists"):
        users.add("clerk@office.example", "staff")
    with pytest.raises(UserError, match="no user"):
        users.remove("nobody@office.example")


@pytest.mark.parametrize(
    ("name", "fits"),
    [
        ("backoffice", True),
        ("acme-bangkok-prod", True),
        ("Backoffice", False),
        ("a" * 44, True),
        ("a" * 45, False),
    ],
)
def test_a_stack_name_that_would_break_the_bucket_name_is_refused_before_deploying(
    name: str, fits: bool
) -> None:
    assert (stack_name_problem(name) is None) is fits


STACK = {
    "Resources": {
        "PortalBucket": {"Type": "AWS::S3::Bucket"},
        "DocumentsBucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
        "InvoicesTable": {
            "Type": "AWS::DynamoDB::Table",
            "DeletionPolicy": "Retain",
            "Properties": {
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            },
        },
        "IntakeQueue": {"Type": "AWS::SQS::Queue"},
    }
}


def physical(name: str) -> dict[str, str]:
    cloudformation = boto3.client("cloudformation")
    found = cloudformation.describe_stack_resources(StackName=name)["StackResources"]
    return {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in found}


def test_teardown_empties_what_blocks_deletion_and_lists_what_is_kept(cloud: None) -> None:
    cloudformation, s3 = boto3.client("cloudformation"), boto3.client("s3")
    cloudformation.create_stack(StackName="office", TemplateBody=json.dumps(STACK))
    ids = physical("office")
    s3.put_bucket_versioning(Bucket=ids["PortalBucket"], VersioningConfiguration={"Status": "Enabled"})
    for page in ("index.html", "portal.js"):
        s3.put_object(Bucket=ids["PortalBucket"], Key=f"portal/{page}", Body=b"page")
        s3.put_object(Bucket=ids["PortalBucket"], Key=f"portal/{page}", Body=b"page v2")
    s3.put_object(Bucket=ids["DocumentsBucket"], Key="inbox/receipt.pdf", Body=b"%PDF")
    ses = boto3.client("ses")
    ses.create_receipt_rule_set(RuleSetName="office-intake")
    ses.set_active_receipt_rule_set(RuleSetName="office-intake")  # mail is being received
    said: list[str] = []

    teardown = Teardown("office", cloudformation, s3, ses, boto3.client("dynamodb"), said.append)
    # moto's CloudFormation cannot make a receipt rule set; the stack says it has the one made above
    listed = teardown.resources()
    teardown.resources = lambda: {  # type: ignore[method-assign]
        **listed,
        "MailReceiptRuleSet": ("AWS::SES::ReceiptRuleSet", "office-intake"),
    }
    kept = teardown.run(Template())

    assert "emptied the portal bucket (4 objects)" in said
    assert ses.describe_active_receipt_rule_set().get("Metadata") is None
    assert not [
        s for s in cloudformation.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"
    ]
    assert {(k.logical_id, k.physical_id) for k in kept} == {
        ("DocumentsBucket", ids["DocumentsBucket"]),
        ("InvoicesTable", ids["InvoicesTable"]),
    }
    # the office's documents and invoices are still there, each with the command that would remove it
    assert s3.list_objects_v2(Bucket=ids["DocumentsBucket"])["KeyCount"] == 1
    assert boto3.client("dynamodb").describe_table(TableName=ids["InvoicesTable"])["Table"]
    assert all(ids["InvoicesTable"] in k.removal() or "DELETE_DATA=1" in k.removal() for k in kept)


def office_stack() -> tuple[Any, Any, Any, dict[str, str]]:
    """The clients a teardown uses, and the physical ids of a freshly created stack named office."""
    cloudformation, s3, dynamodb = (boto3.client(s) for s in ("cloudformation", "s3", "dynamodb"))
    cloudformation.create_stack(StackName="office", TemplateBody=json.dumps(STACK))
    return cloudformation, s3, dynamodb, physical("office")


def test_teardown_deletes_the_data_only_when_asked(cloud: None) -> None:
    cloudformation, s3, dynamodb, ids = office_stack()
    s3.put_object(Bucket=ids["DocumentsBucket"], Key="inbox/receipt.pdf", Body=b"%PDF")
    kept = Teardown("office", cloudformation, s3, boto3.client("ses"), dynamodb, lambda _: None).run(
        Template(), delete_data=True
    )
    assert kept == []
    assert ids["DocumentsBucket"] not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert ids["InvoicesTable"] not in dynamodb.list_tables()["TableNames"]


def test_teardown_after_a_failed_first_deploy_finishes_and_a_second_run_finds_nothing(cloud: None) -> None:
    """A rollback already deleted the portal bucket; a person runs teardown twice; the office's
    locked documents go only when asked."""
    cloudformation, s3, dynamodb, ids = office_stack()
    s3.put_bucket_versioning(Bucket=ids["DocumentsBucket"], VersioningConfiguration={"Status": "Enabled"})
    s3.put_object_lock_configuration(
        Bucket=ids["DocumentsBucket"],
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Years": 5}},
        },
    )
    s3.put_object(Bucket=ids["DocumentsBucket"], Key="invoices/INV-1.pdf", Body=b"%PDF")
    dynamodb.delete_table(TableName=ids["InvoicesTable"])  # someone removed it by hand
    said: list[str] = []

    teardown = Teardown("office", cloudformation, s3, boto3.client("ses"), dynamodb, said.append)
    listed = teardown.resources()  # moto cannot roll back: the listing says what the rollback left
    teardown.resources = lambda: {**listed, "PortalBucket": ("AWS::S3::Bucket", "office-portal-gone")}  # type: ignore[method-assign]
    assert teardown.run(Template(), delete_data=True) == []
    assert "the portal bucket is already gone" in said
    assert ids["DocumentsBucket"] not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    del teardown.resources
    assert teardown.run(Template()) == []
    assert said[-1] == "there is no stack office here: nothing to delete"


def test_what_a_rollback_deleted_is_not_the_stack_s_any_more() -> None:
    class Rolledback:
        def get_paginator(self, _: str) -> Any:
            summaries = [
                {
                    "LogicalResourceId": "PortalBucket",
                    "ResourceType": "AWS::S3::Bucket",
                    "PhysicalResourceId": "office-portal",
                    "ResourceStatus": "DELETE_COMPLETE",
                },
                {
                    "LogicalResourceId": "DocumentsBucket",
                    "ResourceType": "AWS::S3::Bucket",
                    "PhysicalResourceId": "office-documents-1a2b3c4d",
                    "ResourceStatus": "CREATE_COMPLETE",
                },
            ]
            return SimpleNamespace(paginate=lambda **_: [{"StackResourceSummaries": summaries}])

    assert stack_resources(Rolledback(), "office") == {
        "DocumentsBucket": ("AWS::S3::Bucket", "office-documents-1a2b3c4d")
    }


def test_the_smoke_test_signs_a_temporary_staff_user_in_and_removes_them(users: Users) -> None:
    cognito = users.cognito
    client = cognito.create_user_pool_client(
        UserPoolId=users.pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    outputs = {
        "ApiUrl": "https://api.office.example",
        "UserPoolId": users.pool_id,
        "UserPoolClientId": client,
        "DocumentsBucketName": "office-documents",
    }
    cloudformation = boto3.client("cloudformation")
    cloudformation.create_stack(
        StackName="office",
        TemplateBody=json.dumps(
            {
                "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
                "Outputs": {name: {"Value": value} for name, value in outputs.items()},
            }
        ),
    )
    s3, scheduler, lambda_ = boto3.client("s3"), boto3.client("scheduler"), boto3.client("lambda")
    target = StackTarget(
        "office", cloudformation, cognito, s3, scheduler, lambda_, boto3.client("sns"), boto3.client("sesv2")
    )
    token = target.sign_in()
    assert token.count(".") == 2  # a JWT the API's authorizer checks
    (smoker,) = users.everyone()
    assert smoker.roles == ["staff"] and smoker.email.endswith("@smoke.invalid")
    target.clean_up()
    assert users.everyone() == []


def test_the_smoke_test_says_what_keeps_a_new_stack_from_real_customers(cloud: None) -> None:
    cloudformation = boto3.client("cloudformation")
    cloudformation.create_stack(
        StackName="office",
        TemplateBody=json.dumps(
            {
                "Parameters": {"SenderEmail": {"Type": "String"}},
                "Resources": {"AlarmTopic": {"Type": "AWS::SNS::Topic"}},
                "Outputs": {"ApiUrl": {"Value": "https://api.office.example"}},
            }
        ),
        Parameters=[{"ParameterKey": "SenderEmail", "ParameterValue": "billing@siam.example"}],
    )
    sns, sesv2 = boto3.client("sns"), boto3.client("sesv2")
    boto3.client("ses").verify_domain_identity(Domain="siam.example")  # asked for; DNS not published
    sesv2.get_account = lambda: {"ProductionAccessEnabled": False}  # moto has no GetAccount
    target = StackTarget(
        "office", cloudformation, *(boto3.client(s) for s in ("cognito-idp", "s3")), None, None, sns, sesv2
    )
    said: list[str] = []
    smoke = Smoke(target, say=said.append)

    def failures() -> list[str]:
        said.clear()
        for name, step in target.readiness().items():
            smoke._check(name, step)
        return [line for line in said if "FAIL" in line]

    (nobody, unverified, sandboxed) = failures()
    assert "AlarmEmail" in nobody and "DnsRecords" in unverified and "production access" in sandboxed

    topic = physical("office")["AlarmTopic"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="it@siam.example")
    listed = sns.list_subscriptions_by_topic(TopicArn=topic)
    pending = [{**s, "SubscriptionArn": "PendingConfirmation"} for s in listed["Subscriptions"]]
    sns.list_subscriptions_by_topic = lambda **_: {"Subscriptions": pending}  # as SNS lists one unconfirmed
    assert "it@siam.example has not confirmed" in failures()[0]

    sns.list_subscriptions_by_topic = lambda **_: listed
    verified = {"VerifiedForSendingStatus": True, "DkimAttributes": {"Status": "SUCCESS"}}
    sesv2.get_email_identity = lambda **_: verified
    sesv2.get_account = lambda: {"ProductionAccessEnabled": True}
    assert failures() == []


def test_a_stack_cloudformation_cannot_delete_is_named_with_what_to_do(cloud: None) -> None:
    cloudformation = boto3.client("cloudformation")
    cloudformation.create_stack(StackName="office", TemplateBody=json.dumps(STACK))

    def stuck(**_: Any) -> None:
        raise WaiterError(
            "StackDeleteComplete", "DELETE_FAILED", {"Stacks": [{"StackStatus": "DELETE_FAILED"}]}
        )

    cloudformation.get_waiter = lambda _: SimpleNamespace(wait=stuck)
    teardown = Teardown(
        "office", cloudformation, boto3.client("s3"), boto3.client("ses"), boto3.client("dynamodb")
    )
    with pytest.raises(TeardownError, match=r"could not delete office .*run teardown again"):
        teardown.run(Template())
