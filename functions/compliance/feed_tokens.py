"""Calendar feed links: a secret per link, stored only as a hash, revocable and expiring."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from compliance.base import ComplianceBase
from core.identity import Caller


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class FeedTokens(ComplianceBase):
    def issue_feed_token(self, caller: Caller) -> str:
        token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(24)
        now = self.clock()
        expires = now + timedelta(days=self.feed_token_days)
        self.store.put_feed_token(token_id, _hash(secret), caller.subject, now, expires)
        return f"{token_id}.{secret}"

    def feed_allowed(self, token: str) -> bool:
        """A token is good while it is neither revoked nor expired (tokens from before expiry
        existed expire a lifetime after they were made)."""
        token_id, _, secret = token.partition(".")
        record = self.store.feed_token(token_id) if token_id and secret else None
        if not record or not hmac.compare_digest(str(record["hash"]), _hash(secret)):
            return False
        made = datetime.fromisoformat(str(record["at"]))
        expires = record.get("expires_at")
        until = (
            datetime.fromisoformat(str(expires)) if expires else made + timedelta(days=self.feed_token_days)
        )
        return self.clock() < until

    def revoke_feed_token(self, token_id: str, caller: Caller) -> None:
        """Admins revoke any feed link; anyone else their own."""
        self.store.revoke_feed_token(token_id, caller.subject, admin="admin" in caller.groups)

    def feed_tokens(self, caller: Caller) -> list[dict[str, Any]]:
        """Admins see every feed link; anyone else their own."""
        return self.store.feed_tokens(None if "admin" in caller.groups else caller.subject)
