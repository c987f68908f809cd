"""The `backoffice` command: run the local cloud and talk to it."""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from infra import timeshift
from infra.template import TEMPLATE_PATH, Template


class CliError(Exception):
    """A failure to report in one line, without a traceback."""


def api_port() -> int:
    return int(os.environ.get("BACKOFFICE_API_PORT", "3000"))


def aws_port() -> int:
    return int(os.environ.get("BACKOFFICE_AWS_PORT", "4566"))


def state_dir() -> Path:
    return Path(os.environ.get("BACKOFFICE_STATE_DIR", ".backoffice")).resolve()


def call(method: str, path: str, body: Any = None) -> Any:
    """Call the running local cloud's control API."""
    url = f"http://127.0.0.1:{api_port()}{path}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - fixed loopback URL
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        detail = json.loads(error.read() or b"{}")
        raise CliError(detail.get("message", f"HTTP {error.code}")) from None
    except (urllib.error.URLError, ConnectionError):
        raise CliError(
            f"the local cloud is not running on 127.0.0.1:{api_port()} — start it with `make run`"
        ) from None


def cmd_local(args: argparse.Namespace) -> None:
    from infra.localcloud.server import run

    template = Path(args.template)
    overrides = parameter_overrides(args.parameter_overrides)
    unknown = set(overrides) - set(Template(template).raw.get("Parameters") or {})
    if unknown:
        raise CliError(f"the template has no parameter {', '.join(sorted(unknown))}")
    refused = Template(template, parameters=overrides).broken_rules()
    if refused:  # CloudFormation would not create such a stack either
        raise CliError("the template's Rules refuse these parameters: " + " ".join(refused))
    run(template, state_dir(), api_port(), aws_port(), overrides)


def parameter_overrides(pairs: list[str]) -> dict[str, str]:
    """`Key=Value` pairs, as `sam deploy --parameter-overrides` takes them."""
    values = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise CliError(f"--parameter-overrides takes Key=Value pairs, not {pair!r}")
        values[name] = value
    return values


def cmd_token(args: argparse.Namespace) -> None:
    if args.role == "employee" and not args.employee_id:
        raise CliError("an employee token needs --employee-id")
    body = {
        "role": args.role,
        "employee_id": args.employee_id,
        "expires_in": args.expires_in,
        "subject": args.subject,
    }
    print(call("POST", "/_local/tokens", body)["token"])


def cmd_schedule(args: argparse.Namespace) -> None:
    body = {"at": args.at} if args.at else {}
    outcome = call("POST", f"/_local/schedules/{args.name}", body)
    print(json.dumps(outcome, indent=2, ensure_ascii=False))
    if not outcome["ok"]:
        raise CliError("the scheduled run failed (see the local cloud's console)")


def _store(path: Path, key: str, metadata: dict[str, str] | None = None) -> None:
    """Put a local file into the local documents bucket, as any AWS client would."""
    from infra.localcloud.provision import Clients

    if not path.is_file():
        raise CliError(f"{path} is not a file")
    bucket = call("GET", "/_local/resources")["bucket"]
    s3 = Clients(f"http://127.0.0.1:{aws_port()}").s3
    s3.upload_file(str(path), bucket, key, ExtraArgs={"Metadata": metadata} if metadata else None)
    print(f"uploaded s3://{bucket}/{key}")


def cmd_upload(args: argparse.Namespace) -> None:
    path = Path(args.file)
    key = args.key or f"inbox/{path.name}"
    if not key.startswith("inbox/"):
        key = f"inbox/{key}"
    _store(path, key, {"document-type": args.type} if args.type else None)


def ses_headers(raw: bytes, *, spam: str, virus: str, spf: str, dkim: str, dmarc: str) -> bytes:
    """The message as SES stores it: its verdict headers on top of what the sender wrote."""
    from email import message_from_bytes, policy
    from email.utils import parseaddr

    sender = parseaddr(str(message_from_bytes(raw, policy=policy.default).get("from", "")))[1]
    domain = sender.rpartition("@")[2] or "unknown"
    headers = (
        f"Authentication-Results: amazonses.com;\r\n spf={spf} smtp.mailfrom={sender};\r\n"
        f" dkim={dkim} header.i=@{domain};\r\n dmarc={dmarc} header.from={domain};\r\n"
        f"X-SES-Spam-Verdict: {spam.upper()}\r\nX-SES-Virus-Verdict: {virus.upper()}\r\n"
    )
    return headers.encode() + raw


def cmd_mail(args: argparse.Namespace) -> None:
    """Deliver a message the way SES's receipt rule does: its verdicts added, stored whole under mail/."""
    import tempfile
    import uuid

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"{path} is not a file")
    verdicts = {name: getattr(args, name) for name in ("spam", "virus", "spf", "dkim", "dmarc")}
    with tempfile.TemporaryDirectory() as folder:
        stored = Path(folder) / path.name
        stored.write_bytes(ses_headers(path.read_bytes(), **verdicts))
        _store(stored, f"mail/{uuid.uuid4().hex}")


def cmd_seed_demo(args: argparse.Namespace) -> None:
    from infra.seed import Office, SeedError, seed

    call("GET", "/_local/resources")  # a clear message if the local cloud is not running
    try:
        seed(Office(api_port(), aws_port()))
    except SeedError as error:
        raise CliError(str(error)) from None
    docs = f"http://127.0.0.1:{api_port()}/docs"
    print(f"\nOpen {docs} and try the routes with a token from `backoffice token --role staff`.")


def cmd_outbox(args: argparse.Namespace) -> None:
    if args.id:
        print(json.dumps(call("GET", f"/_local/outbox/{args.id}"), indent=2, ensure_ascii=False))
        return
    query = f"?to={urllib.parse.quote(args.to)}" if args.to else ""
    messages = call("GET", f"/_local/outbox{query}")
    if args.json:
        print(json.dumps(messages, indent=2, ensure_ascii=False))
        return
    if not messages:
        print("the outbox is empty")
    for message in messages:
        print(f"{message['at'][:19]}  {', '.join(message['to']):<36} {message['subject']}  [{message['id']}]")


def cmd_invoke(args: argparse.Namespace) -> None:
    path = Path(args.event)
    try:
        event = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CliError(f"cannot read event {path}: {error}") from None
    outcome = call("POST", f"/_local/functions/{args.function}/invocations", event)
    print(json.dumps(outcome, indent=2, ensure_ascii=False))
    if not outcome["ok"]:
        raise CliError("the function failed (see the local cloud's console)")


def cmd_publish_portal(args: argparse.Namespace) -> None:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    from infra.publish import publish

    try:
        written = publish(
            args.stack, _aws(args, "cloudformation"), _aws(args, "s3"), boto3.client("cloudfront")
        )
    except (BotoCoreError, ClientError, KeyError) as error:
        raise CliError(f"could not publish to stack {args.stack}: {error}") from None
    print(f"published {len(written)} files; the portal is at the stack's PortalUrl output")


def _aws(args: argparse.Namespace, service: str) -> Any:
    """A client in the region the stack lives in (infra.region.chosen_region)."""
    import boto3

    from infra.region import chosen_region

    return boto3.client(service, region_name=chosen_region(args.region))


def _stack_outputs(args: argparse.Namespace) -> dict[str, str]:
    from botocore.exceptions import BotoCoreError, ClientError

    from infra.publish import describe

    stack = args.stack
    try:
        return describe(_aws(args, "cloudformation"), stack)[0]
    except (BotoCoreError, ClientError) as error:
        raise CliError(f"cannot read stack {stack}: {error}") from None


def cmd_users(args: argparse.Namespace) -> None:
    from infra.users import UserError, Users

    users = Users(_aws(args, "cognito-idp"), _stack_outputs(args)["UserPoolId"])
    try:
        if args.action == "add":
            added = users.add(args.email, args.role, args.employee_id)
            print(
                f"added {added.email} as {', '.join(added.roles)}; Cognito has emailed a temporary password"
            )
        elif args.action == "remove":
            users.remove(args.email)
            print(f"removed {args.email}")
        else:
            for user in users.everyone():
                employee = f"  employee {user.employee_id}" if user.employee_id else ""
                print(f"{user.email:<40} {','.join(user.roles) or '-':<10} {user.status}{employee}")
    except UserError as error:
        raise CliError(str(error)) from None


def cmd_teardown(args: argparse.Namespace) -> None:
    from infra.stack import ARTIFACTS, Teardown, TeardownError

    if args.delete_data:
        typed = input(
            f"This deletes every document, invoice and record of {args.stack}. Type the stack name: "
        )
        if typed.strip() != args.stack:
            raise CliError("the name did not match; nothing was deleted")
    teardown = Teardown(args.stack, *(_aws(args, s) for s in ("cloudformation", "s3", "ses", "dynamodb")))
    try:
        kept = teardown.run(Template(), delete_data=args.delete_data)
    except TeardownError as error:
        raise CliError(str(error)) from None
    if kept:
        print("\nKept, as the template asks (the office's data). To remove them later:")
        for item in kept:
            print(f"  {item.logical_id:<20} {item.removal()}")
        print("\nStill billed while kept:")
        for item in kept:
            print(f"  {item.logical_id:<20} {item.billing()}")
    print(f"\nAlso: {ARTIFACTS}.")


def cmd_smoke(args: argparse.Namespace) -> None:
    from infra.smoke import LocalTarget, Smoke, StackTarget, Target

    target: Target
    if args.stack:
        target = StackTarget(
            args.stack,
            _aws(args, "cloudformation"),
            _aws(args, "cognito-idp"),
            _aws(args, "s3"),
            _aws(args, "scheduler"),
            _aws(args, "lambda"),
            _aws(args, "sns"),
            _aws(args, "sesv2"),
        )
    else:
        from infra.localcloud.provision import Clients

        call("GET", "/_local/resources")  # a clear message if the local cloud is not running
        target = LocalTarget(call, Clients(f"http://127.0.0.1:{aws_port()}").s3)
    print(f"smoke test of {args.stack or 'the local cloud'}")
    if not Smoke(target).run():
        raise CliError("some checks failed")
    print("every trigger works")


def cmd_check_region(args: argparse.Namespace) -> None:
    from infra.region import chosen_region, missing_services, region_problems

    region = chosen_region(args.region)
    problems = region_problems(region)
    if problems:
        raise CliError(
            f"CloudFormation in {region} cannot create this stack:\n  "
            + "\n  ".join(problems)
            + "\nDeploy to ap-southeast-1 (Singapore), which has all of it (docs/data-residency.md)."
        )
    for service in missing_services(region):
        print(f"note: {region} has no {service}; keep BillReader=text-layer")
    print(f"{region} offers everything the stack needs")


def cmd_check_stack_name(args: argparse.Namespace) -> None:
    from infra.stack import stack_name_problem

    problem = stack_name_problem(args.stack)
    if problem:
        raise CliError(f"{args.stack!r}: {problem}")


REGION_HELP = "the AWS region (default: the one the deploy settings keep, else ap-southeast-1)"


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="backoffice", description="Back Office on your machine.")
    sub = root.add_subparsers(dest="command", required=True)

    local = sub.add_parser("local", help="run the whole back office locally (embedded AWS + HTTP API)")
    local.add_argument("--template", default=str(TEMPLATE_PATH), help=argparse.SUPPRESS)
    local.add_argument(
        "--parameter-overrides",
        nargs="+",
        default=[],
        metavar="KEY=VALUE",
        help="template parameters, as sam deploy takes them (e.g. PayrollSenders=payroll@provider.example)",
    )
    local.set_defaults(func=cmd_local)

    token = sub.add_parser("token", help="print a JWT the local API accepts")
    token.add_argument("--role", required=True, choices=["admin", "staff", "employee"])
    token.add_argument("--employee-id")
    token.add_argument("--expires-in", type=int, default=8 * 3600, metavar="SECONDS")
    token.add_argument("--subject", help="the user id (default: one per role), e.g. to act as a second clerk")
    token.set_defaults(func=cmd_token)

    schedule = sub.add_parser("schedule", help="fire one schedule now, optionally as if at a given time")
    schedule.add_argument("name")
    schedule.add_argument(
        "--at", help="ISO-8601 time; without an offset it is read in the schedule's timezone"
    )
    schedule.set_defaults(func=cmd_schedule)

    upload = sub.add_parser("upload", help="put a file into the documents inbox")
    upload.add_argument("file")
    upload.add_argument("--key", help="object key (inbox/ is added if missing)")
    upload.add_argument("--type", help="document type given by the uploader")
    upload.set_defaults(func=cmd_upload)

    mail = sub.add_parser("mail", help="deliver an email (.eml) to the intake address")
    mail.add_argument("file")
    for verdict in ("spf", "dkim", "dmarc", "spam", "virus"):
        mail.add_argument(
            f"--{verdict}",
            default="pass",
            choices=["pass", "fail", "gray", "none"],
            help=f"SES's {verdict.upper()} verdict (default pass)",
        )
    mail.set_defaults(func=cmd_mail)

    demo = sub.add_parser("seed-demo", help="fill the running local cloud with a demo office")
    demo.set_defaults(func=cmd_seed_demo)

    outbox = sub.add_parser("outbox", help="list the emails the back office sent")
    outbox.add_argument("id", nargs="?", help="show one message in full")
    outbox.add_argument("--to", help="only messages to this address")
    outbox.add_argument("--json", action="store_true")
    outbox.set_defaults(func=cmd_outbox)

    invoke = sub.add_parser("invoke", help="run one function once with an event file")
    invoke.add_argument("function", help="logical id or name from template.yaml")
    invoke.add_argument("--event", required=True, help="JSON event file, e.g. one under events/")
    invoke.set_defaults(func=cmd_invoke)

    portal = sub.add_parser(
        "publish-portal", help="upload web/portal/ to a deployed stack (after sam deploy)"
    )
    portal.add_argument("--stack", required=True, help="the CloudFormation stack name")
    portal.add_argument("--region", help=REGION_HELP)
    portal.set_defaults(func=cmd_publish_portal)

    users = sub.add_parser("users", help="who may sign in to a deployed stack (Cognito)")
    users.add_argument("action", choices=["add", "list", "remove"])
    users.add_argument("email", nargs="?")
    users.add_argument("--role", choices=["admin", "staff", "employee"], default="staff")
    users.add_argument("--employee-id", help="an employee's id in the payroll register")
    users.add_argument("--stack", required=True, help="the CloudFormation stack name")
    users.add_argument("--region", help=REGION_HELP)
    users.set_defaults(func=cmd_users)

    smoke = sub.add_parser("smoke", help="prove every trigger works (a deployed stack, or the local cloud)")
    smoke.add_argument("--stack", help="the CloudFormation stack name; without it, the local cloud")
    smoke.add_argument("--region", help=REGION_HELP)
    smoke.set_defaults(func=cmd_smoke)

    teardown = sub.add_parser("teardown", help="delete a deployed stack; its data is kept unless asked")
    teardown.add_argument("--stack", required=True, help="the CloudFormation stack name")
    teardown.add_argument(
        "--delete-data", action="store_true", help="also delete the tables and documents (asks to confirm)"
    )
    teardown.add_argument("--region", help=REGION_HELP)
    teardown.set_defaults(func=cmd_teardown)

    region = sub.add_parser("check-region", help="whether a region offers all the stack needs")
    region.add_argument("region", nargs="?", help=REGION_HELP)
    region.set_defaults(func=cmd_check_region)

    name = sub.add_parser("check-stack-name", help="whether a stack name fits the names it makes")
    name.add_argument("stack")
    name.set_defaults(func=cmd_check_stack_name)
    return root


def main(argv: list[str] | None = None) -> int:
    timeshift.start()  # a test run's moment (`NOW=`), handed down by the run that started this command
    args = parser().parse_args(argv)
    if args.command == "users" and args.action != "list" and not args.email:
        print(f"backoffice users {args.action}: name the user's email", file=sys.stderr)
        return 2
    try:
        args.func(args)
    except CliError as error:
        print(f"backoffice {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
