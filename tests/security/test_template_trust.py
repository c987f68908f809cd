"""Findings 2, 3 and 8 as the template says them, after the SAM transform (what CloudFormation gets):
the portal's security headers, who may write whose employee id, CORS and SES permissions."""

from functools import cache
from typing import Any

import pytest

from infra.iam import translate


@cache
def resources() -> dict[str, Any]:
    return dict(translate()["Resources"])


def of_type(kind: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in resources().values() if r["Type"] == kind]


def test_the_portal_is_served_with_a_strict_content_security_policy() -> None:
    (distribution,) = of_type("AWS::CloudFront::Distribution")
    policy_ref = distribution["DistributionConfig"]["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]
    assert policy_ref == {"Ref": "PortalResponseHeadersPolicy"}
    config = resources()["PortalResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    security = config["SecurityHeadersConfig"]
    csp = security["ContentSecurityPolicy"]
    assert csp["Override"] is True
    text, names = csp["ContentSecurityPolicy"]["Fn::Sub"]
    directives = dict(d.strip().split(" ", 1) for d in text.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in text and "unsafe-eval" not in text
    connect = directives["connect-src"].split()
    assert connect[0] == "'self'" and all(o.startswith("https://") for o in connect[1:])
    # the sign-in domain and the bucket named exactly as the resources name themselves
    assert "https://${SignIn}.auth.${AWS::Region}.amazoncognito.com" in connect
    assert names["SignIn"] == resources()["UserPoolDomain"]["Properties"]["Domain"]
    bucket = resources()["DocumentsBucket"]["Properties"]["BucketName"]
    assert names["Bucket"] == bucket and "https://${Bucket}.s3.${AWS::Region}.${AWS::URLSuffix}" in connect
    assert security["FrameOptions"]["FrameOption"] == "DENY"


def test_no_signed_in_user_can_change_whose_cheques_they_see() -> None:
    (pool,) = of_type("AWS::Cognito::UserPool")
    assert [a["Name"] for a in pool["Schema"]] == ["employee_id"]
    (client,) = of_type("AWS::Cognito::UserPoolClient")
    # named, never defaulted: the ID token carries the id, and the user cannot write it
    assert "custom:employee_id" in client["ReadAttributes"]
    assert "WriteAttributes" in client and not any(a.startswith("custom:") for a in client["WriteAttributes"])


def test_cors_allows_only_the_portal_unless_origins_are_named() -> None:
    assert translate()["Parameters"]["AllowedOrigins"]["Default"] == ""
    api = next(r["Properties"] for r in resources().values() if r["Type"] == "AWS::ApiGatewayV2::Api")
    condition, named, portal_only = api["Body"]["x-amazon-apigateway-cors"]["Fn::If"]
    assert condition == "HasAllowedOrigins"
    assert portal_only["allowOrigins"] == [{"Fn::Sub": "https://${PortalDistribution.DomainName}"}]
    for branch in (named, portal_only):  # each a whole configuration, as API Gateway needs it
        assert branch["allowHeaders"] == ["authorization", "content-type", "idempotency-key"]
        assert "POST" in branch["allowMethods"] and branch["exposeHeaders"] == ["location"]


@pytest.mark.parametrize(
    "role", [lid for lid, r in translate()["Resources"].items() if r["Type"] == "AWS::IAM::Role"]
)
def test_functions_send_email_only_as_the_office(role: str) -> None:
    for policy in resources()[role]["Properties"].get("Policies", []):
        for statement in policy["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if any(a.startswith("ses:Send") for a in actions):
                text = str(statement["Resource"])
                assert "identity/*" not in text and "identity/${SenderEmail}" in text
