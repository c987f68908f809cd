// obligations.html
import { api, requireRole, onSubmit, html, status, param, config, t, chosenRule } from "/portal/portal.js";

requireRole("staff", "admin");
const filters = document.getElementById("filters");
const form = document.getElementById("create");
filters.status.value = param("status") || "";

async function load() {
  const query = new URLSearchParams({ limit: "100" });
  if (filters.status.value) query.set("status", filters.status.value);
  const page = await api("GET", `/obligations?${query}`);
  document.getElementById("rows").innerHTML = page.items.map((o) => html`<tr>
      <td data-label="${t("Due")}">${o.effective_due_date}</td>
      <td data-label="${t("Obligation")}"><a href="/portal/obligation.html?id=${o.id}">${o.title}</a></td>
      <td data-label="${t("Where")}" class="text">${o.jurisdiction || "—"}</td><td data-label="${t("Status")}">` + status(o.status) + html`</td>
      <td data-label="${t("Owner")}" class="text">${o.owner_email}</td></tr>`).join("") || html`<tr><td colspan="5" class="muted">${t("Nothing here.")}</td></tr>`;
}
filters.addEventListener("submit", (e) => { e.preventDefault(); load(); });
document.getElementById("feed").addEventListener("click", async () => {
  const link = await api("POST", "/obligations/calendar-tokens");
  const box = document.getElementById("feed-link");
  const url = new URL(config.api + link.url, location.href).href;
  box.hidden = false;
  box.innerHTML = html`${t("Subscribe in your calendar app:")} <a href="${url}">${url}</a> ${t("(keep it private; it can be revoked)")}`;
});
onSubmit(form, async (data) => {
  const body = Object.fromEntries([...data.entries()].filter(([k, v]) => String(v).trim() !== "" && !["every", "day"].includes(k)));
  const recurrence = chosenRule(data);
  if (recurrence) body.recurrence = recurrence;
  body.remind_days_before = (data.get("remind_days_before") || "").split(/[ ,]+/).filter(Boolean).map(Number);
  const created = await api("POST", "/obligations", { json: body });
  location.href = `/portal/obligation.html?id=${created.id}&created=1`;
});
load();
