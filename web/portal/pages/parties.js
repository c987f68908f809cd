// parties.html: the directory of customers and vendors, and the bank accounts waiting for a second administrator
import { api, requireRole, onSubmit, done, html, t, when, who } from "/portal/portal.js";

const user = requireRole("staff", "admin");
const admin = user.roles.includes("admin");
const filters = document.getElementById("filters");
const rows = document.getElementById("rows");
const KINDS = { customer: t("customer"), vendor: t("vendor"), both: t("customer and vendor") };

/** An account as the last four of its letters and digits ("•••• 7890"); enough to tell two apart. */
function lastFour(account) {
  const plain = String(account || "").replace(/[^0-9a-z]/gi, "");
  return plain ? `•••• ${plain.slice(-4)}` : t("none");
}

/** A vendor's asked-for bank account: who asked, the old and the new, and for an administrator the decision. */
function pending(p) {
  const change = p.pending;
  const facts = { who: who(change.requested_by, change.requested_by_name), when: when(change.requested_at),
    old: lastFour(p.bank_account), new: lastFour(change.bank_account) };
  return html`<tr class="pending" data-id="${p.id}"><td colspan="5" class="text">
      <p>${t("{who} asked on {when} to pay {name} into another bank account: {old} becomes {new}. Nothing is paid to it until a second administrator approves.", { ...facts, name: p.name })}</p>` +
    (admin ? html`<form class="approve" novalidate><p class="form-alert" role="alert" tabindex="-1" hidden></p>
        <button type="submit">${t("Approve the new account")}</button></form>
      <form class="reject" novalidate><p class="form-alert" role="alert" tabindex="-1" hidden></p>
        <label for="why-${p.id}">${t("Why refuse it")}</label><input id="why-${p.id}" name="reason" required minlength="3">
        <button type="submit" class="secondary">${t("Reject the new account")}</button></form>`
      : html`<p class="muted">${t("An administrator decides.")}</p>`) + "</td></tr>";
}

let asking = 0;  // the newest search: an older one that answers later is not shown over it

async function load() {
  const query = new URLSearchParams();
  if (filters.q.value.trim()) query.set("q", filters.q.value.trim());
  if (filters.kind.value) query.set("kind", filters.kind.value);
  const mine = ++asking;
  const parties = await api("GET", `/parties?${query}`);
  if (mine !== asking) return;
  rows.innerHTML = parties.map((p) => html`<tr data-id="${p.id}">
      <td data-label="${t("Name")}" class="text">${p.name}</td>
      <td data-label="${t("Kind")}">${KINDS[p.kind] || p.kind}</td>
      <td data-label="${t("Tax id")}">${p.tax_id || "—"}${p.branch ? ` (${p.branch})` : ""}</td>
      <td data-label="${t("Email")}" class="text">${p.email || "—"}</td>
      <td data-label="${t("Actions")}"><button type="button" class="secondary" data-action="archive">${t("Archive")}</button></td>
    </tr>` + (p.pending ? pending(p) : "")).join("") || html`<tr><td colspan="5" class="muted">${t("No one here yet.")}</td></tr>`;
  for (const form of rows.querySelectorAll("tr.pending form")) {
    const party = encodeURIComponent(form.closest("tr").dataset.id);
    const approving = form.classList.contains("approve");
    onSubmit(form, async (data, key) => {
      const decided = await api("POST", `/parties/${party}/bank-account/${approving ? "approve" : "reject"}`,
        { json: approving ? undefined : { reason: data.get("reason") }, idempotencyKey: key });
      return approving ? t("{name} is paid into {account} from now on.", { name: decided.name, account: lastFour(decided.bank_account) })
        : t("The new account of {name} is refused; {account} stays in force.", { name: decided.name, account: lastFour(decided.bank_account) });
    }, load);
  }
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
  return t("Added to the directory.");
}, load);

onSubmit(document.getElementById("import"), async (data, key) => {
  const file = data.get("file");
  if (!file || !file.size) throw new Error(t("Choose the CSV file."));
  const added = await api("POST", "/parties/import", { body: file, contentType: "text/csv", idempotencyKey: key });
  return t("{count} added to the directory.", { count: added.length });
}, load);

// a search survives a reload (the language menu reloads the page) and can be linked to
const asked = new URLSearchParams(location.search);
filters.q.value = asked.get("q") || "";
filters.kind.value = asked.get("kind") || "";
filters.addEventListener("submit", (event) => { event.preventDefault(); load(); });
load();
