"""Quote operations: each reads, applies a rule from `quotes`, and stores with its audit entry. The
customer's answers come through the public page with the emailed link, never an account."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from core.i18n import N_, language_of, translator
from core.identity import Caller
from core.settings import env
from invoicing import quotes, rules
from invoicing.model import Invoice
from invoicing.quotes import PublicQuote, Quote, QuoteRequest, QuoteStatus
from invoicing.service import Invoicing, invoicing

CUSTOMER = "customer:link"  # how the audit trail names an answer given with the emailed link


@dataclass
class Quoting:
    office: Invoicing
    seller: str
    portal_url: str

    def create(self, request: QuoteRequest, caller: Caller) -> Quote:
        checked = self.office.checked(request.as_invoice())
        now = self.office.clock()
        quote_id = uuid.uuid4().hex
        draft = rules.build(
            checked,
            invoice_id=quote_id,
            default_currency=self.office.default_currency,
            actor=caller.actor,
            now=now,
            rounding=self.office.rounding,
        )
        offered = request.model_copy(update={"customer": checked.customer, "lines": checked.lines})
        made = quotes.priced(quote_id, offered, draft, caller.actor, now)
        return self.office.store.save_quote(
            made, read_version=None, action="drafted", actor=caller.actor, at=now
        )

    def get(self, quote_id: str) -> Quote:
        return self.office.store.quote(quote_id)

    def all(self) -> list[Quote]:
        return self.office.store.quotes()

    def send(self, quote_id: str, caller: Caller) -> tuple[Quote, str]:
        """Number the draft, make its link and ask for its email; the link is returned this once."""
        quote = self.office.store.quote(quote_id)
        today = self.office.today()
        link: list[str] = []

        def build(number: str) -> Quote:
            sent, token = quotes.sent(quote, number, today)
            link[:] = [token]
            return sent

        saved = self.office.store.numbered_quote(
            quote, "QT", today.year, build, actor=caller.actor, at=self.office.clock()
        )
        language = language_of(saved.customer.language, self.office.country)
        url = f"{self.portal_url}quote.html?lang={language}#{link[0]}"
        self.office.bus.publish("QuoteDeliveryRequested", {"quote_id": saved.id, "link": url})
        return saved, url

    def _linked(self, link: str) -> Quote:
        return quotes.check_link(self.office.store.find_quote(quotes.quote_id_of(link)), link)

    def view(self, link: str) -> PublicQuote:
        return quotes.public(self._linked(link), self.seller, self.office.today())

    def answer(self, link: str, *, name: str | None = None, reason: str | None = None) -> PublicQuote:
        """The customer accepts (signing with a name) or declines; the answer is final."""
        quote = self._linked(link)
        now = self.office.clock()
        changed = quotes.answered(quote, self.office.today(), now, name=name, reason=reason)
        action = "accepted" if changed.status is QuoteStatus.ACCEPTED else "declined"
        saved = self.office.store.save_quote(
            changed, read_version=quote.version, action=action, actor=CUSTOMER, at=now
        )
        return quotes.public(saved, self.seller, self.office.today())

    def invoice(self, quote_id: str, caller: Caller) -> Invoice:
        """Issue the accepted quote's invoice, once: its id is the quote's, so a second click finds it."""
        quote = self.office.store.quote(quote_id)
        invoice_id = f"quote-{quote.id}"
        made = self.office.store.find(invoice_id)
        if made is None:
            request = quotes.invoice_request(quote)
            label = translator(language_of(None, self.office.country))(N_("Quote {number}"))
            notes = "\n".join(n for n in (quote.notes, label.format(number=quote.number)) if n)
            made = self.office.create(request.model_copy(update={"notes": notes}), caller, invoice_id)
        if quote.status is not QuoteStatus.INVOICED:
            self.office.store.save_quote(
                quote.model_copy(update={"status": QuoteStatus.INVOICED, "invoice_id": made.id}),
                read_version=quote.version,
                action="invoiced",
                actor=caller.actor,
                at=self.office.clock(),
            )
        return made


def quoting() -> Quoting:
    """Built on the process's Invoicing (cheap: nothing of its own to keep)."""
    return Quoting(invoicing(), env("BUSINESS_NAME"), env("PORTAL_URL"))
