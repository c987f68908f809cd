// invoice.html
import { api, requireRole, onSubmit, html, status, param, today } from "/portal/portal.js";

requireRole("staff", "admin");
const id = param("id");
document.getElementById("created").hidden = !param("created");

async function render() {
  const i = await api("GET", `/invoices/${encodeURIComponent(id)}`);
  document.title = `${i.number || "Draft"} · Back Office`;
  document.getElementById("title").innerHTML = html`Invoice <span id="number">${i.number || "(draft)"}</span> ` + status(i.status);
  document.getElementById("summary").innerHTML = html`<dl class="facts">
      <dt>Customer</dt><dd id="customer">${i.customer.name}</dd><dt>Email</dt><dd>${i.customer.email}</dd>
      <dt>Issued</dt><dd>${i.issue_date || "—"}</dd><dt>Due</dt><dd>${i.due_date || "—"}</dd>
      <dt>Amount due</dt><dd id="amount-due">${i.amount_due} ${i.currency}</dd></dl>
    <div class="actions"><button type="button" class="secondary" id="pdf">Download PDF</button></div>`;
  document.getElementById("lines").innerHTML = i.lines.map((l) => html`<tr>
      <td data-label="Description">${l.description}</td><td data-label="Qty" class="amount">${l.quantity}</td>
      <td data-label="Unit price" class="amount">${l.unit_price}</td><td data-label="Tax %" class="amount">${l.tax_rate}</td>
      <td data-label="Net" class="amount">${l.line_net}</td></tr>`).join("");
  document.getElementById("totals").innerHTML = html`
    <div><span>Subtotal</span><span>${i.subtotal} ${i.currency}</span></div>
    <div><span>Tax</span><span id="tax-total">${i.tax_total} ${i.currency}</span></div>
    <div class="grand"><span>Total</span><span id="total">${i.total} ${i.currency}</span></div>`;
  document.getElementById("payments").innerHTML = i.payments.map((p) =>
    html`<li>${p.date}: ${p.amount} ${i.currency} (${p.method.replace("_", " ")}${p.reference ? `, ${p.reference}` : ""})${
      Number(p.withheld) ? ` and ${p.withheld} ${i.currency} tax withheld${p.certificate_number ? `, certificate ${p.certificate_number}` : ", certificate to collect"}` : ""}` +
    (p.receipt_number ? html` — receipt <button type="button" class="link" data-receipt="${p.receipt_number}">${p.receipt_number}</button>` : "") +
    "</li>").join("")
    || '<li class="muted">None yet.</li>';
  const notes = [...i.credit_notes.map((n) => ["credit-notes", "Credit note", n]), ...i.debit_notes.map((n) => ["debit-notes", "Debit note", n])];
  document.getElementById("notes-section").hidden = !notes.length;
  document.getElementById("notes").innerHTML = notes.map(([kind, name, n]) =>
    html`<li>${n.date}: ${name} <button type="button" class="link" data-note="${kind}/${n.number}">${n.number}</button>, ${n.amount} ${i.currency} (${n.reason})</li>`).join("");
  const open = ["issued", "partially_paid", "overdue"].includes(i.status);
  document.getElementById("pay").hidden = !open;
  document.getElementById("credit").hidden = !(open || i.status === "paid");
  document.querySelector("#note-kind option[value='credit-notes']").disabled = !open;
  if (!open) document.getElementById("note-kind").value = "debit-notes";
  document.getElementById("void").hidden = !(open && Number(i.amount_paid) === 0);
  document.getElementById("amount").value = i.amount_due;
  document.getElementById("date").value = today();
  document.getElementById("pdf").hidden = !i.number;
  document.getElementById("pdf").addEventListener("click", () => openPdf(`/invoices/${id}/pdf`));
}

async function openPdf(path) {
  const response = await api("GET", path, { raw: true });
  window.open(URL.createObjectURL(await response.blob()), "_blank");
}

document.getElementById("payments").addEventListener("click", (event) => {
  const receipt = event.target.closest("[data-receipt]");
  if (receipt) openPdf(`/invoices/${id}/receipts/${encodeURIComponent(receipt.dataset.receipt)}/pdf`);
});

onSubmit(document.getElementById("pay"), async (data, key) => {
  await api("POST", `/invoices/${id}/payments`, {
    json: {
      amount: data.get("amount"), date: data.get("date"), method: data.get("method"), reference: data.get("reference") || null,
      withheld: data.get("withheld") || null, withholding_rate: data.get("withholding_rate") || null,
      certificate_number: data.get("certificate_number") || null,
    },
    idempotencyKey: key,
  });
  await render();
});
document.getElementById("notes").addEventListener("click", (event) => {
  const note = event.target.closest("[data-note]");
  if (note) openPdf(`/invoices/${id}/${note.dataset.note.split("/").map(encodeURIComponent).join("/")}/pdf`);
});
onSubmit(document.getElementById("credit"), async (data, key) => {
  await api("POST", `/invoices/${id}/${data.get("kind") === "debit-notes" ? "debit-notes" : "credit-notes"}`, {
    json: { reason: data.get("reason"), amount: data.get("amount") || null }, idempotencyKey: key,
  });
  await render();
});
onSubmit(document.getElementById("void"), async (data, key) => {
  await api("POST", `/invoices/${id}/void`, { json: { reason: data.get("reason") }, idempotencyKey: key });
  await render();
});
render();
