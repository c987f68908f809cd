// bills.html
import { api, requireRole, html, t, money, status, param } from "/portal/portal.js";

requireRole("staff", "admin");
const form = document.getElementById("filters");
const rows = document.getElementById("rows");
const more = document.getElementById("more");
let cursor = null;
form.status.value = param("status") ?? "draft";

function row(bill) {
  const f = bill.figures || {};
  const r = bill.reading || {};
  const currency = f.currency || r.currency;
  const total = f.total ?? r.total;
  return html`<tr>
    <td data-label="${t("Vendor")}" class="text"><a href="/portal/bill.html?id=${bill.id}">${f.vendor?.name || r.vendor_name || t("(not read)")}</a></td>
    <td data-label="${t("Invoice")}">${f.invoice_number || r.invoice_number || "—"}</td>
    <td data-label="${t("Status")}">` + status(bill.status) + html`</td>
    <td data-label="${t("Due")}">${bill.pay_on || f.due_date || r.due_date || "—"}</td>
    <td data-label="${t("Total")}" class="amount">${total != null ? money(total, currency) : "—"}</td>
    <td data-label="${t("Owed")}" class="amount">${f.total != null ? money(bill.owed, currency) : "—"}</td>
  </tr>`;
}

async function load(append = false) {
  const query = new URLSearchParams({ limit: "50" });
  if (form.status.value) query.set("status", form.status.value);
  if (append && cursor) query.set("cursor", cursor);
  const page = await api("GET", `/bills?${query}`);
  cursor = page.cursor;
  more.hidden = !cursor;
  const shown = page.items.map(row).join("");
  if (append) rows.insertAdjacentHTML("beforeend", shown);
  else rows.innerHTML = shown || html`<tr><td colspan="6" class="muted">${t("No bills here.")}</td></tr>`;
}
form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
more.addEventListener("click", () => load(true));
load();
