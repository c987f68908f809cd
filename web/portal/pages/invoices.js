// invoices.html
import { api, requireRole, html, status, param, download, t, money } from "/portal/portal.js";

requireRole("staff", "admin");
const form = document.getElementById("filters");
const rows = document.getElementById("rows");
const more = document.getElementById("more");
form.status.value = param("status") || "";
let cursor = null;

async function load(append) {
  const query = new URLSearchParams({ limit: "50" });
  for (const name of ["status", "q"]) if (form[name].value.trim()) query.set(name, form[name].value.trim());
  if (append && cursor) query.set("cursor", cursor);
  const page = await api("GET", `/invoices?${query}`);
  cursor = page.cursor;
  more.hidden = !cursor;
  const body = page.items.map((i) => html`<tr>
      <td data-label="${t("Number")}"><a href="/portal/invoice.html?id=${i.id}">${i.number || t("draft")}</a></td>
      <td data-label="${t("Customer")}" class="text">${i.customer.name}</td>
      <td data-label="${t("Status")}">` + status(i.status) + html`</td>
      <td data-label="${t("Due")}">${i.due_date || ""}</td>
      <td data-label="${t("Total")}" class="amount">${money(i.total, i.currency)}</td>
      <td data-label="${t("Due now")}" class="amount">${i.status === "void" ? "—" : money(i.amount_due, i.currency)}</td></tr>`).join("");
  rows.innerHTML = append ? rows.innerHTML + body : body || html`<tr><td colspan="6" class="muted">${t("No invoices.")}</td></tr>`;
}
form.addEventListener("submit", (e) => { e.preventDefault(); load(false); });
more.addEventListener("click", () => load(true));
document.getElementById("receivables").addEventListener("click", (event) => {
  event.preventDefault();
  download("/reports/receivables?format=csv", "receivables.csv");
});
load(false);
