"""Where a stack is deployed: the region a command means, and whether the template can live there.

One region serves both countries: ap-southeast-1 (Singapore) has every service the template uses,
SES sending and receiving included. Bangkok (ap-southeast-7) has no SES resource types in
CloudFormation and no Textract; Vietnam has no region. docs/data-residency.md says what that means.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from infra.template import ROOT, TEMPLATE_PATH

DEFAULT_REGION = "ap-southeast-1"
SETTINGS = (ROOT / "samconfig.local.toml", ROOT / "samconfig.toml")


def chosen_region(explicit: str | None = None, settings: tuple[Path, ...] | None = None) -> str:
    """The region a command acts in: the one it was given, else the one the deploy settings keep
    (`sam deploy --guided` writes the answer into samconfig.local.toml), else the default."""
    if explicit:
        return explicit
    for path in settings or SETTINGS:
        if path.exists():
            deploy = tomllib.loads(path.read_text(encoding="utf-8"))["default"]["deploy"]["parameters"]
            if deploy.get("region"):
                return str(deploy["region"])
    return DEFAULT_REGION


def region_problems(region: str, template: Path = TEMPLATE_PATH) -> list[str]:
    """Why CloudFormation in `region` would refuse the template: each resource type it does not offer
    there (it refuses unknown types even when their condition is off), as cfn-lint's region specs know."""
    from cfnlint.api import ManualArgs, lint_file
    from cfnlint.helpers import REGIONS

    if region not in REGIONS:
        return [f"{region} is not an AWS region cfn-lint knows"]
    found = lint_file(template, config=ManualArgs(regions=[region]))
    return [f"line {match.linenumber}: {match.message}" for match in found if match.rule.id == "E3006"]


def missing_services(region: str, services: tuple[str, ...] = ("textract",)) -> list[str]:
    """Services an optional setting would call that boto3's endpoint list does not offer in `region`."""
    import boto3

    session = boto3.session.Session()
    return [service for service in services if region not in session.get_available_regions(service)]
