"""Each function's IAM role as CloudFormation will create it: template.yaml put through the SAM
transform (aws-sam-translator, run in the SAM CLI's own environment, whose pinned pydantic differs
from the functions'), then its inline policies resolved for one place (moto or the local cloud)."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.template import TEMPLATE_PATH, Template

ROOT = Path(__file__).resolve().parents[1]
SAM_PYTHON = ROOT / ".tools" / "sam" / "bin" / "python"

TRANSLATE = """
import json, sys
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

class NoManagedPolicies:  # AWS managed policies are attached by ARN; their contents are not needed
    def load(self):
        return {}

template = yaml_parse(open(sys.argv[1], encoding="utf-8").read())
template.get("Globals", {}).get("Function", {}).pop("CodeUri", None)
for resource in template["Resources"].values():
    if resource["Type"] == "AWS::Serverless::Function":  # as `sam package` leaves it
        resource["Properties"]["CodeUri"] = "s3://artifacts/backoffice.zip"
    if resource["Type"] == "AWS::Serverless::LayerVersion":
        resource["Properties"]["ContentUri"] = "s3://artifacts/layer.zip"
json.dump(transform(template, {}, NoManagedPolicies()), sys.stdout)
"""


@dataclass(frozen=True)
class Role:
    function: str
    managed_policy_arns: list[str]
    policies: dict[str, dict[str, Any]]  # name -> resolved policy document


def translate(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The CloudFormation template the SAM transform makes of template.yaml."""
    if not SAM_PYTHON.exists():
        raise RuntimeError(f"{SAM_PYTHON} is missing: `make` installs the SAM CLI into .tools/sam")
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1"}
    out = subprocess.run(
        [str(SAM_PYTHON), "-c", TRANSLATE, str(path)], capture_output=True, text=True, env=env, check=False
    )
    if out.returncode:
        raise RuntimeError(f"the SAM transform failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout))


def function_roles(template: Template, translated: dict[str, Any] | None = None) -> dict[str, Role]:
    """Each function's execution role, its inline policies resolved against `template`."""
    resources = (translated or translate(template.path))["Resources"]
    roles = {}
    for function in template.functions:
        role = resources[f"{function}Role"]["Properties"]
        policies = {p["PolicyName"]: template.resolve(p["PolicyDocument"]) for p in role.get("Policies", [])}
        roles[function] = Role(function, list(role.get("ManagedPolicyArns", [])), policies)
    return roles
