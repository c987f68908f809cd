"""Guards that keep template.yaml, the code, the sample events and the packaging in step."""

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
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
            of_environ = isinstance(func, ast.Attribute) and "environ" in ast.unparse(func.value)
            if called == "get" and not of_environ:  # a dict's get, not os.environ's
                continue
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


def requirements(folder: Path) -> set[str]:
    lines = (folder / "requirements.txt").read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


LAYERS = {
    lid: requirements(ROOT / res["Properties"]["ContentUri"])
    for lid, res in TEMPLATE.of_type("AWS::Serverless::LayerVersion").items()
}


def test_sam_build_requirements_match_pyproject() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packaged = [requirements(ROOT / "functions"), *LAYERS.values()]
    assert set().union(*packaged) == set(pyproject["project"]["dependencies"])
    assert sum(len(p) for p in packaged) == len(set().union(*packaged)), "a package in two places"


FIRST_PARTY = {p.name for p in (ROOT / "functions").iterdir() if (p / "__init__.py").exists()}
# ApiDocs reads every router's routes to publish the OpenAPI document and never runs one, so what
# the routes import when they run is not its concern.
ROUTES_ONLY = {"ApiDocsFunction"}


def _imports(path: Path, lazy: bool) -> Iterator[str]:
    """Modules a file imports: at load time, and with `lazy` inside its functions too (never under
    `if TYPE_CHECKING:`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test)
        for inner in ast.walk(node)
    }
    nodes = [n for n in ast.walk(tree) if id(n) not in typing_only] if lazy else list(tree.body)
    for node in nodes:
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.If | ast.Try):
            nodes += [n for n in ast.iter_child_nodes(node) if isinstance(n, ast.stmt)]
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def third_party_imports(module: str, lazy: bool) -> set[str]:
    """The distributions a function's handler module may import, following the project's modules."""
    seen: set[str] = set()
    todo, found = [module], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        top = name.split(".")[0]
        if top not in FIRST_PARTY:
            if top not in sys.stdlib_module_names:
                found |= {_normal(d) for d in _distributions().get(top, [top])}
            continue
        base = ROOT / "functions" / Path(*name.split("."))
        file = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
        if file.exists():
            parts = name.split(".")
            todo += [".".join(parts[:i]) for i in range(1, len(parts))]
            todo += list(_imports(file, lazy))
    return found


@cache
def _distributions() -> Mapping[str, list[str]]:
    from importlib.metadata import packages_distributions

    return packages_distributions()


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(pins: set[str]) -> set[str]:
    return {_normal(pin.split("==")[0].split("[")[0]) for pin in pins}


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_every_function_carries_what_it_imports_and_no_layer_it_does_not(logical_id: str) -> None:
    spec = FUNCTIONS[logical_id]
    needed = third_party_imports(spec.handler.rpartition(".")[0], lazy=logical_id not in ROUTES_ONLY)
    base = _names(requirements(ROOT / "functions")) | {"botocore"}  # boto3's
    carried = {layer: _names(LAYERS[layer]) for layer in spec.layers}
    missing = needed - base - set().union(*carried.values())
    layer_deps = {"fonttools", "defusedxml"}  # fpdf2's own
    assert not missing - layer_deps, f"imports {missing} but neither packages nor a layer bring them"
    for layer, names in carried.items():
        assert names & needed, f"carries {layer} without importing any of {sorted(names)}"


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


def queues_alarmed(metric: str | None = None) -> set[str]:
    """The queues (logical ids) an SQS alarm watches, on `metric` or on any."""
    return {
        res["Properties"]["Dimensions"][0]["Value"]["Fn::GetAtt"][0]
        for res in TEMPLATE.of_type("AWS::CloudWatch::Alarm").values()
        if res["Properties"].get("Namespace") == "AWS/SQS"
        and metric in (None, res["Properties"].get("MetricName"))
    }


def test_every_dead_letter_queue_has_a_depth_alarm_and_every_consumed_queue_a_dlq() -> None:
    queues = TEMPLATE.of_type("AWS::SQS::Queue")
    dlqs = {lid for lid in queues if "RedrivePolicy" not in (queues[lid].get("Properties") or {})}
    alarmed = queues_alarmed()
    assert dlqs <= alarmed
    for spec in FUNCTIONS.values():
        for event in spec.events:
            if event.type == "SQS":
                queue = next(lid for lid in queues if TEMPLATE.arn(lid) == event.properties["Queue"])
                assert "RedrivePolicy" in TEMPLATE.properties(queue)
            if event.type == "ScheduleV2":
                assert event.properties.get("DeadLetterConfig") and event.properties.get("RetryPolicy")


def test_a_failed_message_that_waits_is_announced_again_after_a_day_and_a_week() -> None:
    """A dead-letter alarm notifies once; a person who missed it hears again while messages wait."""
    queues = TEMPLATE.of_type("AWS::SQS::Queue")
    dlqs = {lid for lid in queues if "RedrivePolicy" not in (queues[lid].get("Properties") or {})}
    reminders = {}
    for res in TEMPLATE.of_type("AWS::CloudWatch::Alarm").values():
        stats = [m["MetricStat"]["Metric"] for m in res["Properties"].get("Metrics", []) if "MetricStat" in m]
        ages = [m for m in stats if m["MetricName"] == "ApproximateAgeOfOldestMessage"]
        if ages:
            reminders[res["Properties"]["Threshold"]] = {
                m["Dimensions"][0]["Value"]["Fn::GetAtt"][0] for m in ages
            }
    assert reminders == {86400: dlqs, 604800: dlqs}
    assert all(TEMPLATE.properties(q)["MessageRetentionPeriod"] > 604800 for q in dlqs)


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


# SAM event types whose service invokes the function asynchronously (the rest poll or wait for it)
ASYNCHRONOUS = {
    "ScheduleV2",
    "Schedule",
    "EventBridgeRule",
    "CloudWatchEvent",
    "S3",
    "SNS",
    "CloudWatchLogs",
    "IoTRule",
}


def test_every_asynchronous_run_that_fails_is_kept_where_an_alarm_sees_it() -> None:
    """Scheduler, EventBridge, S3 and SNS invoke asynchronously: their DLQs only get what they could not
    hand over, and a function that raises is retried by Lambda and then dropped, unless its
    EventInvokeConfig keeps it somewhere. No other service may invoke a function directly."""
    queues = TEMPLATE.of_type("AWS::SQS::Queue")
    alarmed = queues_alarmed()
    invoked = [spec for spec in FUNCTIONS.values() if any(e.type in ASYNCHRONOUS for e in spec.events)]
    assert len(invoked) >= 6
    assert not TEMPLATE.of_type("AWS::Lambda::Permission"), "an invoker outside the functions' events"
    for spec in invoked:
        assert spec.on_failure, f"{spec.logical_id}: a failed run would be dropped"
        (queue,) = (lid for lid in queues if TEMPLATE.arn(lid) == spec.on_failure)
        assert queue in alarmed, f"{spec.logical_id}'s failures reach {queue}, which no alarm watches"


def test_a_queue_a_function_reads_raises_an_alarm_when_its_messages_wait() -> None:
    """A trigger switched off, or a function that never succeeds, lets messages age unseen until they
    expire: every consumed queue has an alarm on the age of its oldest message."""
    queues = TEMPLATE.of_type("AWS::SQS::Queue")
    aged = queues_alarmed("ApproximateAgeOfOldestMessage")
    consumed = {
        next(lid for lid in queues if TEMPLATE.arn(lid) == event.properties["Queue"])
        for spec in FUNCTIONS.values()
        for event in spec.events
        if event.type == "SQS"
    }
    assert consumed and consumed <= aged
