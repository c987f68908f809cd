"""`backoffice smoke`: proves, after a deploy or against the local cloud, that each kind of trigger
works end to end, then removes what it made.

- **HTTP API**: a temporary staff user's token reads `/invoices`; no token is refused (401).
- **S3 → queue → intake**: a marked test document dropped into the inbox appears in the register.
  (The register keeps it, as it keeps everything uploaded; its name says what it was.)
- **Schedules**: each schedule is enabled, and its function, invoked once with a dry run, answers
  that it is ready and sends nothing. The dead-man alarms count that as a run.
- **Ready for real customers** (a deployed stack): someone confirmed the alarm subscription, SES has
  verified the sender's domain with DKIM, and the account is out of the SES sandbox. Each failure
  says what to do; until all three pass, the office is not told of failures or its mail is not sent.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, partial
from typing import Any, Protocol

from infra.publish import describe
from infra.stack import stack_resources

DRY_RUN = {"detail-type": "Scheduled Event", "source": "aws.scheduler", "detail": {"dry_run": True}}


class Target(Protocol):
    """Where the smoke test runs: a deployed stack or the local cloud."""

    @property
    def api(self) -> str: ...

    def sign_in(self) -> str: ...

    def drop(self, key: str, body: bytes) -> None: ...

    def schedules(self) -> dict[str, bool]:
        """Each scheduled function, and whether its schedule is enabled."""
        ...

    def invoke(self, function: str, event: dict[str, Any]) -> Any: ...

    def readiness(self) -> dict[str, Callable[[], str]]:
        """Checks of what the account must have in place beyond the stack, by name."""
        ...

    def clean_up(self) -> None: ...


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    seconds: float


def http(method: str, url: str, token: str | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, method=method)  # noqa: S310 - the stack's own API
    if token:
        request.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


@dataclass
class Smoke:
    target: Target
    say: Callable[[str], None] = print
    wait_seconds: float = 180.0
    checks: list[Check] = field(default_factory=list)

    def run(self) -> bool:
        try:
            token = self._check("sign in as a temporary staff user", self.target.sign_in)
            if token:
                self._check("the API answers a signed-in user", lambda: self.api(token))
                self._check("the API refuses a caller without a token", self.refuses_strangers)
                self._check("an inbox upload reaches the register", lambda: self.intake(token))
            for function, enabled in sorted(self.target.schedules().items()):
                self._check(f"{function} is scheduled and ready", partial(self.dry_run, function, enabled))
            for name, step in self.target.readiness().items():
                self._check(name, step)
        finally:
            self.target.clean_up()
        return all(c.ok for c in self.checks)

    def _check(self, name: str, step: Callable[[], Any]) -> Any:
        started = time.monotonic()
        try:
            result = step()
        except Exception as error:  # a failed step is reported, and the others still run
            self.checks.append(
                Check(name, False, str(error) or type(error).__name__, time.monotonic() - started)
            )
            self.say(f"  FAIL  {name}: {self.checks[-1].detail}")
            return None
        detail = result if isinstance(result, str) and len(result) < 80 else ""
        self.checks.append(Check(name, True, detail, time.monotonic() - started))
        self.say(f"  ok    {name} ({self.checks[-1].seconds:.1f} s) {detail}".rstrip())
        return result

    def api(self, token: str) -> str:
        status, _ = http("GET", f"{self.target.api}/invoices?limit=1", token)
        if status != 200:
            raise AssertionError(f"GET /invoices answered {status}")
        return "GET /invoices 200"

    def refuses_strangers(self) -> str:
        status, _ = http("GET", f"{self.target.api}/invoices?limit=1")
        if status != 401:
            raise AssertionError(f"GET /invoices without a token answered {status}")
        return "401"

    def intake(self, token: str) -> str:
        stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        name = f"backoffice-smoke-test-{stamp}.txt"
        self.target.drop(f"inbox/{name}", f"Back Office smoke test {stamp}\n".encode())
        deadline = time.monotonic() + self.wait_seconds
        while time.monotonic() < deadline:
            _, page = http("GET", f"{self.target.api}/documents?limit=200", token)
            found = [d for d in (page or {}).get("items", []) if d.get("original_name") == name]
            if found:
                return f"{found[0]['status']} as {found[0]['id']}"
            time.sleep(2)
        raise AssertionError(f"{name} was not registered within {self.wait_seconds:.0f} s")

    def dry_run(self, function: str, enabled: bool) -> str:
        if not enabled:
            raise AssertionError("its schedule is disabled")
        result = self.target.invoke(function, {**DRY_RUN, "time": datetime.now(UTC).isoformat()})
        if result != {"dry_run": True}:
            raise AssertionError(f"answered {result!r}")
        return "dry run"


@dataclass
class LocalTarget:
    """The local cloud, through its control endpoints and its embedded AWS."""

    call: Callable[..., Any]
    s3: Any

    @property
    def api(self) -> str:
        return str(self.call("GET", "/_local/resources")["api_url"])

    def sign_in(self) -> str:
        return str(
            self.call("POST", "/_local/tokens", {"role": "staff", "subject": f"smoke-{uuid.uuid4().hex}"})[
                "token"
            ]
        )

    def drop(self, key: str, body: bytes) -> None:
        self.s3.put_object(Bucket=self.call("GET", "/_local/resources")["bucket"], Key=key, Body=body)

    def schedules(self) -> dict[str, bool]:
        return {s["function"]: True for s in self.call("GET", "/_local/resources")["schedules"]}

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        outcome = self.call("POST", f"/_local/functions/{function}/invocations", event)
        if not outcome["ok"]:
            raise AssertionError(str(outcome["error"]))
        return outcome["result"]

    def readiness(self) -> dict[str, Callable[[], str]]:
        """Alarm subscriptions, SES verification and the sandbox exist only in AWS."""
        return {}

    def clean_up(self) -> None:
        """A local token expires on its own."""


@dataclass
class StackTarget:
    """A deployed stack, through its outputs and the AWS APIs (an administrator's credentials)."""

    stack: str
    cloudformation: Any
    cognito: Any
    s3: Any
    scheduler: Any
    lambda_: Any
    sns: Any
    sesv2: Any
    username: str | None = None

    def __post_init__(self) -> None:
        self.outputs, self.parameters = describe(self.cloudformation, self.stack)
        self.api = self.outputs["ApiUrl"].rstrip("/")

    def sign_in(self) -> str:
        """A staff user that exists for this run only, signed in with the admin flow (which needs
        AWS credentials, so the pool is no more open than before)."""
        pool, client = self.outputs["UserPoolId"], self.outputs["UserPoolClientId"]
        self.username = f"smoke-{uuid.uuid4().hex[:12]}@smoke.invalid"
        password = secrets.token_urlsafe(24) + "aA1!"
        self.cognito.admin_create_user(
            UserPoolId=pool,
            Username=self.username,
            UserAttributes=[{"Name": "email", "Value": self.username}],
            MessageAction="SUPPRESS",
        )
        self.cognito.admin_set_user_password(
            UserPoolId=pool, Username=self.username, Password=password, Permanent=True
        )
        self.cognito.admin_add_user_to_group(UserPoolId=pool, Username=self.username, GroupName="staff")
        answer = self.cognito.admin_initiate_auth(
            UserPoolId=pool,
            ClientId=client,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": self.username, "PASSWORD": password},
        )
        return str(answer["AuthenticationResult"]["IdToken"])

    def drop(self, key: str, body: bytes) -> None:
        self.s3.put_object(Bucket=self.outputs["DocumentsBucketName"], Key=key, Body=body)

    @cached_property
    def resources(self) -> dict[str, tuple[str, str]]:
        """The stack's resources, read once per run."""
        return stack_resources(self.cloudformation, self.stack)

    def schedules(self) -> dict[str, bool]:
        resources = self.resources
        self._functions = {
            logical: name for logical, (kind, name) in resources.items() if kind == "AWS::Lambda::Function"
        }
        by_name = {name: logical for logical, name in self._functions.items()}
        found = {}
        for kind, name in resources.values():
            if kind == "AWS::Scheduler::Schedule":
                schedule = self.scheduler.get_schedule(Name=name)
                function = schedule["Target"]["Arn"].rsplit(":", 1)[-1]
                found[by_name.get(function, function)] = schedule["State"] == "ENABLED"
        return found

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        answer = self.lambda_.invoke(
            FunctionName=self._functions[function], Payload=json.dumps(event).encode()
        )
        payload = json.loads(answer["Payload"].read() or b"null")
        if answer.get("FunctionError"):
            raise AssertionError(str(payload))
        return payload

    def readiness(self) -> dict[str, Callable[[], str]]:
        return {
            "someone confirmed the alarm email": self.alarms_reach_someone,
            "SES verified the sender's domain": self.sender_verified,
            "SES may mail customers (out of the sandbox)": self.out_of_sandbox,
        }

    def alarms_reach_someone(self) -> str:
        topic = self.resources["AlarmTopic"][1]
        subscriptions = self.sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        if not subscriptions:
            raise AssertionError("no one is subscribed: deploy again with AlarmEmail set")
        confirmed = [s["Endpoint"] for s in subscriptions if s["SubscriptionArn"].startswith("arn:")]
        if not confirmed:
            waiting = ", ".join(s["Endpoint"] for s in subscriptions)
            raise AssertionError(f"{waiting} has not confirmed: open the email from AWS Notifications")
        return ", ".join(confirmed)

    def sender_verified(self) -> str:
        domain = self.parameters["SenderEmail"].rsplit("@", 1)[-1]
        identity = self.sesv2.get_email_identity(EmailIdentity=domain)
        dkim = identity.get("DkimAttributes", {}).get("Status")
        if not identity.get("VerifiedForSendingStatus") or dkim != "SUCCESS":
            raise AssertionError(
                f"{domain} is not verified yet (DKIM {dkim}): publish the stack's DnsRecords output"
            )
        return domain

    def out_of_sandbox(self) -> str:
        if not self.sesv2.get_account().get("ProductionAccessEnabled"):
            raise AssertionError(
                "the account is in the SES sandbox: only verified addresses get mail; request "
                "production access (SES console, Account dashboard)"
            )
        return "production access"

    def clean_up(self) -> None:
        if self.username:
            self.cognito.admin_delete_user(UserPoolId=self.outputs["UserPoolId"], Username=self.username)
            self.username = None
