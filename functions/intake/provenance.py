"""Where a document came from, and whether the office can act on it (a payroll register pays people).

Trust boundary: anyone on the internet can send mail to the intake address; only people of the office
can put objects into the bucket (the bucket refuses other accounts) or get a pre-signed upload form
(staff only). So a register is trusted when it was
- uploaded with a staff member's pre-signed form (`inbox/web/…`, the form pins the uploader),
- put into the inbox by an S3 principal the template names (`RegisterUploaders`; `*` = any principal
  of the account), or
- emailed by a payroll provider on the allow-list (`PayrollSenders`) **and** SES's SPF, DKIM and
  DMARC verdicts all passed, or
- released from quarantine by an admin (recorded as such).
Everything else is filed as a document, and a register from anywhere else is quarantined.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from pydantic import BaseModel, Field

MAIL_FOLDER = "inbox/mail/"
WEB_FOLDER = "inbox/web/"  # the pre-signed upload form's folder
PASS = "PASS"  # noqa: S105 - the SES verdict, not a password
VERDICTS = ("spam", "virus", "spf", "dkim", "dmarc")


class Source(StrEnum):
    PORTAL = "portal"
    S3 = "s3"
    EMAIL = "email"
    RELEASED = "released"


class MailVerdicts(BaseModel):
    """What SES found when the message arrived (PASS, FAIL, GRAY, PROCESSING_FAILED or NONE)."""

    sender: str
    spam: str = "NONE"
    virus: str = "NONE"
    spf: str = "NONE"
    dkim: str = "NONE"
    dmarc: str = "NONE"

    @property
    def authenticated(self) -> bool:
        """The sender's domain vouched for the message: SPF, DKIM and DMARC all passed."""
        return self.spf == PASS and self.dkim == PASS and self.dmarc == PASS

    def to_metadata(self) -> dict[str, str]:
        return {"mail-verdicts": ";".join(f"{name}={getattr(self, name)}" for name in VERDICTS)}

    @classmethod
    def from_metadata(cls, sender: str, metadata: Mapping[str, str]) -> MailVerdicts | None:
        raw = metadata.get("mail-verdicts")
        if raw is None:
            return None
        pairs = dict(part.split("=", 1) for part in raw.split(";") if "=" in part)
        return cls(sender=sender, **{k: v for k, v in pairs.items() if k in VERDICTS})


class Provenance(BaseModel):
    """Who put a document into the back office, by which door, and whether it may pay anyone."""

    source: Source
    by: str = Field(description="user:…, s3:principal, mail:sender")
    trusted: bool
    reason: str = Field(description="Why it is or is not trusted, in words.")


def _on_list(sender: str, allowed: Iterable[str]) -> bool:
    domain = sender.rpartition("@")[2]
    return any(entry == sender or entry == f"@{domain}" for entry in allowed)


def _principal_allowed(principal: str | None, allowed: Iterable[str]) -> bool:
    names = list(allowed)
    if "*" in names:
        return True
    return principal is not None and any(principal.removeprefix("AWS:").startswith(p) for p in names)


def provenance(
    key: str,
    uploaded_by: str,
    principal: str | None,
    mail: MailVerdicts | None,
    *,
    uploaders: Iterable[str],
    payroll_senders: Iterable[str],
) -> Provenance:
    """The provenance of an inbox object, from its key, its metadata and who put it."""
    if key.startswith(MAIL_FOLDER):
        sender = mail.sender if mail else uploaded_by.removeprefix("mail:")
        if not _on_list(sender, payroll_senders):
            return Provenance(
                source=Source.EMAIL,
                by=f"mail:{sender}",
                trusted=False,
                reason="the sender is not a payroll provider",
            )
        if mail is None or not mail.authenticated:
            return Provenance(
                source=Source.EMAIL,
                by=f"mail:{sender}",
                trusted=False,
                reason="the sender's domain did not vouch for it (SPF, DKIM and DMARC must pass)",
            )
        return Provenance(
            source=Source.EMAIL,
            by=f"mail:{sender}",
            trusted=True,
            reason="a payroll provider on the allow-list; SPF, DKIM and DMARC passed",
        )
    if key.startswith(WEB_FOLDER) and uploaded_by.startswith("user:"):
        return Provenance(
            source=Source.PORTAL, by=uploaded_by, trusted=True, reason="a staff member's upload"
        )
    by = f"s3:{principal or 'unknown'}"
    if _principal_allowed(principal, uploaders):
        return Provenance(source=Source.S3, by=by, trusted=True, reason="put into the bucket by the office")
    return Provenance(
        source=Source.S3, by=by, trusted=False, reason="put by a principal not named in RegisterUploaders"
    )


def released(actor: str) -> Provenance:
    return Provenance(
        source=Source.RELEASED, by=actor, trusted=True, reason="released from quarantine by an admin"
    )
