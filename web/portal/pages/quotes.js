// quotes.html
import { api, requireRole, html, status, t, money, today, download } from "/portal/portal.js";

requireRole("staff", "admin");
const rows = document.getElementById("rows");

function done(text, link) {
  const box = document.getElementById("done");
  box.hidden = false;
  box.innerHTML = html`<p>${text}</p>` + (link ? html`<p><label for="link">${t("The customer's link (shown this once)")}</label>
    <input id="link" readonly value="${link}"></p>` : "");
}

function shown(quote) {
  return quote.status === "sent" && quote.valid_until && quote.valid_until < today() ? "expired" : quote.status;
}

async function load() {
  const quotes = await api("GET", "/quotes");
  rows.innerHTML = quotes.map((quote) => {
    const state = shown(quote);
    const action = state === "draft" ? ["send", t("Send to the customer")]
      : state === "accepted" ? ["invoice", t("Make the invoice")] : null;
    return html`<tr data-id="${quote.id}">
      <td data-label="${t("Number")}">${quote.number || t("Draft")}</td>
      <td data-label="${t("Customer")}" class="text">${quote.customer.name}` +
      (quote.accepted_by ? html`<br><span class="muted">${t("Accepted by {name}", { name: quote.accepted_by })}</span>` : "") +
      (quote.decline_reason ? html`<br><span class="muted">${quote.decline_reason}</span>` : "") + html`</td>
      <td data-label="${t("Total")}" class="amount">${money(quote.total, quote.currency)}</td>
      <td data-label="${t("Status")}">` + status(state) + html`</td>
      <td data-label="${t("Valid until")}">${quote.valid_until || "—"}</td>
      <td data-label="${t("Actions")}">` +
      (action ? html`<button type="button" data-action="${action[0]}">${action[1]}</button> ` : "") +
      (quote.invoice_id ? html`<a href="/portal/invoice.html?id=${quote.invoice_id}">${t("Its invoice")}</a> ` : "") +
      html`<button type="button" class="secondary" data-action="pdf">PDF</button></td></tr>`;
  }).join("") || html`<tr><td colspan="6" class="muted">${t("None yet.")}</td></tr>`;
}

rows.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-action]");
  if (!button) return;
  const id = button.closest("tr").dataset.id;
  button.disabled = true;
  try {
    if (button.dataset.action === "pdf") {
      await download(`/quotes/${encodeURIComponent(id)}/pdf`, `quote-${id}.pdf`);
    } else if (button.dataset.action === "send") {
      const sent = await api("POST", `/quotes/${encodeURIComponent(id)}/send`);
      await load();
      done(t("Quote {number} is on its way to {email}.", { number: sent.number, email: sent.customer.email }), sent.link);
    } else {
      const invoice = await api("POST", `/quotes/${encodeURIComponent(id)}/invoice`);
      location.href = `/portal/invoice.html?id=${invoice.id}&created=1`;
    }
  } catch (error) {
    done(error.message);
  } finally {
    button.disabled = false;
  }
});
load();
