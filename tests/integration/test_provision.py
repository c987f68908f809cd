"""Resources are created exactly as template.yaml declares them."""

import json
from urllib.parse import unquote_plus


def test_tables_have_the_declared_keys_and_indexes(aws) -> None:
    template, clients = aws
    for logical_id in template.of_type("AWS::DynamoDB::Table"):
        declared = template.properties(logical_id)
        table = clients.dynamodb.describe_table(TableName=template.physical_name(logical_id))["Table"]
        assert table["KeySchema"] == declared["KeySchema"]
        assert {i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])} == {
            i["IndexName"] for i in declared.get("GlobalSecondaryIndexes", [])
        }
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_intake_queue_redrives_to_its_dlq(aws) -> None:
    template, clients = aws
    url = template.ref("IntakeQueue")
    attributes = clients.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    redrive = json.loads(attributes["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"] == template.arn("IntakeDeadLetterQueue")
    assert int(redrive["maxReceiveCount"]) == 5


def test_documents_bucket_is_versioned_private_and_notifies_on_inbox_uploads(aws) -> None:
    template, clients = aws
    bucket = template.physical_name("DocumentsBucket")
    assert "documents" in bucket
    assert clients.s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    block = clients.s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    queue = template.ref("IntakeQueue")
    clients.sqs.purge_queue(QueueUrl=queue)
    clients.s3.put_object(Bucket=bucket, Key="outside/x.txt", Body=b"no")
    clients.s3.put_object(Bucket=bucket, Key="inbox/Hóa đơn tháng 11.pdf", Body=b"%PDF-1.4")
    messages = clients.sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    records = [r for m in messages for r in json.loads(m["Body"]).get("Records", [])]
    keys = [r["s3"]["object"]["key"] for r in records]
    assert len(keys) == 1 and "+" in keys[0], "event keys arrive URL-encoded, as in AWS"
    assert unquote_plus(keys[0]) == "inbox/Hóa đơn tháng 11.pdf"
