"""Read template.yaml as CloudFormation would: parameters, rules, intrinsic functions, conditions,
SAM Globals.

The local cloud and the tests build everything from this reading, so the template stays the
single source of truth. Physical names are local and stable (`backoffice-local-intake-queue`).
Parameters the template leaves to the office take the demo office's values (infra/demo/parameters.toml)
unless the caller passes its own.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "template.yaml"
DEMO_PARAMETERS = ROOT / "infra" / "demo" / "parameters.toml"
ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
NO_VALUE = object()


class TemplateError(ValueError):
    """The template uses something this reader cannot resolve."""


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form tags (!Ref, !Sub, !GetAtt ...)."""


def _construct_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    if tag_suffix == "Condition":
        return {"Condition": value}
    return {f"Fn::{tag_suffix}": value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


def load_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    if not isinstance(data, dict):
        raise TemplateError(f"{path} is not a template")
    return data


def kebab(name: str) -> str:
    """`IntakeDeadLetterQueue` -> `intake-dead-letter-queue`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value) if key in base else value
        return merged
    return override


@dataclass(frozen=True)
class EventSpec:
    """One trigger of a function (`HttpApi`, `SQS`, `ScheduleV2`, ...), properties resolved."""

    name: str
    type: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class FunctionSpec:
    """A SAM function as deployed: Globals merged in, intrinsics resolved."""

    logical_id: str
    name: str
    handler: str
    code_dir: Path
    runtime: str
    timeout: int
    memory: int
    environment: dict[str, str]
    events: list[EventSpec] = field(default_factory=list)
    policies: list[Any] = field(default_factory=list)
    reserved_concurrency: int | None = None
    layers: list[str] = field(default_factory=list)  # logical ids of its AWS::Serverless::LayerVersions
    async_retries: int = 2  # Lambda's own retries of an asynchronous invocation (EventInvokeConfig)
    on_failure: str | None = None  # where a failed asynchronous invocation is kept (a queue's ARN)


def _event_invoke_config(config: dict[str, Any]) -> dict[str, Any]:
    on_failure = ((config.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
    return {"async_retries": int(config.get("MaximumRetryAttempts", 2)), "on_failure": on_failure}


class Template:
    """template.yaml resolved for one place (the local cloud, or moto in tests)."""

    def __init__(
        self,
        path: Path = TEMPLATE_PATH,
        *,
        stack_name: str = "backoffice-local",
        parameters: dict[str, str] | None = None,
        endpoint_url: str | None = None,
    ) -> None:
        self.path = path
        self.raw = load_yaml(path)
        self.stack_name = stack_name
        self.endpoint_url = endpoint_url.rstrip("/") if endpoint_url else None
        self._overrides = dict(parameters or {})

    # ------------------------------------------------------------ parameters
    @cached_property
    def parameters(self) -> dict[str, Any]:
        demo = tomllib.loads(DEMO_PARAMETERS.read_text(encoding="utf-8"))
        values: dict[str, Any] = {}
        for name, spec in (self.raw.get("Parameters") or {}).items():
            value = self._overrides.get(name, demo.get(name, spec.get("Default")))
            if value is None:
                raise TemplateError(f"parameter {name} has no default; pass a value")
            if spec.get("Type") == "CommaDelimitedList" and isinstance(value, str):
                value = [item.strip() for item in value.split(",") if item.strip()]
            values[name] = value
        return values

    def broken_rules(self) -> list[str]:
        """What CloudFormation would refuse these parameters for: the failing assertions' descriptions."""
        broken = []
        for rule in (self.raw.get("Rules") or {}).values():
            if "RuleCondition" in rule and not self.resolve(rule["RuleCondition"]):
                continue
            for assertion in rule["Assertions"]:
                if not self.resolve(assertion["Assert"]):
                    broken.append(assertion.get("AssertDescription", "a rule of the template fails"))
        return broken

    @cached_property
    def conditions(self) -> dict[str, bool]:
        results: dict[str, bool] = {}
        raw = self.raw.get("Conditions") or {}

        def evaluate(name: str) -> bool:
            if name not in results:
                results[name] = bool(self.resolve(raw[name], conditions=evaluate))
            return results[name]

        for name in raw:
            evaluate(name)
        return results

    @cached_property
    def resources(self) -> dict[str, dict[str, Any]]:
        """Resources whose condition holds, in template order."""
        return {
            logical_id: resource
            for logical_id, resource in (self.raw.get("Resources") or {}).items()
            if "Condition" not in resource or self.conditions[resource["Condition"]]
        }

    def of_type(self, *types: str) -> dict[str, dict[str, Any]]:
        return {lid: res for lid, res in self.resources.items() if res["Type"] in types}

    def properties(self, logical_id: str) -> dict[str, Any]:
        resolved = self.resolve(self.resources[logical_id].get("Properties") or {})
        return resolved if isinstance(resolved, dict) else {}

    # ----------------------------------------------------------------- names
    def physical_name(self, logical_id: str) -> str:
        """The resource's name: its declared name if it has one, else a stable readable one."""
        resource = self.resources[logical_id]
        declared = {
            "AWS::S3::Bucket": "BucketName",
            "AWS::DynamoDB::Table": "TableName",
            "AWS::SQS::Queue": "QueueName",
            "AWS::Serverless::Function": "FunctionName",
            "AWS::SNS::Topic": "TopicName",
            "AWS::Events::EventBus": "Name",
            "AWS::Events::Rule": "Name",
        }.get(resource["Type"])
        props = resource.get("Properties") or {}
        if declared and declared in props:
            return str(self.resolve(props[declared]))
        return f"{self.stack_name}-{kebab(logical_id)}"

    def arn(self, logical_id: str) -> str:
        kind = self.resources[logical_id]["Type"]
        name = self.physical_name(logical_id)
        prefix = {
            "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/",
            "AWS::SQS::Queue": f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:",
            "AWS::S3::Bucket": "arn:aws:s3:::",
            "AWS::Serverless::Function": f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:",
            "AWS::SNS::Topic": f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:",
            "AWS::Cognito::UserPool": f"arn:aws:cognito-idp:{REGION}:{ACCOUNT_ID}:userpool/",
            "AWS::Events::EventBus": f"arn:aws:events:{REGION}:{ACCOUNT_ID}:event-bus/",
            "AWS::Events::Rule": f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/",
        }.get(kind, f"arn:aws:local:{REGION}:{ACCOUNT_ID}:{kind.split('::')[-1].lower()}/")
        return prefix + name

    def ref(self, logical_id: str) -> str:
        """What `!Ref` returns for a resource, per its type's documented return value."""
        kind = self.resources[logical_id]["Type"]
        if kind == "AWS::SQS::Queue":
            base = self.endpoint_url or f"https://sqs.{REGION}.amazonaws.com"
            return f"{base}/{ACCOUNT_ID}/{self.physical_name(logical_id)}"
        if kind == "AWS::SNS::Topic":
            return self.arn(logical_id)
        return self.physical_name(logical_id)

    def get_att(self, logical_id: str, attribute: str) -> str:
        if logical_id not in self.resources:
            raise TemplateError(f"!GetAtt names unknown resource {logical_id}")
        if attribute == "Arn":
            return self.arn(logical_id)
        if attribute == "QueueName" or attribute == "TopicName":
            return self.physical_name(logical_id)
        if attribute == "QueueUrl":
            return self.ref(logical_id)
        if attribute == "StreamArn":
            return self.arn(logical_id) + "/stream/local"
        if attribute == "DomainName":  # a distribution: locally the gateway serves the portal
            return f"{self.physical_name(logical_id)}.cloudfront.local"
        if attribute == "RegionalDomainName":
            return f"{self.physical_name(logical_id)}.s3.{REGION}.amazonaws.com"
        if attribute == "Id":
            return self.physical_name(logical_id)
        raise TemplateError(f"!GetAtt {logical_id}.{attribute} is not supported locally")

    def pseudo(self, name: str) -> str | None:
        return {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::StackName": self.stack_name,
            "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/{self.stack_name}/local",
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }.get(name)

    # ------------------------------------------------------------ intrinsics
    def resolve(self, value: Any, conditions: Any = None) -> Any:
        """Resolve intrinsic functions in a value, as CloudFormation does at deploy time."""
        condition = conditions or (lambda name: self.conditions[name])
        result = self._resolve(value, condition)
        return None if result is NO_VALUE else result

    def _resolve(self, value: Any, condition: Any) -> Any:
        if isinstance(value, list):
            items = [self._resolve(item, condition) for item in value]
            return [item for item in items if item is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            handler = self._intrinsics().get(key)
            if handler is not None:
                return handler(arg, condition)
        out = {}
        for key, item in value.items():
            resolved = self._resolve(item, condition)
            if resolved is not NO_VALUE:
                out[key] = resolved
        return out

    def _intrinsics(self) -> dict[str, Any]:
        return {
            "Ref": self._ref,
            "Fn::GetAtt": lambda arg, c: self.get_att(*self._resolve(arg, c)),
            "Fn::Sub": self._sub,
            "Fn::If": lambda arg, c: self._resolve(arg[1] if c(arg[0]) else arg[2], c),
            "Fn::Equals": lambda arg, c: self._resolve(arg[0], c) == self._resolve(arg[1], c),
            "Fn::Contains": lambda arg, c: self._resolve(arg[1], c) in self._resolve(arg[0], c),
            "Fn::Not": lambda arg, c: not self._resolve(arg[0], c),
            "Fn::And": lambda arg, c: all(self._resolve(a, c) for a in arg),
            "Fn::Or": lambda arg, c: any(self._resolve(a, c) for a in arg),
            "Condition": lambda arg, c: c(arg),
            "Fn::Join": lambda arg, c: str(arg[0]).join(str(x) for x in self._resolve(arg[1], c)),
            "Fn::Select": lambda arg, c: self._resolve(arg[1], c)[int(self._resolve(arg[0], c))],
            "Fn::Split": lambda arg, c: str(self._resolve(arg[1], c)).split(arg[0]),
            "Fn::ToJsonString": lambda arg, c: json.dumps(self._resolve(arg, c)),
            "Fn::FindInMap": self._find_in_map,
        }

    def _find_in_map(self, arg: Any, condition: Any) -> Any:
        name, top, second = (self._resolve(item, condition) for item in arg)
        try:
            return self.raw["Mappings"][name][top][second]
        except KeyError:
            raise TemplateError(
                f"the mapping {name} has no {top}/{second}: pass a parameter instead"
            ) from None

    def output(self, name: str, default: Any = None) -> Any:
        """The value the stack's output `name` takes (`default` when the template has no such output)."""
        found = (self.raw.get("Outputs") or {}).get(name)
        return default if found is None else self.resolve(found["Value"])

    def _ref(self, name: str, _: Any) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        pseudo = self.pseudo(name)
        if pseudo is not None:
            return pseudo
        if name in self.parameters:
            return self.parameters[name]
        if name in self.resources:
            return self.ref(name)
        raise TemplateError(f"!Ref {name} names nothing in the template")

    def _sub(self, arg: Any, condition: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self._resolve(arg[1], condition))

        def replace(match: re.Match[str]) -> str:
            token = match.group(1)
            if token.startswith("!"):
                return "${" + token[1:] + "}"
            if token in variables:
                return str(variables[token])
            if "." in token and not token.startswith("AWS::"):
                logical_id, attribute = token.split(".", 1)
                return self.get_att(logical_id, attribute)
            value = self._ref(token, condition)
            return ",".join(value) if isinstance(value, list) else str(value)

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    # -------------------------------------------------------------- functions
    @cached_property
    def functions(self) -> dict[str, FunctionSpec]:
        """Every AWS::Serverless::Function with Globals merged in, by logical id."""
        globals_fn = (self.raw.get("Globals") or {}).get("Function") or {}
        specs = {}
        for logical_id, resource in self.of_type("AWS::Serverless::Function").items():
            merged = _merge(copy.deepcopy(globals_fn), resource.get("Properties") or {})
            layers = [layer["Ref"] for layer in merged.pop("Layers", [])]
            props = self.resolve(merged)
            variables = ((props.get("Environment") or {}).get("Variables")) or {}
            events = [
                EventSpec(name, event["Type"], event.get("Properties") or {})
                for name, event in (props.get("Events") or {}).items()
            ]
            specs[logical_id] = FunctionSpec(
                logical_id=logical_id,
                name=self.physical_name(logical_id),
                handler=props["Handler"],
                code_dir=(self.path.parent / props.get("CodeUri", ".")).resolve(),
                runtime=props.get("Runtime", "python3.12"),
                timeout=int(props.get("Timeout", 3)),
                memory=int(props.get("MemorySize", 128)),
                environment={key: str(value) for key, value in variables.items()},
                events=events,
                policies=list(props.get("Policies") or []),
                reserved_concurrency=(
                    int(props["ReservedConcurrentExecutions"])
                    if props.get("ReservedConcurrentExecutions") is not None
                    else None
                ),
                layers=layers,
                **_event_invoke_config(props.get("EventInvokeConfig") or {}),
            )
        return specs

    def http_api(self) -> dict[str, Any]:
        """The properties of the template's (single) AWS::Serverless::HttpApi."""
        apis = self.of_type("AWS::Serverless::HttpApi")
        if not apis:
            return {}
        return self.properties(next(iter(apis)))
