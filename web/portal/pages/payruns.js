// payruns.html
import { api, requireRole, html, status } from "/portal/portal.js";

requireRole("staff", "admin");
const page = await api("GET", "/payruns");
document.getElementById("rows").innerHTML = page.items.map((r) => html`<tr>
    <td data-label="Pay date"><a href="/portal/payrun.html?id=${r.id}">${r.pay_date || r.created_at.slice(0, 10)}</a></td>
    <td data-label="Status">` + status(r.status) + html`</td>
    <td data-label="Cheques" class="amount">${r.cheque_count}</td>
    <td data-label="Total" class="amount">${r.total} ${r.currency || ""}</td>
    <td data-label="Problems">${r.problems.length ? `${r.problems.length} problem(s)` : ""}</td></tr>`).join("")
  || '<tr><td colspan="5" class="muted">No pay runs yet.</td></tr>';
