"""Guards that keep template.yaml, the code, the sample events and the packaging in step."""

import ast
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from infra.template import ROOT, Template

TEMPLATE = Template()
FUNCTIONS = TEMPLATE.functions
LAMBDA_RESERVED = {
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "LAMBDA_TASK_ROOT",
    "_HANDLER",
    "TZ",
}


def test_template_declares_functions() -> None:
    assert FUNCTIONS, "template.yaml declares no function"


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_every_handler_imports_with_only_its_own_environment(logical_id: str) -> None:
    spec = FUNCTIONS[logical_id]
    module, _, name = spec.handler.rpartition(".")
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(spec.code_dir),
        "AWS_DEFAULT_REGION": "us-east-1",
        **spec.environment,
    }
    code = f"import importlib; assert callable(getattr(importlib.import_module({module!r}), {name!r}))"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def _env_names_read_by(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("get", "getenv", "env") and isinstance(node.args[0].value, str):
                value = node.args[0].value
                if value.isupper() and value.replace("_", "").isalnum():
                    names.add(value)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            target = node.value
            if isinstance(target, ast.Attribute) and target.attr == "environ":
                names.add(str(node.slice.value))
    return names


def test_every_environment_variable_the_code_reads_is_declared() -> None:
    declared = set(LAMBDA_RESERVED)
    for spec in FUNCTIONS.values():
        declared |= set(spec.environment)
    read = set()
    for path in (ROOT / "functions").rglob("*.py"):
        read |= _env_names_read_by(path)
    assert read - declared == set()


SAMPLE_EVENTS = sorted((ROOT / "events").glob("*/*.json"))


def test_every_function_has_sample_events() -> None:
    with_samples = {path.parent.name for path in SAMPLE_EVENTS}
    assert set(FUNCTIONS) <= with_samples
    assert with_samples <= set(FUNCTIONS), "a folder under events/ names no function"


@pytest.mark.parametrize("path", SAMPLE_EVENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_event_is_accepted_by_its_handler(path: Path, aws, monkeypatch) -> None:
    import importlib

    spec = FUNCTIONS[path.parent.name]
    for key, value in spec.environment.items():
        monkeypatch.setenv(key, value)
    module, _, name = spec.handler.rpartition(".")
    handler = getattr(importlib.import_module(module), name)
    event = json.loads(path.read_text(encoding="utf-8"))

    class Context:
        function_name = spec.name
        memory_limit_in_mb = spec.memory
        invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{spec.name}"
        aws_request_id = "sample"

        @staticmethod
        def get_remaining_time_in_millis() -> int:
            return spec.timeout * 1000

    result = handler(event, Context())
    if "routeKey" in event:
        assert result["statusCode"] < 400, result


def test_sam_build_requirements_match_pyproject() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    lines = (ROOT / "functions" / "requirements.txt").read_text().splitlines()
    packaged = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    assert packaged == set(pyproject["project"]["dependencies"])


def test_every_function_has_an_errors_alarm() -> None:
    alarmed = {
        TEMPLATE.raw["Resources"][lid]["Properties"]["Dimensions"][0]["Value"]["Ref"]
        for lid, res in TEMPLATE.of_type("AWS::CloudWatch::Alarm").items()
        if res["Properties"].get("Namespace") == "AWS/Lambda"
        and res["Properties"].get("MetricName") == "Errors"
    }
    assert set(FUNCTIONS) <= alarmed
    metrics = {
        res["Properties"].get("MetricName") for res in TEMPLATE.of_type("AWS::CloudWatch::Alarm").values()
    }
    assert "Throttles" in metrics


def test_every_dead_letter_queue_has_a_depth_alarm_and_every_consumed_queue_a_dlq() -> None:
    queues = TEMPLATE.of_type("AWS::SQS::Queue")
    dlqs = {lid for lid in queues if "RedrivePolicy" not in (queues[lid].get("Properties") or {})}
    alarmed = {
        res["Properties"]["Dimensions"][0]["Value"]["Fn::GetAtt"][0]
        for res in TEMPLATE.of_type("AWS::CloudWatch::Alarm").values()
        if res["Properties"].get("Namespace") == "AWS/SQS"
    }
    assert dlqs <= alarmed
    for spec in FUNCTIONS.values():
        for event in spec.events:
            if event.type == "SQS":
                queue = next(lid for lid in queues if TEMPLATE.arn(lid) == event.properties["Queue"])
                assert "RedrivePolicy" in TEMPLATE.properties(queue)
            if event.type == "ScheduleV2":
                assert event.properties.get("DeadLetterConfig") and event.properties.get("RetryPolicy")


def test_tables_are_on_demand_with_point_in_time_recovery() -> None:
    for logical_id in TEMPLATE.of_type("AWS::DynamoDB::Table"):
        props = TEMPLATE.properties(logical_id)
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_documents_bucket_refuses_plain_http_and_public_access() -> None:
    policy = TEMPLATE.properties("DocumentsBucketPolicy")["PolicyDocument"]
    denial = [s for s in policy["Statement"] if s["Effect"] == "Deny"]
    assert denial and denial[0]["Condition"]["Bool"]["aws:SecureTransport"] == "false"
    block = TEMPLATE.properties("DocumentsBucket")["PublicAccessBlockConfiguration"]
    assert all(block.values())
