"""The local cloud delivers every trigger as AWS would, driven only from the outside."""

import json

import jwt
import pytest

from tests.e2e.conftest import PROBE_TEMPLATE, RunningCloud, wait_for

pytestmark = pytest.mark.e2e


def table_name(cloud: RunningCloud) -> str:
    tables = cloud.get("/_local/resources")["tables"]
    return str(tables["ProbeTable"])


def items(cloud: RunningCloud, prefix: str) -> list[dict]:
    table = table_name(cloud)
    found = cloud.client("dynamodb").scan(TableName=table)["Items"]
    return [i for i in found if i["pk"]["S"].startswith(prefix)]


def test_request_without_token_gets_401_and_never_reaches_the_function(probe_cloud: RunningCloud) -> None:
    before = probe_cloud.log().count("-> EchoFunction")
    status, _headers, body = probe_cloud.request("GET", "/echo/x")
    assert status == 401
    assert json.loads(body) == {"message": "Unauthorized"}
    assert probe_cloud.log().count("-> EchoFunction") == before


@pytest.mark.parametrize("tamper", ["expired", "wrong-key", "garbage"])
def test_bad_tokens_are_refused(probe_cloud: RunningCloud, tamper: str, tmp_path) -> None:
    if tamper == "expired":
        token = probe_cloud.token("staff", expires_in=-60)
    elif tamper == "wrong-key":
        from cryptography.hazmat.primitives.asymmetric import rsa

        claims = jwt.decode(probe_cloud.token("staff"), options={"verify_signature": False})
        token = jwt.encode(
            claims, rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm="RS256"
        )
    else:
        token = "not-a-jwt"
    status, _, _ = probe_cloud.request("GET", "/echo/x", headers={"authorization": f"Bearer {token}"})
    assert status == 401


def test_http_event_is_payload_format_2_with_claims(probe_cloud: RunningCloud) -> None:
    token = probe_cloud.token("employee", employee_id="E-1001")
    status, headers, body = probe_cloud.request(
        "POST",
        "/echo/H%C3%B3a%20%C4%91%C6%A1n?a=1&a=2&b=x",
        raw="xin chào".encode(),
        headers={
            "authorization": f"Bearer {token}",
            "content-type": "text/plain; charset=utf-8",
            "X-Custom": "Yes",
            "cookie": "c1=v1; c2=v2",
        },
    )
    assert status == 200
    assert headers["x-probe"] == "yes"
    assert "probe=1" in headers["set-cookie"]
    event = json.loads(body)["event"]
    assert event["version"] == "2.0"
    assert event["routeKey"] == "ANY /echo/{name}"
    assert event["rawPath"] == "/echo/H%C3%B3a%20%C4%91%C6%A1n"
    assert event["pathParameters"] == {"name": "Hóa đơn"}
    assert event["queryStringParameters"] == {"a": "1,2", "b": "x"}
    assert event["headers"]["x-custom"] == "Yes"
    assert event["cookies"] == ["c1=v1", "c2=v2"]
    assert event["body"] == "xin chào" and event["isBase64Encoded"] is False
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    assert claims["cognito:groups"] == "[employee]"
    assert claims["custom:employee_id"] == "E-1001"


def test_binary_bodies_arrive_base64_encoded(probe_cloud: RunningCloud) -> None:
    token = probe_cloud.token()
    payload = bytes(range(256))
    _status, _, body = probe_cloud.request(
        "POST",
        "/echo/bin",
        raw=payload,
        headers={"authorization": f"Bearer {token}", "content-type": "application/octet-stream"},
    )
    import base64

    event = json.loads(body)["event"]
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == payload


def test_public_route_needs_no_token(probe_cloud: RunningCloud) -> None:
    status, _, body = probe_cloud.request("GET", "/public")
    assert status == 200
    assert "authorizer" not in json.loads(body)["event"]["requestContext"]


def test_cors_preflight_follows_the_template(probe_cloud: RunningCloud) -> None:
    allowed = {"origin": "http://forms.example.com", "access-control-request-method": "POST"}
    status, headers, _ = probe_cloud.request("OPTIONS", "/echo/x", headers=allowed)
    assert status == 204
    assert headers["access-control-allow-origin"] == "http://forms.example.com"
    assert "POST" in headers["access-control-allow-methods"]
    status, headers, _ = probe_cloud.request(
        "OPTIONS", "/echo/x", headers={**allowed, "origin": "http://evil.example.com"}
    )
    assert "access-control-allow-origin" not in headers


def test_unknown_route_is_404(probe_cloud: RunningCloud) -> None:
    status, _, _ = probe_cloud.request("GET", "/nowhere")
    assert status == 404


def test_function_timeout_is_503(probe_cloud: RunningCloud) -> None:
    status, _, _ = probe_cloud.request(
        "GET", "/slow", headers={"authorization": f"Bearer {probe_cloud.token()}"}
    )
    assert status == 503


def test_poisoned_message_ends_in_dlq_and_blocks_nothing(probe_cloud: RunningCloud) -> None:
    sqs = probe_cloud.client("sqs")
    queue = sqs.get_queue_url(QueueName="backoffice-local-work-queue")["QueueUrl"]
    dlq = sqs.get_queue_url(QueueName="backoffice-local-work-dead-letter-queue")["QueueUrl"]
    for body in ["good-1", "poison-1", "good-2"]:
        sqs.send_message(QueueUrl=queue, MessageBody=body)
    wait_for(lambda: len(items(probe_cloud, "work#good")) == 2)
    dead = wait_for(lambda: sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=1).get("Messages"), timeout=40)
    assert [m["Body"] for m in dead] == ["poison-1"]
    assert not items(probe_cloud, "work#poison")
    goods = items(probe_cloud, "work#good")
    assert all(item["receives"]["S"] == "1" for item in goods), "good messages were processed once"


def test_schedule_fires_in_the_declared_timezone(probe_cloud: RunningCloud) -> None:
    # 00:30 in Bangkok (UTC+7) is 17:30 UTC the day before.
    result = probe_cloud.cli("schedule", "NightlyTick", "--at", "2026-11-23T00:30:00")
    assert result.returncode == 0, result.stderr
    ticks = items(probe_cloud, "tick#")
    assert "tick#2026-11-22T17:30:00Z" in [t["pk"]["S"] for t in ticks]
    event = json.loads(next(t for t in ticks if t["pk"]["S"] == "tick#2026-11-22T17:30:00Z")["event"]["S"])
    assert event["detail-type"] == "Scheduled Event"
    assert event["resources"][0].endswith(":schedule/default/NightlyTick")


def test_outbox_captures_email(probe_cloud: RunningCloud) -> None:
    token = probe_cloud.token()
    status, _, _ = probe_cloud.request(
        "POST", "/mail", {"to": "lan.nguyen@example.com"}, headers={"authorization": f"Bearer {token}"}
    )
    assert status == 200
    listing = probe_cloud.cli("outbox", "--to", "lan.nguyen@example.com", "--json")
    messages = json.loads(listing.stdout)
    assert messages[0]["subject"] == "Probe"
    shown = json.loads(probe_cloud.cli("outbox", messages[0]["id"]).stdout)
    assert shown["text"].strip() == "hello from the probe"


def test_invoke_runs_one_function_with_an_event_file(probe_cloud: RunningCloud, tmp_path) -> None:
    event = tmp_path / "tick.json"
    event.write_text(json.dumps({"time": "2030-01-01T00:00:00Z", "detail": {}}))
    result = probe_cloud.cli("invoke", "TickFunction", "--event", str(event))
    assert result.returncode == 0, result.stderr
    assert items(probe_cloud, "tick#2030-01-01")


def test_commands_fail_clearly_when_nothing_runs(tmp_path) -> None:
    idle = RunningCloud(PROBE_TEMPLATE, tmp_path / "state")
    result = idle.cli("outbox")
    assert result.returncode == 1
    assert "not running" in result.stderr
    assert "Traceback" not in result.stderr


def test_restart_keeps_tables_objects_and_outbox(tmp_path) -> None:
    cloud = RunningCloud(PROBE_TEMPLATE, tmp_path / "state").start()
    try:
        table = table_name(cloud)
        cloud.client("dynamodb").put_item(TableName=table, Item={"pk": {"S": "kept"}})
        bucket = cloud.get("/_local/resources")["bucket"]
        cloud.client("s3").put_object(
            Bucket=bucket, Key="inbox/Hóa đơn.pdf", Body=b"%PDF-1.4 kept", ContentType="application/pdf"
        )
        token = cloud.token()
        cloud.request(
            "POST", "/mail", {"to": "minh.tran@example.com"}, headers={"authorization": f"Bearer {token}"}
        )
    finally:
        cloud.stop()
    again = RunningCloud(PROBE_TEMPLATE, tmp_path / "state", api_port=cloud.api_port, aws_port=cloud.aws_port)
    again.start()
    try:
        assert again.client("dynamodb").get_item(TableName=table, Key={"pk": {"S": "kept"}}).get("Item")
        kept = again.client("s3").get_object(Bucket=bucket, Key="inbox/Hóa đơn.pdf")
        assert kept["Body"].read() == b"%PDF-1.4 kept"
        assert kept["ContentType"] == "application/pdf"
        assert json.loads(again.cli("outbox", "--json").stdout)[0]["to"] == ["minh.tran@example.com"]
        # the signing key is kept too: a token issued before the restart is still accepted
        status, _, _ = again.request("GET", "/echo/x", headers={"authorization": f"Bearer {token}"})
        assert status == 200
    finally:
        again.stop()


def test_a_busy_port_is_reported_plainly(probe_cloud: RunningCloud, tmp_path) -> None:
    clash = RunningCloud(PROBE_TEMPLATE, tmp_path / "state", api_port=probe_cloud.api_port)
    result = clash.cli("local", "--template", str(PROBE_TEMPLATE))
    assert result.returncode == 1
    assert f"port {probe_cloud.api_port} is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_scheduled_run_that_raises_is_retried_then_kept_with_its_error(probe_cloud: RunningCloud) -> None:
    """As in AWS: Scheduler hands the run over once; Lambda retries it (EventInvokeConfig) and sends the
    failed invocation's record to the function's on-failure destination, not to the schedule's DLQ."""
    sqs = probe_cloud.client("sqs")
    kept = sqs.get_queue_url(QueueName="backoffice-local-tick-failure-queue")["QueueUrl"]
    before = probe_cloud.log().count("-> TickFunction")
    result = probe_cloud.cli("schedule", "FailingTick", "--at", "2026-12-31T23:59:00")
    assert result.returncode == 1 and "failed" in result.stderr
    assert probe_cloud.log().count("-> TickFunction") - before == 2  # the run and Lambda's one retry
    (message,) = wait_for(lambda: sqs.receive_message(QueueUrl=kept, WaitTimeSeconds=1).get("Messages"))
    record = json.loads(message["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestPayload"]["detail"] == {"fail": True}
    assert record["responsePayload"]["errorMessage"] == "tick failed on purpose"
