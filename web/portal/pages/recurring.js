// recurring.html
import { api, requireRole, onSubmit, done, html, status, t, money, typedAmount, repeats, chosenRule } from "/portal/portal.js";

requireRole("staff", "admin");
const form = document.getElementById("start");
if (window.BACKOFFICE?.currency) form.currency.value = window.BACKOFFICE.currency;

async function load() {
  const all = await api("GET", "/recurring-invoices");
  document.getElementById("rows").innerHTML = all.map((s) => {
    const line = s.lines[0];
    const action = s.status === "active" ? ["pause", t("Pause")] : s.status === "paused" ? ["resume", t("Resume")] : null;
    return html`<tr data-id="${s.id}">
      <td data-label="${t("Customer")}" class="text">${s.customer.name}<br><span class="muted">${line.description}, ${money(line.unit_price, s.currency || "")}</span></td>
      <td data-label="${t("Repeats")}">${repeats(s.rule)}</td>
      <td data-label="${t("Next dates")}" class="next">${s.upcoming.join(", ") || "—"}</td>
      <td data-label="${t("Status")}">` + status(s.status) + html`</td><td data-label="${t("Actions")}">` +
      (action ? html`<button type="button" class="secondary" data-action="${action[0]}">${action[1]}</button>` : "") + "</td></tr>";
  }).join("") || html`<tr><td colspan="5" class="muted">${t("None yet.")}</td></tr>`;
}

document.getElementById("rows").addEventListener("click", async (event) => {
  const button = event.target.closest("[data-action]");
  if (!button) return;
  const id = button.closest("tr").dataset.id;
  await api("POST", `/recurring-invoices/${encodeURIComponent(id)}/${button.dataset.action}`);
  done(button.dataset.action === "pause" ? t("Paused: nothing is issued until it is resumed.")
    : t("Resumed: dates that passed while it was paused are skipped."));
  await load();
});

onSubmit(form, async (data, key) => {
  const body = {
    customer: { name: data.get("customer.name").trim(), email: data.get("customer.email").trim() },
    currency: data.get("currency"),
    lines: [{ description: data.get("lines.0.description").trim(), quantity: "1",
      unit_price: typedAmount(data.get("lines.0.unit_price")), tax_rate: typedAmount(data.get("lines.0.tax_rate")) || "0" }],
    rule: chosenRule(data), start: data.get("start"), end: data.get("end") || null, send: data.get("send") === "on",
  };
  const started = await api("POST", "/recurring-invoices", { json: body, idempotencyKey: key });
  return t("Started: the first invoice goes on {date}.", { date: started.next_date });
}, () => {
  if (window.BACKOFFICE?.currency) form.currency.value = window.BACKOFFICE.currency;
  return load();
});
load();
