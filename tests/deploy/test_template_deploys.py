"""What the first real deployment would meet, checked on the template after the SAM transform (what
CloudFormation gets): the portal's paths, alarms that can be delivered and are quiet on a fresh stack,
logs that expire, a dead-man alarm per schedule, retries and a dead-letter queue on every event rule."""

import itertools
import re
import tomllib
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from infra.iam import translate
from infra.localcloud.portal import ViewerRequest
from infra.localcloud.triggers import Schedule
from infra.template import DEMO_PARAMETERS, Template

PORTAL = Path(__file__).resolve().parents[2] / "web" / "portal"


@cache
def template() -> dict[str, Any]:
    return translate()


def resources() -> dict[str, Any]:
    return dict(template()["Resources"])


def of_type(kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in resources().items() if r["Type"] == kind}


def published_keys() -> set[str]:
    """What `make publish-portal` writes into the portal bucket."""
    return {f"portal/{p.relative_to(PORTAL).as_posix()}" for p in PORTAL.rglob("*") if p.is_file()}


def portal_links() -> set[str]:
    """Every path a person reaches the portal by: the stack's PortalUrl, each page's links and the
    sign-in's return address."""
    url = template()["Outputs"]["PortalUrl"]["Value"]["Fn::Sub"]
    links = {"/", "/portal", url.split("}", 1)[1], "/portal/callback.html"}
    for page in PORTAL.glob("*.html"):
        links |= set(re.findall(r'href="(/portal/[^"#?]*)"', page.read_text(encoding="utf-8")))
    return links


def test_every_way_into_the_portal_reaches_a_published_page() -> None:
    viewer = ViewerRequest(resources())
    keys = published_keys()
    for link in sorted(portal_links()):
        outcome = viewer(link)
        if "statusCode" in outcome:  # a redirect, which must land on a page in turn
            assert outcome["statusCode"] == 302, link
            outcome = viewer(outcome["headers"]["location"]["value"])
        assert outcome["uri"].lstrip("/") in keys, f"{link} asks the bucket for {outcome['uri']}"


def test_cloudwatch_may_publish_to_the_alarm_topic() -> None:
    (topic,) = of_type("AWS::SNS::Topic").values()
    key = topic["Properties"]["KmsMasterKeyId"]
    assert not str(key).startswith("alias/aws/"), "CloudWatch cannot use an AWS-managed key"
    policy = resources()[key["Ref"]]["Properties"]["KeyPolicy"]
    granted = [
        s
        for s in policy["Statement"]
        if s["Effect"] == "Allow" and s["Principal"].get("Service") == "cloudwatch.amazonaws.com"
    ]
    actions = {a for s in granted for a in s["Action"]}
    assert {"kms:Decrypt", "kms:GenerateDataKey*"} <= actions
    assert all(a["AlarmActions"] == [{"Ref": "AlarmTopic"}] for a in alarms().values() if "AlarmActions" in a)


def alarms() -> dict[str, dict[str, Any]]:
    return {name: r["Properties"] for name, r in of_type("AWS::CloudWatch::Alarm").items()}


def test_every_log_expires_and_goes_with_the_stack() -> None:
    retention = template()["Parameters"]["LogRetentionDays"]
    assert retention["Default"] == 90
    groups = of_type("AWS::Logs::LogGroup")
    for name, group in groups.items():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name
        assert group.get("DeletionPolicy", "Delete") == "Delete", name
    for name, function in of_type("AWS::Lambda::Function").items():
        assert function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"] in groups, name
    (api,) = of_type("AWS::ApiGatewayV2::Stage").values()
    assert api["Properties"]["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0] in groups


def longest_gap(expression: str, timezone: str) -> timedelta:
    """The longest time between two runs of a schedule over a year (daylight saving included)."""
    schedule = Schedule("probe", "probe", expression, ZoneInfo(timezone), None)
    at = datetime(2027, 1, 1, tzinfo=UTC)
    runs = [at := schedule.next_after(at) for _ in range(400)]
    return max(later - earlier for earlier, later in itertools.pairwise(runs))


def dead_men() -> dict[str, dict[str, Any]]:
    """Alarms on a function not being invoked, by the function they watch."""
    return {
        a["Dimensions"][0]["Value"]["Ref"]: a
        for a in alarms().values()
        if a.get("MetricName") == "Invocations" and a["ComparisonOperator"] == "LessThanThreshold"
    }


@pytest.mark.parametrize("timezone", ["America/New_York", "Asia/Bangkok"])
def test_every_schedule_has_a_dead_man_alarm_as_long_as_its_longest_gap(timezone: str) -> None:
    schedules = of_type("AWS::Scheduler::Schedule")
    assert schedules
    watched = dead_men()
    for name, schedule in schedules.items():
        props = schedule["Properties"]
        function = props["Target"]["Arn"]["Fn::GetAtt"][0]
        gap = longest_gap(props["ScheduleExpression"], timezone)
        alarm = watched[function]
        window = timedelta(seconds=alarm["Period"] * alarm["EvaluationPeriods"])
        assert gap + timedelta(hours=1) <= window <= gap + timedelta(hours=3), (name, gap, window)
        assert window <= timedelta(days=7), "CloudWatch evaluates at most seven days"
        # a missed run notifies; a fresh stack, with no run yet, does not
        assert alarm["TreatMissingData"] == "missing"
        assert alarm["InsufficientDataActions"] == [{"Ref": "AlarmTopic"}]


def test_no_alarm_fires_on_a_fresh_stack() -> None:
    for name, alarm in alarms().items():
        assert alarm.get("TreatMissingData") in ("missing", "notBreaching"), name


def test_every_event_rule_retries_then_dead_letters_where_an_alarm_watches() -> None:
    rules = of_type("AWS::Events::Rule")
    assert rules
    watched = {
        a["Dimensions"][0]["Value"]["Fn::GetAtt"][0]
        for a in alarms().values()
        if a.get("MetricName") == "ApproximateNumberOfMessagesVisible"
    }
    for name, rule in rules.items():
        for target in rule["Properties"]["Targets"]:
            assert target["RetryPolicy"]["MaximumEventAgeInSeconds"] >= 3600, name
            queue = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
            assert queue in watched, f"{name}: nobody hears of {queue}"
            allowed = [
                s
                for p in of_type("AWS::SQS::QueuePolicy").values()
                if p["Properties"]["Queues"] == [{"Ref": queue}]
                for s in p["Properties"]["PolicyDocument"]["Statement"]
            ]
            sources = [s["Condition"]["ArnEquals"]["aws:SourceArn"] for s in allowed]
            assert any({"Fn::GetAtt": [name, "Arn"]} in (s if isinstance(s, list) else [s]) for s in sources)


def test_an_existing_ses_identity_can_be_kept() -> None:
    assert template()["Parameters"]["CreateSenderIdentity"]["AllowedValues"] == ["true", "false"]
    identity = resources()["SenderIdentity"]
    condition = template()["Conditions"][identity["Condition"]]
    assert condition == {"Fn::Equals": [{"Ref": "CreateSenderIdentity"}, "true"]}
    referring = [n for n, r in resources().items() if "SenderIdentity" in str(r.get("Properties", ""))]
    assert not referring, f"{referring} would fail when the identity is not created"


def test_the_committed_deploy_settings_name_real_parameters_and_are_explained() -> None:
    import shlex

    root = PORTAL.parents[1]
    settings = tomllib.loads((root / "samconfig.toml").read_text(encoding="utf-8"))["default"]
    deploy = settings["deploy"]["parameters"]
    named = dict(pair.split("=", 1) for pair in shlex.split(deploy["parameter_overrides"]))
    assert set(named) <= set(template()["Parameters"])
    explained = (root / "docs" / "deploy.md").read_text(encoding="utf-8")
    for key in [*deploy, *settings["build"]["parameters"]]:
        assert f"`{key}`" in explained, key


OWN = {
    "BusinessName": "บริษัท สยามบัญชี จำกัด",
    "BusinessAddress": "99 ถนนสีลม กรุงเทพฯ 10500",
    "BusinessTaxId": "0994000165498",
    "PromptPayId": "0994000165498",
    "VietQrBank": "",
    "VietQrAccount": "",
    "ChequeAccount": "",
    "SenderEmail": "billing@siambanchi.co.th",
    "OfficeEmail": "manager@siambanchi.co.th",
    "AlarmEmail": "it@siambanchi.co.th",
    "InvoiceSeries": "",
}
DEMO = tomllib.loads(DEMO_PARAMETERS.read_text(encoding="utf-8"))
OWN_BY_ANY_OFFICE = {"VietQrBank"}  # a bank's NAPAS BIN: Vietcombank's is every one of its customers' too


def refused(values: dict[str, str]) -> list[str]:
    """What the template's Rules refuse for these parameter values (the demo office's for the rest)."""
    return Template(parameters=values).broken_rules()


def test_the_demo_office_runs_where_nothing_is_at_stake() -> None:
    assert refused({}) == []
    assert refused({"Stage": "staging"}) == []
    assert refused({"Stage": "prod", **OWN}) == []


@pytest.mark.parametrize("demo", sorted(set(DEMO) - OWN_BY_ANY_OFFICE))
def test_a_production_stack_refuses_each_demo_value_a_customer_would_see_or_pay(demo: str) -> None:
    (why,) = refused({"Stage": "prod", **OWN, demo: DEMO[demo]})
    assert demo in why


def test_a_production_stack_must_tell_someone_when_it_fails() -> None:
    (why,) = refused({"Stage": "prod", **OWN, "AlarmEmail": ""})
    assert "AlarmEmail" in why


@pytest.mark.parametrize("demo", sorted(DEMO))
def test_a_guided_deploy_never_offers_a_demo_value(demo: str) -> None:
    """`sam deploy --guided` keeps a default on Enter: the deployed defaults are empty or absent, so
    the office types its own (an absent default makes the answer required)."""
    assert template()["Parameters"][demo].get("Default", "") == ""


def test_invoices_leave_a_signed_domain_through_a_set_that_counts_bounces_and_complaints() -> None:
    identity = resources()["SenderIdentity"]["Properties"]
    assert identity["DkimAttributes"] == {"SigningEnabled": True}
    assert identity["DkimSigningAttributes"]["NextSigningKeyLength"] == "RSA_2048_BIT"
    assert "bounce." in str(
        identity["MailFromAttributes"]["MailFromDomain"]
    )  # not the office's own mail host
    sending_set = identity["ConfigurationSetAttributes"]["ConfigurationSetName"]
    assert sending_set == {"Ref": "MailConfigurationSet"}
    options = resources()["MailConfigurationSet"]["Properties"]
    assert options["ReputationOptions"]["ReputationMetricsEnabled"] is True
    assert set(options["SuppressionOptions"]["SuppressedReasons"]) == {"BOUNCE", "COMPLAINT"}
    (feedback,) = of_type("AWS::SES::ConfigurationSetEventDestination").values()
    assert feedback["Properties"]["ConfigurationSetName"] == sending_set
    assert {"bounce", "complaint"} <= set(feedback["Properties"]["EventDestination"]["MatchingEventTypes"])
    watched = {
        (stat["MetricStat"]["Metric"]["Namespace"], stat["MetricStat"]["Metric"]["MetricName"]): alarm
        for name, alarm in of_type("AWS::CloudWatch::Alarm").items()
        for stat in alarm["Properties"].get("Metrics", [])
        if "MetricStat" in stat
    }
    for metric in ("Bounce", "Complaint", "Reputation.BounceRate", "Reputation.ComplaintRate"):
        assert watched[("AWS/SES", metric)]["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert "DnsRecords" in template()["Outputs"]


def test_every_function_that_sends_mail_may_send_through_the_configuration_set() -> None:
    """SES authorizes a send against the identity and the configuration set: a grant that names only
    the identity is refused in AWS (moto does not check it)."""
    senders = 0
    for function in of_type("AWS::IAM::Role").values():
        for policy in function["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = (
                    statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                )
                if "ses:SendEmail" in actions:
                    senders += 1
                    assert "configuration-set/${MailConfigurationSet}" in str(statement["Resource"])
    assert senders >= 8


def test_a_vietnamese_office_bills_in_dong_under_its_own_series_whatever_the_guided_deploy_kept() -> None:
    (currency,) = refused({"OfficeCountry": "VN", "DefaultCurrency": "THB"})
    assert "VND" in currency
    (series,) = refused({"OfficeCountry": "VN", "InvoiceSeries": ""})
    assert "InvoiceSeries" in series
    assert refused({"OfficeCountry": "TH", "DefaultCurrency": "VND"}) != []
    assert refused({"OfficeCountry": "VN"}) == refused({"OfficeCountry": "TH", "InvoiceSeries": ""}) == []
