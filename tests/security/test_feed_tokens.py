"""Finding 8: calendar feed links expire, and their owners and admins can see them to revoke one."""

from datetime import date

from core.identity import Caller
from tests.integration.test_compliance import Office, office

__all__ = ["office"]

CLERK = Caller(subject="clerk", groups=frozenset({"staff"}))
OTHER = Caller(subject="other-clerk", groups=frozenset({"staff"}))
ADMIN = Caller(subject="boss", groups=frozenset({"admin"}))


def test_a_feed_link_works_for_its_lifetime_then_stops(office: Office) -> None:
    office.on(date(2026, 11, 2))
    token = office.service.issue_feed_token(CLERK)
    office.on(date(2027, 11, 1))
    assert office.service.feed_allowed(token)
    office.on(date(2027, 11, 3))
    assert not office.service.feed_allowed(token)


def test_owners_see_their_own_links_and_admins_see_everyones(office: Office) -> None:
    mine = office.service.issue_feed_token(CLERK).split(".")[0]
    theirs = office.service.issue_feed_token(OTHER).split(".")[0]
    assert [t["id"] for t in office.service.feed_tokens(CLERK)] == [mine]
    listed = office.service.feed_tokens(ADMIN)
    assert {t["id"] for t in listed} == {mine, theirs} and all("hash" not in t for t in listed)
    assert {t["owner"] for t in listed} == {"clerk", "other-clerk"}
    assert all(t["expires_at"] > t["created_at"] for t in listed)
