// payruns.html
import { api, requireRole, html, status, t, money } from "/portal/portal.js";

requireRole("staff", "admin");
const page = await api("GET", "/payruns");
document.getElementById("rows").innerHTML = page.items.map((r) => html`<tr>
    <td data-label="${t("Pay date")}"><a href="/portal/payrun.html?id=${r.id}">${r.pay_date || r.created_at.slice(0, 10)}</a></td>
    <td data-label="${t("Status")}">` + status(r.status) + html`</td>
    <td data-label="${t("Cheques")}" class="amount">${r.cheque_count}</td>
    <td data-label="${t("Total")}" class="amount">${r.currency ? money(r.total, r.currency) : r.total}</td>
    <td data-label="${t("Problems")}">${r.problems.length ? t("{count} problem(s)", { count: r.problems.length }) : ""}</td></tr>`).join("")
  || html`<tr><td colspan="5" class="muted">${t("No pay runs yet.")}</td></tr>`;
