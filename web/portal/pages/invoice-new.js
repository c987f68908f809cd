// invoice-new.html
// with ?quote=1 it drafts a quote instead: the same customer and lines, an offer's validity for terms.
import { api, requireRole, onSubmit, invoiceTotals, formatMinor, typedAmount, t, config, money, param, html } from "/portal/portal.js";

requireRole("staff", "admin");
const form = document.getElementById("invoice");
const quoting = param("quote") === "1";
if (quoting) {
  document.querySelectorAll(".invoice-only").forEach((element) => element.remove());
  document.querySelectorAll(".quote-only").forEach((element) => (element.hidden = false));
  document.getElementById("title").textContent = t("New quote");
  document.title = `${t("New quote")} · ${t("Back Office")}`;
}
const lines = document.getElementById("lines");
if (window.BACKOFFICE?.currency) form.currency.value = window.BACKOFFICE.currency;

function renumber() {
  [...lines.children].forEach((row, index) =>
    row.querySelectorAll("[data-field]").forEach((input) => (input.name = `lines.${index}.${input.dataset.field}`)));
  totals();
}

// the catalogue: choosing an item copies its description (in the customer's language, else the office's),
// price and tax rate into the line, which the clerk may still change. It loads beside the form, which
// does not wait for it; without items the choice stays hidden.
const catalogue = new Map();
function fill(select) {
  for (const item of catalogue.values()) {
    const name = item.names.en || Object.values(item.names)[0];
    select.add(new Option(`${item.code} — ${name} (${money(item.unit_price, item.currency)})`, item.code));
  }
  select.closest("label").hidden = !catalogue.size;
}
function offer(select) {
  fill(select);
  select.addEventListener("change", () => {
    const item = catalogue.get(select.value);
    if (!item) return;
    const row = select.closest(".line");
    const language = form["customer.language"].value || { TH: "th", VN: "vi" }[config.country] || "en";
    row.querySelector("[data-field=description]").value = item.names[language] || item.names.en || Object.values(item.names)[0];
    row.querySelector("[data-field=unit_price]").value = money(item.unit_price, item.currency).split(" ")[0];
    row.querySelector("[data-field=tax_rate]").value = item.tax_rate;
    totals();
  });
}
api("GET", "/items").then((items) => {
  for (const item of items) if (!item.archived) catalogue.set(item.code, item);
  lines.querySelectorAll("[data-field=item]").forEach(fill);
}, () => {});  // no catalogue: lines are typed as before
function addLine() {
  const made = document.getElementById("line").content.cloneNode(true);
  made.querySelector("[data-field=tax_rate]").value = config.taxRate || "0";  // the country's usual VAT
  lines.append(made);
  const row = lines.lastElementChild;
  offer(row.querySelector("[data-field=item]"));
  row.querySelector(".remove").addEventListener("click", () => { row.remove(); renumber(); });
  renumber();
  row.querySelector("input").focus();
}
function current() {
  return [...lines.children].map((row) => {
    const line = Object.fromEntries([...row.querySelectorAll("input")].map((input) =>
      [input.dataset.field, input.dataset.field === "description" ? input.value.trim() : typedAmount(input.value)]));
    const item = row.querySelector("[data-field=item]").value;
    return item ? { ...line, item } : line;
  });
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
  if (!form.dataset.party && data.get("save_party")) {
    const { country, ...known } = customer;  // the directory keeps what a customer record holds
    const saved = await api("POST", "/parties", { json: { kind: "customer", ...known }, idempotencyKey: `${key}-party` });
    form.dataset.party = saved.id;
  }
  const named = form.dataset.party ? { customer_id: form.dataset.party } : { customer };
  const lines = current().map((line) => ({ ...line, tax_rate: line.tax_rate || "0" }));
  const notes = data.get("notes").trim() || null;
  if (quoting) {
    const quote = await api("POST", "/quotes", { json: { customer, currency: data.get("currency"), notes, lines,
      valid_days: Number(data.get("valid_days") || 30) }, idempotencyKey: key });
    location.href = `/portal/quotes.html?created=${quote.id}`;
    return;
  }
  const body = {
    ...named, currency: data.get("currency"), issue_date: data.get("issue_date") || null,
    due_days: data.get("due_days") ? Number(data.get("due_days")) : null, notes, lines, draft: true,
  };
  const invoice = await api("POST", "/invoices", { json: body, idempotencyKey: key });
  location.href = `/portal/invoice.html?id=${invoice.id}&created=1`;
});

// the directory: choosing a customer fills the fields, and the invoice names them by id (a copy is kept)
const CUSTOMER_FIELDS = ["name", "email", "address", "tax_id", "branch", "language"];
const choice = document.getElementById("c-party");
let parties = [];
const shown = (p) => (p.tax_id ? `${p.name} · ${p.tax_id}` : p.name);
api("GET", "/parties?kind=customer").then((found) => {
  parties = found;
  document.getElementById("parties").innerHTML = found.map((p) => html`<option value="${shown(p)}"></option>`).join("");
});
choice.addEventListener("change", () => {
  const party = parties.find((p) => shown(p) === choice.value);
  if (!party) return;
  for (const field of CUSTOMER_FIELDS) form[`customer.${field}`].value = party[field] || "";
  form.dataset.party = party.id;
  document.getElementById("save-party-field").hidden = true;
});
form.addEventListener("input", (event) => {  // a changed name or email is no longer the directory's customer
  if (event.target.name?.startsWith("customer.") && form.dataset.party) {
    delete form.dataset.party;
    choice.value = "";
    document.getElementById("save-party-field").hidden = false;
  }
});
