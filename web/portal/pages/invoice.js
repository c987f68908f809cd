// invoice.html
import { api, requireRole, onSubmit, done, html, status, param, today, t, money, typedAmount } from "/portal/portal.js";

const user = requireRole("staff", "admin");
const id = param("id");
document.getElementById("created").hidden = !param("created");

let firstView = true;

async function render() {
  const i = await api("GET", `/invoices/${encodeURIComponent(id)}`);
  document.title = `${i.number || t("Draft")} · ${t("Back Office")}`;
  document.getElementById("title").innerHTML = html`${t("Invoice")} <span id="number">${i.number || ""}</span> ` + status(i.status);
  document.getElementById("summary").innerHTML = html`<dl class="facts">
      <dt>${t("Customer")}</dt><dd id="customer">${i.customer.name}</dd><dt>${t("Email")}</dt><dd>${i.customer.email}</dd>
      <dt>${t("Issued")}</dt><dd>${i.issue_date || "—"}</dd><dt>${t("Due")}</dt><dd>${i.due_date || "—"}</dd>
      <dt>${t("Amount due")}</dt><dd id="amount-due">${money(i.amount_due, i.currency)}</dd>` +
    (Number(i.refund_due) ? html`<dt>${t("Refund due to the customer")}</dt><dd id="refund-due">${money(i.refund_due, i.currency)}</dd>` : "") +
    html`</dl>
    <div class="actions"><button type="button" class="secondary" id="pdf">${t("Download PDF")}</button></div>`;
  document.getElementById("lines").innerHTML = i.lines.map((l) => html`<tr>
      <td data-label="${t("Description")}" class="text">${l.description}</td><td data-label="${t("Qty")}" class="amount">${l.quantity}</td>
      <td data-label="${t("Unit price")}" class="amount">${money(l.unit_price, i.currency).split(" ")[0]}</td><td data-label="${t("Tax %")}" class="amount">${l.tax_rate}</td>
      <td data-label="${t("Net")}" class="amount">${money(l.line_net, i.currency).split(" ")[0]}</td></tr>`).join("");
  document.getElementById("totals").innerHTML = html`
    <div><span>${t("Subtotal")}</span><span>${money(i.subtotal, i.currency)}</span></div>
    <div><span>${t("Tax")}</span><span id="tax-total">${money(i.tax_total, i.currency)}</span></div>
    <div class="grand"><span>${t("Total")}</span><span id="total">${money(i.total, i.currency)}</span></div>`;
  const methods = { bank_transfer: t("bank transfer"), cash: t("cash"), card: t("card"), cheque: t("cheque") };
  const MATCHED = {
    invoice_number: t("from the bank statement, by the invoice number"),
    payer_amount: t("from the bank statement, by the payer and the amount"),
    assigned: t("from the bank statement, assigned by hand"),
  };
  document.getElementById("payments").innerHTML = i.payments.map((p) => {
    const paid = { amount: money(p.amount, i.currency), method: methods[p.method] || p.method, reference: p.reference };
    const withheld = { amount: money(p.withheld, i.currency), certificate: p.certificate_number };
    return html`<li>${p.date}: ${p.reference ? t("{amount} ({method}, {reference})", paid) : t("{amount} ({method})", paid)}${
      Number(p.withheld) ? ` ${p.certificate_number ? t("and {amount} tax withheld, certificate {certificate}", withheld) : t("and {amount} tax withheld, certificate to collect", withheld)}` : ""}` +
      (p.matched_by ? html` — ${MATCHED[p.matched_by] || p.matched_by}` : "") +
      (p.receipt_number ? html` — ${t("receipt")} <button type="button" class="link" data-receipt="${p.receipt_number}">${p.receipt_number}</button>` : "") +
      "</li>";
  }).join("") + i.refunds.map((r) => html`<li>${r.date}: ${t("{amount} paid back to the customer ({method})",
    { amount: money(r.amount, i.currency), method: methods[r.method] || r.method })}</li>`).join("") ||
    html`<li class="muted">${t("None yet.")}</li>`;
  const notes = [...i.credit_notes.map((n) => ["credit-notes", t("Credit note"), n]), ...i.debit_notes.map((n) => ["debit-notes", t("Debit note"), n])];
  document.getElementById("notes-section").hidden = !notes.length;
  document.getElementById("notes").innerHTML = notes.map(([kind, name, n]) =>
    html`<li>${n.date}: ${name} <button type="button" class="link" data-note="${kind}/${n.number}">${n.number}</button>, ${money(n.amount, i.currency)} (${n.reason})</li>`).join("");
  const open = ["issued", "partially_paid", "overdue"].includes(i.status);
  document.getElementById("pay").hidden = !open;
  document.getElementById("credit").hidden = !(open || i.status === "paid");
  document.querySelector("#note-kind option[value='credit-notes']").disabled = !(open || i.status === "paid");  // a ใบลดหนี้ is owed, paid or not
  const kind = document.getElementById("note-kind");
  if (!kind.dataset.chosen || kind.selectedOptions[0].disabled) kind.value = "credit-notes";  // what the invoice takes, until the clerk picks
  // money going back out is recorded by an administrator (the API's rule), up to what is owed
  const refund = document.getElementById("refund");
  refund.hidden = !(Number(i.refund_due) > 0 && user.roles.includes("admin"));
  if (!refund.hidden && !refund.amount.value) {
    refund.amount.value = money(i.refund_due, i.currency).split(" ")[0];
    refund.date.value = today();
  }
  // only an administrator voids (the API's rule), and only what nothing was paid on
  document.getElementById("void").hidden = !(open && Number(i.amount_paid) === 0 && user.roles.includes("admin"));
  if (firstView) {  // after a payment the form stays empty: one more click must not pay the rest
    document.getElementById("amount").value = money(i.amount_due, i.currency).split(" ")[0];
    document.getElementById("date").value = today();
    firstView = false;
  }
  document.getElementById("payments-section").hidden = i.status === "draft";
  await payByQr(i, open);
  if (i.status === "draft") document.getElementById("created").textContent = t("Draft saved: nothing has been sent yet.");
  if (i.status === "draft") await preview(i);
  document.getElementById("preview").hidden = i.status !== "draft";
  document.getElementById("pdf").hidden = !i.number;
  document.getElementById("pdf").addEventListener("click", () => openPdf(`/invoices/${id}/pdf`));
}

/** The code a customer at the counter scans to pay what is owed now (PromptPay for THB, VietQR for VND). */
async function payByQr(invoice, open) {
  const section = document.getElementById("pay-by-qr");
  section.hidden = true;
  if (!open || !["THB", "VND"].includes(invoice.currency)) return;
  let code;
  try {
    code = await api("GET", `/invoices/${id}/payment-qr`);
  } catch (error) {
    if (error.problem?.status === 404) return;  // the office has no account in this currency
    throw error;
  }
  const facts = { scheme: code.scheme === "promptpay" ? "PromptPay" : "VietQR", amount: money(invoice.amount_due, invoice.currency) };
  Object.assign(document.getElementById("pay-qr"), { src: code.image, alt: t("{scheme} code for {amount}", facts) });
  document.getElementById("pay-qr-text").textContent = t("A bank app that scans this code fills in {amount} and the invoice number.", facts);
  section.hidden = false;
}

const LANGUAGES = { en: "English", th: "ไทย (Thai)", vi: "Tiếng Việt (Vietnamese)" };

/** A draft shows the PDF the customer will receive, and where it will go, before anything is sent. */
async function preview(invoice) {
  const facts = { name: invoice.customer.name, email: invoice.customer.email };
  const language = LANGUAGES[invoice.customer.language];
  document.getElementById("preview-facts").textContent = language
    ? t("{name} will receive this PDF by email at {email}, in {language}. It takes its number when issued.", { ...facts, language })
    : t("{name} will receive this PDF by email at {email}, in the office's language. It takes its number when issued.", facts);
  const frame = document.getElementById("preview-pdf");
  if (frame.src) return;
  const response = await api("GET", `/invoices/${id}/pdf`, { raw: true });
  frame.src = document.getElementById("preview-open").href = URL.createObjectURL(await response.blob());
}

onSubmit(document.getElementById("preview"), async (_, key) => {
  const issued = await api("POST", `/invoices/${id}/issue`, { idempotencyKey: key });
  return t("Invoice {number} issued; it is on its way to {email}.", { number: issued.number, email: issued.customer.email });
}, render);
document.getElementById("discard").addEventListener("click", async () => {
  await api("DELETE", `/invoices/${id}`);
  location.href = "/portal/invoices.html";
});

async function openPdf(path) {
  const response = await api("GET", path, { raw: true });
  window.open(URL.createObjectURL(await response.blob()), "_blank");
}

document.getElementById("note-kind").addEventListener("change", (event) => (event.target.dataset.chosen = "1"));
document.getElementById("payments").addEventListener("click", (event) => {
  const receipt = event.target.closest("[data-receipt]");
  if (receipt) openPdf(`/invoices/${id}/receipts/${encodeURIComponent(receipt.dataset.receipt)}/pdf`);
});

onSubmit(document.getElementById("pay"), async (data, key) => {
  const paid = await api("POST", `/invoices/${id}/payments`, {
    json: {
      amount: typedAmount(data.get("amount")), date: data.get("date"), method: data.get("method"), reference: data.get("reference") || null,
      withheld: typedAmount(data.get("withheld")) || null, withholding_rate: typedAmount(data.get("withholding_rate")) || null,
      certificate_number: data.get("certificate_number") || null,
    },
    idempotencyKey: key,
  });
  const payment = paid.payments[paid.payments.length - 1];
  const facts = { amount: money(payment.amount, paid.currency), receipt: payment.receipt_number };
  return payment.receipt_number ? t("Payment of {amount} recorded; receipt {receipt} is on its way to the customer.", facts)
    : t("Payment of {amount} recorded.", facts);
}, () => {
  document.getElementById("date").value = today();  // the amount stays empty: one more click must not pay the rest
  return render();
});
document.getElementById("notes").addEventListener("click", (event) => {
  const note = event.target.closest("[data-note]");
  if (note) openPdf(`/invoices/${id}/${note.dataset.note.split("/").map(encodeURIComponent).join("/")}/pdf`);
});
onSubmit(document.getElementById("credit"), async (data, key) => {
  const debit = data.get("kind") === "debit-notes";
  const noted = await api("POST", `/invoices/${id}/${debit ? "debit-notes" : "credit-notes"}`, {
    json: { reason: data.get("reason"), amount: typedAmount(data.get("amount")) || null }, idempotencyKey: key,
  });
  const note = (debit ? noted.debit_notes : noted.credit_notes).at(-1);
  const facts = { number: note.number, amount: money(note.amount, noted.currency) };
  return debit ? t("Debit note {number} of {amount} issued.", facts) : t("Credit note {number} of {amount} issued.", facts);
}, render);
onSubmit(document.getElementById("refund"), async (data, key) => {
  const refunded = await api("POST", `/invoices/${id}/refunds`, {
    json: { amount: typedAmount(data.get("amount")), date: data.get("date"), method: data.get("method"),
      reference: data.get("reference") || null },
    idempotencyKey: key,
  });
  const last = refunded.refunds[refunded.refunds.length - 1];
  return t("Refund of {amount} recorded.", { amount: money(last.amount, refunded.currency) });
}, render);
/** Voiding asks twice: the first submit shows what it means, the second voids. */
function askToVoid(asking) {
  document.getElementById("void-ask").hidden = asking;
  document.getElementById("void-confirm").hidden = !asking;
  if (asking) document.querySelector("#void-confirm button[type=submit]").focus();
}
document.getElementById("void-cancel").addEventListener("click", () => askToVoid(false));
onSubmit(document.getElementById("void"), async (data, key) => {
  if (!data.get("reason").trim()) throw new Error(t("Say why the invoice is voided."));
  if (document.getElementById("void-confirm").hidden) return askToVoid(true);
  const notify = data.get("notify") === "on";
  await api("POST", `/invoices/${id}/void`, { json: { reason: data.get("reason"), notify }, idempotencyKey: key });
  return notify ? t("Invoice voided; the customer is being told by email.") : t("Invoice voided.");
}, render);
render();
