"""Publishing the portal to a deployed stack (moto stands in for CloudFormation, S3 and CloudFront)."""

import json
from typing import Any

import boto3
from moto import mock_aws

from infra.publish import PORTAL, publish

STACK = {
    "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
    "Parameters": {"DefaultCurrency": {"Type": "String"}},
    "Outputs": {
        "ApiUrl": {"Value": "https://api.example.com"},
        "SignInDomain": {"Value": "https://backoffice-dev-1.auth.us-east-1.amazoncognito.com"},
        "UserPoolClientId": {"Value": "client-123"},
        "PortalUrl": {"Value": "https://d111.cloudfront.net/portal/"},
        "PortalBucketName": {"Value": "portal-bucket"},
        "PortalDistributionId": {"Value": "DIST"},
        "OfficeTimezone": {"Value": "Asia/Bangkok"},
        "OfficeCurrency": {"Value": "THB"},
        "OfficeTaxRate": {"Value": "7"},
    },
}


def test_every_page_and_the_stack_s_config_are_uploaded_and_the_cache_invalidated(monkeypatch: Any) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        cloudformation, s3 = boto3.client("cloudformation"), boto3.client("s3")
        cloudfront = boto3.client("cloudfront")
        s3.create_bucket(Bucket="portal-bucket")
        distribution = cloudfront.create_distribution(
            DistributionConfig={
                "CallerReference": "portal",
                "Comment": "",
                "Enabled": True,
                "Origins": {
                    "Quantity": 1,
                    "Items": [
                        {
                            "Id": "o",
                            "DomainName": "portal-bucket.s3.amazonaws.com",
                            "S3OriginConfig": {"OriginAccessIdentity": ""},
                        }
                    ],
                },
                "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "redirect-to-https"},
            }
        )["Distribution"]["Id"]
        outputs = json.loads(json.dumps(STACK).replace('"DIST"', f'"{distribution}"'))
        cloudformation.create_stack(
            StackName="backoffice",
            TemplateBody=json.dumps(outputs),
            Parameters=[{"ParameterKey": "DefaultCurrency", "ParameterValue": "THB"}],
        )
        written = publish("backoffice", cloudformation, s3, cloudfront)

        pages = {f"portal/{p.relative_to(PORTAL).as_posix()}" for p in PORTAL.rglob("*") if p.is_file()}
        assert set(written) == pages | {"portal/config.js"}
        page = s3.get_object(Bucket="portal-bucket", Key="portal/invoice-new.html")
        assert page["ContentType"] == "text/html"
        config = s3.get_object(Bucket="portal-bucket", Key="portal/config.js")["Body"].read().decode()
        settings = json.loads(config.removeprefix("window.BACKOFFICE = ").rstrip(";\n"))
        assert settings["api"] == "https://api.example.com" and settings["signIn"] == "cognito"
        assert settings["currency"] == "THB" and settings["timezone"] == "Asia/Bangkok"
        assert settings["taxRate"] == "7"  # new lines start at the country's usual VAT
        assert settings["cognito"]["redirectUri"] == "https://d111.cloudfront.net/portal/callback.html"
        invalidations = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]
        assert invalidations["Quantity"] == 1
