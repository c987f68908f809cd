// bank.html
import { api, requireRole, onSubmit, done, html, t, money } from "/portal/portal.js";

requireRole("staff", "admin");
const rows = document.getElementById("rows");

async function load() {
  const waiting = await api("GET", "/bank-lines");
  rows.innerHTML = waiting.map((line) => html`<tr data-id="${line.id}">
      <td data-label="${t("Date")}">${line.date}</td>
      <td data-label="${t("Payer and reference")}" class="text">${line.payer || "—"}<br><span class="muted">${line.reference}</span></td>
      <td data-label="${t("Amount")}" class="amount">${money(line.amount, line.currency)}</td>
      <td data-label="${t("Actions")}"><form class="assign" novalidate>
        <label for="n-${line.id}">${t("Invoice number it pays")}</label>
        <input id="n-${line.id}" name="number" required autocomplete="off">
        <p class="form-alert" role="alert" tabindex="-1" hidden></p>
        <button type="submit">${t("Record the payment")}</button>
        <button type="button" class="secondary" data-action="ignore">${t("Pays no invoice")}</button>
      </form></td></tr>`).join("") || html`<tr><td colspan="4" class="muted">${t("Nothing is waiting.")}</td></tr>`;
  rows.querySelectorAll("form.assign").forEach((form) => onSubmit(form, async (data, key) => {
    const number = data.get("number").trim();
    const found = (await api("GET", `/invoices?q=${encodeURIComponent(number)}&limit=5`)).items
      .find((invoice) => invoice.number === number);
    if (!found) throw new Error(t("No invoice numbered {number}.", { number }));
    await api("POST", `/bank-lines/${encodeURIComponent(form.closest("tr").dataset.id)}/assign`,
      { json: { invoice_id: found.id, remember: true }, idempotencyKey: key });
    return t("Recorded as a payment of {number}; this payer's next credits go to the same customer.", { number });
  }, load));
}

rows.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-action='ignore']");
  if (!button) return;
  await api("POST", `/bank-lines/${encodeURIComponent(button.closest("tr").dataset.id)}/ignore`,
    { json: { reason: t("Pays no invoice") } });
  done(t("Taken off the list."));
  await load();
});

onSubmit(document.getElementById("import"), async (data, key) => {
  const file = data.get("statement");
  if (!file || !file.size) throw new Error(t("Choose the bank's file."));
  const result = await api("POST", "/bank-statements", { body: file, contentType: file.type || "text/csv", idempotencyKey: key });
  return t("{matched} paid, {unmatched} waiting for you, {seen} seen before, {outgoing} money out.", {
    matched: result.matched, unmatched: result.unmatched, seen: result.seen_before, outgoing: result.outgoing });
}, load);
load();
