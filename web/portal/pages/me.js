// me.html
import { api, requireRole, html, status, t, money } from "/portal/portal.js";

requireRole("employee");
async function render() {
  const page = await api("GET", "/me/cheques");
  const rows = document.getElementById("rows");
  const ready = page.items.some((c) => c.status === "ready");
  Object.assign(document.getElementById("pickup"), {
    hidden: !ready, textContent: t("A cheque is ready: collect it at {place}. Bring photo ID.", { place: page.pickup }),
  });
  rows.innerHTML = page.items.map((c) => html`<tr>
      <td data-label="${t("Pay date")}">${c.pay_date}</td><td data-label="${t("Cheque")}">#${c.cheque_number}</td>
      <td data-label="${t("Amount")}" class="amount">${money(c.amount, c.currency)}</td><td data-label="${t("Status")}">` + status(c.status) + `</td>
      <td>` + (["ready", "mailed"].includes(c.status) ? html`<button type="button" data-id="${c.id}">${t("I have it")}</button>` : "") + `</td></tr>`).join("")
    || html`<tr><td colspan="5" class="muted">${t("No cheques.")}</td></tr>`;
  rows.querySelectorAll("button[data-id]").forEach((button) => button.addEventListener("click", async () => {
    button.disabled = true;
    try { await api("POST", `/me/cheques/${button.dataset.id}/acknowledge`); await render(); }
    catch (error) { const box = document.getElementById("alert"); box.hidden = false; box.textContent = error.message; }
  }));
}
render();
