// invoice-new.html
import { api, requireRole, onSubmit, invoiceTotals, formatMinor, typedAmount } from "/portal/portal.js";

requireRole("staff", "admin");
const form = document.getElementById("invoice");
const lines = document.getElementById("lines");
if (window.BACKOFFICE?.currency) form.currency.value = window.BACKOFFICE.currency;

function renumber() {
  [...lines.children].forEach((row, index) =>
    row.querySelectorAll("input").forEach((input) => (input.name = `lines.${index}.${input.dataset.field}`)));
  totals();
}
function addLine() {
  lines.append(document.getElementById("line").content.cloneNode(true));
  const row = lines.lastElementChild;
  row.querySelector(".remove").addEventListener("click", () => { row.remove(); renumber(); });
  renumber();
  row.querySelector("input").focus();
}
function current() {
  return [...lines.children].map((row) => Object.fromEntries(
    [...row.querySelectorAll("input")].map((input) =>
      [input.dataset.field, input.dataset.field === "description" ? input.value.trim() : typedAmount(input.value)])));
}
function totals() {
  const currency = form.currency.value;
  const result = invoiceTotals(current(), currency);
  for (const name of ["subtotal", "tax", "total"]) {
    document.getElementById(name).textContent = result ? `${formatMinor(result[name], result.units)} ${currency}` : "—";
  }
  // say why there is no total rather than leave a dash
  document.getElementById("totals-hint").hidden = Boolean(result);
}
document.getElementById("add-line").addEventListener("click", addLine);
form.addEventListener("input", totals);
addLine();

onSubmit(form, async (data, key) => {
  const customer = {};
  for (const field of ["name", "email", "address", "tax_id", "country", "branch", "language"]) {
    const value = data.get(`customer.${field}`).trim();
    if (value) customer[field] = value;
  }
  const body = {
    customer, currency: data.get("currency"), issue_date: data.get("issue_date") || null,
    due_days: data.get("due_days") ? Number(data.get("due_days")) : null, notes: data.get("notes").trim() || null,
    lines: current().map((line) => ({ ...line, tax_rate: line.tax_rate || "0" })), draft: data.get("draft") === "on",
  };
  const invoice = await api("POST", "/invoices", { json: body, idempotencyKey: key });
  location.href = `/portal/invoice.html?id=${invoice.id}&created=1`;
});
