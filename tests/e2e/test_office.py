"""`make run` brings up every resource of template.yaml and serves the API description."""

import json

import pytest

from infra.template import Template
from tests.e2e.conftest import RunningCloud

pytestmark = pytest.mark.e2e


def test_every_declared_table_queue_and_bucket_exists(office: RunningCloud) -> None:
    template = Template()
    tables = set(office.client("dynamodb").list_tables()["TableNames"])
    assert {template.physical_name(t) for t in template.of_type("AWS::DynamoDB::Table")} <= tables
    queues = {url.rsplit("/", 1)[-1] for url in office.client("sqs").list_queues()["QueueUrls"]}
    assert {template.physical_name(q) for q in template.of_type("AWS::SQS::Queue")} <= queues
    buckets = {b["Name"] for b in office.client("s3").list_buckets()["Buckets"]}
    assert office.get("/_local/resources")["bucket"] in buckets
    assert "documents" in office.get("/_local/resources")["bucket"]


def test_openapi_document_and_swagger_ui_are_public(office: RunningCloud) -> None:
    status, headers, body = office.request("GET", "/openapi.json")
    assert status == 200
    document = json.loads(body)
    assert document["openapi"].startswith("3.")
    assert "cognitoJwt" in document["components"]["securitySchemes"]
    status, headers, body = office.request("GET", "/docs")
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert b"swagger" in body.lower()
