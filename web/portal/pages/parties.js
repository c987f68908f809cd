// parties.html: the directory of customers and vendors
import { api, requireRole, onSubmit, html, t } from "/portal/portal.js";

requireRole("staff", "admin");
const filters = document.getElementById("filters");
const rows = document.getElementById("rows");
const KINDS = { customer: t("customer"), vendor: t("vendor"), both: t("customer and vendor") };

function done(message) {
  Object.assign(document.getElementById("done"), { hidden: false, textContent: message });
}

async function load() {
  const query = new URLSearchParams();
  if (filters.q.value.trim()) query.set("q", filters.q.value.trim());
  if (filters.kind.value) query.set("kind", filters.kind.value);
  const parties = await api("GET", `/parties?${query}`);
  rows.innerHTML = parties.map((p) => html`<tr data-id="${p.id}">
      <td data-label="${t("Name")}" class="text">${p.name}</td>
      <td data-label="${t("Kind")}">${KINDS[p.kind] || p.kind}</td>
      <td data-label="${t("Tax id")}">${p.tax_id || "—"}${p.branch ? ` (${p.branch})` : ""}</td>
      <td data-label="${t("Email")}" class="text">${p.email || "—"}</td>
      <td data-label="${t("Actions")}"><button type="button" class="secondary" data-action="archive">${t("Archive")}</button></td>
    </tr>`).join("") || html`<tr><td colspan="5" class="muted">${t("No one here yet.")}</td></tr>`;
}

rows.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-action='archive']");
  if (!button) return;
  await api("PATCH", `/parties/${encodeURIComponent(button.closest("tr").dataset.id)}`, { json: { archived: true } });
  done(t("Archived: kept for the records that name it, offered no more."));
  await load();
});

onSubmit(document.getElementById("add"), async (data, key) => {
  const body = { kind: data.get("kind") };
  for (const field of ["name", "tax_id", "branch", "email", "payment_terms_days"]) {
    const value = data.get(field).trim();
    if (value) body[field] = field === "payment_terms_days" ? Number(value) : value;
  }
  await api("POST", "/parties", { json: body, idempotencyKey: key });
  document.getElementById("add").reset();
  done(t("Added to the directory."));
  await load();
});

onSubmit(document.getElementById("import"), async (data, key) => {
  const file = data.get("file");
  if (!file || !file.size) throw new Error(t("Choose the CSV file."));
  const added = await api("POST", "/parties/import", { body: file, contentType: "text/csv", idempotencyKey: key });
  document.getElementById("import").reset();
  done(t("{count} added to the directory.", { count: added.length }));
  await load();
});

filters.addEventListener("submit", (event) => { event.preventDefault(); load(); });
load();
