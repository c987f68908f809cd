"""Which doors a payroll register may come through, and how SES's verdicts are read from a message."""

import pytest

from infra.cli import ses_headers
from intake.mail import parse_mail
from intake.provenance import MailVerdicts, Source, provenance

PROVIDER = "payroll@provider.example"
MESSAGE = (
    f"From: Payroll <{PROVIDER}>\r\nTo: documents@office.example\r\nSubject: register\r\n\r\nhi\r\n"
).encode()


def verdicts(**changes: str) -> MailVerdicts:
    return MailVerdicts(sender=PROVIDER, **{"spf": "PASS", "dkim": "PASS", "dmarc": "PASS", **changes})


def test_mail_is_trusted_only_from_a_listed_provider_whose_domain_vouched_for_it() -> None:
    def decide(mail: MailVerdicts, senders: tuple[str, ...] = (PROVIDER,)) -> bool:
        key = "inbox/mail/m1/1-register.csv"
        return provenance(
            key, f"mail:{PROVIDER}", None, mail, uploaders=("*",), payroll_senders=senders
        ).trusted

    assert decide(verdicts())
    assert decide(verdicts(), ("@provider.example",))
    assert not decide(verdicts(), ("@other.example",))
    assert not decide(verdicts(), ())
    for failing in ({"spf": "FAIL"}, {"dkim": "GRAY"}, {"dmarc": "NONE"}):
        assert not decide(verdicts(**failing))


def test_staff_doors_and_named_principals() -> None:
    portal = provenance("inbox/web/abc/r.csv", "user:clerk", None, None, uploaders=(), payroll_senders=())
    assert portal.source is Source.PORTAL and portal.trusted and portal.by == "user:clerk"
    named = ("AROAEXAMPLE:",)
    ok = provenance(
        "inbox/payroll/r.csv", "s3:x", "AWS:AROAEXAMPLE:alice", None, uploaders=named, payroll_senders=()
    )
    other = provenance(
        "inbox/payroll/r.csv", "s3:x", "AWS:AIDAOTHER", None, uploaders=named, payroll_senders=()
    )
    assert ok.trusted and not other.trusted and other.source is Source.S3
    # a "user:" claim in metadata outside the form's folder is not the form
    forged = provenance(
        "inbox/payroll/r.csv", "user:boss", "AWS:AIDAOTHER", None, uploaders=named, payroll_senders=()
    )
    assert not forged.trusted


@pytest.mark.parametrize("dmarc", ["pass", "fail"])
def test_verdicts_are_read_from_the_headers_ses_puts_on_top(dmarc: str) -> None:
    mail = parse_mail(ses_headers(MESSAGE, spam="pass", virus="pass", spf="pass", dkim="pass", dmarc=dmarc))
    assert mail.verdicts.dmarc == dmarc.upper() and mail.verdicts.spf == "PASS"
    assert mail.spoofed is (dmarc == "fail")


def test_verdicts_the_sender_wrote_below_are_ignored() -> None:
    forged = (
        b"Authentication-Results: amazonses.com; spf=pass; dkim=pass; dmarc=pass\r\n"
        b"X-SES-Virus-Verdict: PASS\r\n" + MESSAGE
    )
    stored = ses_headers(forged, spam="pass", virus="fail", spf="fail", dkim="fail", dmarc="fail")
    mail = parse_mail(stored)
    assert mail.virus and mail.spoofed and not mail.verdicts.authenticated
    other_server = parse_mail(
        b"Authentication-Results: mx.evil.example; spf=pass; dkim=pass; dmarc=pass\r\n" + MESSAGE
    )
    assert other_server.verdicts.dmarc == "NONE"
