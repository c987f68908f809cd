// bill.html: check a draft against the vendor's document, approve, schedule, pay or reject it
import { api, requireRole, onSubmit, done, html, status, param, today, t, money, typedAmount, who } from "/portal/portal.js";

const user = requireRole("staff", "admin");
const me = `user:${user.sub}`;
const id = param("id");
const forms = Object.fromEntries(["check", "approve", "schedule", "pay", "reject"].map((n) => [n, document.getElementById(n)]));
const METHODS = { bank_transfer: t("Bank transfer"), cheque: t("Cheque"), cash: t("Cash"), card: t("Card") };
let bill = null;

function fill(form, values) {
  for (const [name, value] of Object.entries(values)) {
    const field = form.querySelector(`[name="${name}"]`);
    if (field && value != null && !field.value) field.value = value;
  }
}

function facts(b) {
  const f = b.figures;
  const rows = [[t("Status"), status(b.status)]];
  if (b.provenance) rows.push([t("Came from"), html`${b.provenance.by || b.provenance.source}` +
    (b.provenance.trusted ? "" : html` <span class="status status-overdue">${t("not a trusted sender")}</span>`)]);
  if (f) {
    rows.push([t("Vendor"), html`${f.vendor.name}` + (f.vendor.tax_id ? html` · ${f.vendor.tax_id}` : "")],
      [t("Vendor's invoice number"), html`${f.invoice_number}`], [t("Invoice date"), html`${f.issue_date}`],
      [t("Due date"), html`${b.pay_on ? `${b.pay_on} (${t("pay on")})` : f.due_date}`],
      [t("Amount without VAT"), html`${money(f.net, f.currency)}`], [t("VAT"), html`${money(f.vat, f.currency)}`],
      [t("Total"), html`${money(f.total, f.currency)}`], [t("Owed"), html`${money(b.owed, f.currency)}`]);
  }
  rows.push([t("Paid into (the vendor's account in force)"), html`${b.pay_to || t("none in the directory")}`]);
  if (b.document_account) rows.push([t("Account the document names"), html`${b.document_account}` +
    (b.account_differs ? html` <span class="status status-overdue">${t("not the account in force: only an administrator confirms this bill")}</span>` : "")]);
  if (b.confirmed_by) rows.push([t("Confirmed by"), html`${b.confirmed_by === me ? t("you") : who(b.confirmed_by)}`]);
  if (b.approved_by) rows.push([t("Approved by"), html`${b.approved_by === me ? t("you") : who(b.approved_by)}`]);
  if (b.rejected_reason) rows.push([t("Reason"), html`${b.rejected_reason}`]);
  return "<dl class=\"facts\">" + rows.map(([k, v]) => html`<dt>${k}</dt>` + `<dd>${v}</dd>`).join("") + "</dl>";
}

async function render() {
  bill = await api("GET", `/bills/${encodeURIComponent(id)}`);
  const f = bill.figures;
  const r = bill.reading || {};
  document.getElementById("title").textContent = t("Bill from {vendor}", { vendor: f?.vendor.name || r.vendor_name || "—" });
  document.getElementById("summary").innerHTML = facts(bill);
  document.getElementById("document").hidden = !bill.document_id;
  const payable = ["approved", "scheduled"].includes(bill.status);
  forms.check.hidden = bill.status !== "draft";
  forms.approve.hidden = bill.status !== "awaiting_approval" || !user.roles.includes("admin");
  forms.schedule.hidden = forms.pay.hidden = !payable;
  forms.reject.hidden = !["draft", "awaiting_approval", "approved", "scheduled"].includes(bill.status) || bill.payments.length > 0;
  if (bill.status === "draft") {
    fill(forms.check, {
      "vendor.name": r.vendor_name, "vendor.tax_id": r.vendor_tax_id, invoice_number: r.invoice_number,
      issue_date: r.issue_date, due_date: r.due_date, currency: r.currency || "", net: r.net, vat: r.vat, total: r.total,
    });
  }
  if (payable) fill(forms.pay, { amount: bill.owed, date: today() });
  document.getElementById("payments-section").hidden = !bill.payments.length;
  document.getElementById("payments").innerHTML = bill.payments.map((p) =>
    html`<li>${p.date}: ${money(p.amount, f.currency)} (${METHODS[p.method] || p.method}${p.reference ? `, ${p.reference}` : ""})` +
    (p.paid_to ? html` — ${t("into {account}", { account: p.paid_to })}` : "") + "</li>").join("");
}

document.getElementById("document").addEventListener("click", async () => {
  const found = await api("GET", `/documents/${encodeURIComponent(bill.document_id)}`);
  if (found.download_url) window.open(found.download_url, "_blank", "noopener");
});

onSubmit(forms.check, async (data, key) => {
  const [net, vat, total] = ["net", "vat", "total"].map((n) => typedAmount(data.get(n)));
  const confirmed = await api("POST", `/bills/${encodeURIComponent(id)}/confirm`, { idempotencyKey: key, json: {
    vendor: { name: data.get("vendor.name"), tax_id: data.get("vendor.tax_id") || null, branch: data.get("vendor.branch") || null },
    invoice_number: data.get("invoice_number"), issue_date: data.get("issue_date"), due_date: data.get("due_date"),
    currency: data.get("currency").trim().toUpperCase(), net, vat, total,
  } });
  return confirmed.status === "approved" ? t("Confirmed and approved: it is within the limit.") : t("Confirmed; a second person approves it next.");
}, render);
onSubmit(forms.approve, async (_, key) => {
  await api("POST", `/bills/${encodeURIComponent(id)}/approve`, { idempotencyKey: key, json: {} });
  return t("Approved for payment.");
}, render);
onSubmit(forms.schedule, async (data, key) => {
  await api("POST", `/bills/${encodeURIComponent(id)}/schedule`, { idempotencyKey: key, json: { pay_on: data.get("pay_on") } });
  return t("The payer is told a few days before, and on the day.");
}, render);
onSubmit(forms.pay, async (data, key) => {
  const paid = await api("POST", `/bills/${encodeURIComponent(id)}/payments`, { idempotencyKey: key, json: {
    amount: typedAmount(data.get("amount")), date: data.get("date"), method: data.get("method"), reference: data.get("reference") || null,
  } });
  return paid.status === "paid" ? t("Paid in full.") : t("Payment recorded.");
}, render);
onSubmit(forms.reject, async (data, key) => {
  await api("POST", `/bills/${encodeURIComponent(id)}/reject`, { idempotencyKey: key, json: { reason: data.get("reason") } });
  return t("Rejected; the vendor's invoice number is free again.");
}, render);
render();
