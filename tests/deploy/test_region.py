"""Where a stack is deployed: Singapore serves both countries, Bangkok is refused before anything is
built, and every command acts in the region the deploy kept."""

import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from infra import region
from infra.cli import main
from infra.region import chosen_region, missing_services, region_problems


def test_bangkok_is_refused_naming_what_it_lacks_and_singapore_offers_everything() -> None:
    lacking = "\n".join(region_problems("ap-southeast-7"))
    for kind in ("AWS::SES::EmailIdentity", "AWS::SES::ReceiptRuleSet", "AWS::SES::ReceiptRule"):
        assert kind in lacking
    assert region_problems("ap-southeast-1") == []
    assert missing_services("ap-southeast-7") == ["textract"]
    assert missing_services("ap-southeast-1") == []


def test_check_region_stops_a_deploy_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-region", "ap-southeast-7"]) == 1
    said = capsys.readouterr().err
    assert "AWS::SES::ReceiptRule" in said and "ap-southeast-1 (Singapore)" in said
    assert main(["check-region", "mars-east-1"]) == 1
    assert main(["check-region", "ap-southeast-1"]) == 0


def test_the_region_is_the_one_given_else_the_one_the_guided_deploy_kept(tmp_path: Path) -> None:
    kept, committed = tmp_path / "samconfig.local.toml", tmp_path / "samconfig.toml"
    committed.write_text('[default.deploy.parameters]\nregion = "ap-southeast-1"\n')
    assert chosen_region(settings=(kept, committed)) == "ap-southeast-1"
    kept.write_text('[default.deploy.parameters]\nregion = "ap-southeast-5"\n')
    assert chosen_region(settings=(kept, committed)) == "ap-southeast-5"
    assert chosen_region("eu-west-1", settings=(kept, committed)) == "eu-west-1"
    assert chosen_region(settings=(tmp_path / "none.toml",)) == "ap-southeast-1"


@pytest.fixture
def singapore(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A stack in Singapore, a shell whose AWS default is Virginia, settings that say Singapore."""
    from moto import mock_aws

    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    kept = tmp_path / "samconfig.local.toml"
    kept.write_text('[default.deploy.parameters]\nregion = "ap-southeast-1"\n')
    monkeypatch.setattr(region, "SETTINGS", (kept,))
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name="ap-southeast-1")
        pool = cognito.create_user_pool(PoolName="office")["UserPool"]["Id"]
        cognito.create_group(UserPoolId=pool, GroupName="admin")
        stack = {
            "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {"UserPoolId": {"Value": pool}},
        }
        boto3.client("cloudformation", region_name="ap-southeast-1").create_stack(
            StackName="office", TemplateBody=json.dumps(stack)
        )
        yield pool


def test_users_are_added_in_the_stack_s_region_not_the_shell_s(singapore: str) -> None:
    assert main(["users", "add", "owner@office.example", "--role", "admin", "--stack", "office"]) == 0
    cognito = boto3.client("cognito-idp", region_name="ap-southeast-1")
    (user,) = cognito.list_users(UserPoolId=singapore)["Users"]
    assert {"Name": "email", "Value": "owner@office.example"} in user["Attributes"]
    assert main(["users", "list", "--stack", "office", "--region", "us-east-1"]) == 1  # not there
