"""Reading template.yaml as CloudFormation would."""

from pathlib import Path

import pytest

from infra.localcloud.triggers import schedules
from infra.template import Template, TemplateError, kebab


def write(tmp_path: Path, body: str) -> Template:
    path = tmp_path / "template.yaml"
    path.write_text(body)
    return Template(path, stack_name="office")


def test_intrinsics_resolve(tmp_path: Path) -> None:
    template = write(
        tmp_path,
        """
Parameters:
  Stage: {Type: String, Default: prod}
  Origins: {Type: CommaDelimitedList, Default: "a,b"}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Queue: {Type: AWS::SQS::Queue}
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-docs-${AWS::AccountId}"
      Tags:
        - Key: q
          Value: !GetAtt Queue.Arn
        - Key: mode
          Value: !If [IsProd, strict, relaxed]
        - Key: none
          Value: !If [IsProd, !Ref AWS::NoValue, x]
        - Key: joined
          Value: !Join ["|", !Ref Origins]
""",
    )
    props = template.properties("Bucket")
    assert props["BucketName"] == "office-docs-123456789012"
    tags = {t["Key"]: t.get("Value") for t in props["Tags"]}
    assert tags == {
        "q": "arn:aws:sqs:us-east-1:123456789012:office-queue",
        "mode": "strict",
        "none": None,
        "joined": "a|b",
    }
    assert template.physical_name("Queue") == "office-queue"


def test_unknown_ref_is_an_error(tmp_path: Path) -> None:
    template = write(
        tmp_path, "Resources:\n  T: {Type: AWS::SNS::Topic, Properties: {DisplayName: !Ref Nope}}\n"
    )
    with pytest.raises(TemplateError, match="Nope"):
        template.properties("T")


def test_globals_merge_into_functions(tmp_path: Path) -> None:
    template = write(
        tmp_path,
        """
Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
    Environment: {Variables: {A: "1", B: "2"}}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: m.handler
      CodeUri: src/
      Timeout: 20
      Environment: {Variables: {B: "3"}}
""",
    )
    spec = template.functions["Fn"]
    assert spec.timeout == 20
    assert spec.environment == {"A": "1", "B": "3"}
    assert spec.code_dir == (tmp_path / "src").resolve()


def test_kebab_names() -> None:
    assert kebab("IntakeDeadLetterQueue") == "intake-dead-letter-queue"


@pytest.mark.parametrize(
    ("parameters", "zone"),
    [
        ({"OfficeCountry": "TH"}, "Asia/Bangkok"),
        ({"OfficeCountry": "VN"}, "Asia/Ho_Chi_Minh"),
        ({"OfficeCountry": "TH", "Timezone": "Asia/Singapore"}, "Asia/Singapore"),  # said outright, it wins
    ],
)
def test_an_office_s_clock_follows_its_country_unless_told(parameters: dict[str, str], zone: str) -> None:
    template = Template(parameters=parameters)
    assert template.output("OfficeTimezone") == zone
    assert {f.environment["BUSINESS_TIMEZONE"] for f in template.functions.values()} == {zone}
    assert {s.timezone.key for s in schedules(template)} == {zone}


def test_a_country_without_a_known_timezone_asks_for_one() -> None:
    with pytest.raises(TemplateError, match="Countries has no BR/Zone"):
        Template(parameters={"OfficeCountry": "BR"}).output("OfficeTimezone")


@pytest.mark.parametrize(
    ("parameters", "reader"),
    [
        ({"OfficeCountry": "TH"}, "text-layer"),  # AnalyzeExpense reads English only: not paid for here
        ({"OfficeCountry": "VN"}, "text-layer"),
        ({"OfficeCountry": "US"}, "textract"),
        ({"OfficeCountry": "TH", "BillReader": "textract"}, "textract"),
    ],
)
def test_scanned_bills_are_read_as_the_office_s_country_suits_unless_told(
    parameters: dict[str, str], reader: str
) -> None:
    readers = {
        f.environment["BILL_READER"]
        for f in Template(parameters=parameters).functions.values()
        if "BILL_READER" in f.environment
    }
    assert readers == {reader}


def test_every_function_runs_on_the_python_the_bench_measures_and_the_project_is_built_with() -> None:
    import sys

    from bench.coldstart import DEPLOYED

    runtimes = {spec.runtime for spec in Template().functions.values()}
    assert runtimes == {f"python{DEPLOYED}"} == {f"python{sys.version_info.major}.{sys.version_info.minor}"}
