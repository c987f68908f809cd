// invoice-new.html
import { api, requireRole, onSubmit, invoiceTotals, formatMinor, typedAmount, t, config } from "/portal/portal.js";

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
form.addEventListener("input", (event) => {  // a changed rate is asked about afresh
  if (event.target.dataset?.field !== "tax_rate") return;
  form.rates_checked.checked = false;
  document.getElementById("rates-check").hidden = true;
});
addLine();

// The tax rates an office of this country usually charges; another one is asked about before sending
// (a 7 typed into a box that held 0 makes 70 %).
const USUAL_RATES = { TH: ["0", "7"], VN: ["0", "5", "8", "10"] };
function unusualRates(lines) {
  const usual = USUAL_RATES[config.country];
  const odd = lines.map((line) => line.tax_rate || "0")
    .filter((rate) => (usual ? !usual.includes(String(Number(rate))) : Number(rate) > 30));
  return [...new Set(odd)];
}

onSubmit(form, async (data, key) => {
  const odd = unusualRates(current());
  const check = document.getElementById("rates-check");
  if (odd.length && !data.get("rates_checked")) {
    document.getElementById("rates-question").textContent =
      t("Yes, {rates} % is the right tax rate.", { rates: odd.join(" %, ") });
    check.hidden = false;
    throw new Error(t("{rates} % is not a tax rate this office usually charges: check it, then confirm.", { rates: odd.join(" %, ") }));
  }
  const customer = {};
  for (const field of ["name", "email", "address", "tax_id", "country", "branch", "language"]) {
    const value = data.get(`customer.${field}`).trim();
    if (value) customer[field] = value;
  }
  const body = {
    customer, currency: data.get("currency"), issue_date: data.get("issue_date") || null,
    due_days: data.get("due_days") ? Number(data.get("due_days")) : null, notes: data.get("notes").trim() || null,
    lines: current().map((line) => ({ ...line, tax_rate: line.tax_rate || "0" })), draft: true,
  };
  const invoice = await api("POST", "/invoices", { json: body, idempotencyKey: key });
  location.href = `/portal/invoice.html?id=${invoice.id}&created=1`;
});
