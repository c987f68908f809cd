// obligation.html
import { api, requireRole, onSubmit, html, status, param, today, uploadDocument, registered, t, when, who, repeats, showRule, chosenRule } from "/portal/portal.js";

requireRole("staff", "admin");
const id = param("id");
if (param("created")) Object.assign(document.getElementById("notice"), { hidden: false, textContent: t("Obligation added.") });

const HAPPENED = {
  created: t("added"), imported: t("imported"), archived: t("archived"), completed: t("recorded as done"),
  occurrence_created: t("next occurrence added"), reminder_sent: t("reminder sent"),
};

async function render() {
  const o = await api("GET", `/obligations/${id}`);
  document.getElementById("title").innerHTML = html`${o.title} ` + status(o.status);
  document.getElementById("summary").innerHTML = html`<dl class="facts">
    <dt>${t("Due")}</dt><dd>${o.effective_due_date}${o.effective_due_date !== o.due_date ? ` ${t("(moved from {date})", { date: o.due_date })}` : ""}</dd>
    <dt>${t("Where")}</dt><dd>${o.jurisdiction || "—"}</dd><dt>${t("Repeats")}</dt><dd id="repeats">${repeats(o.recurrence)}</dd>
    <dt>${t("Reminders")}</dt><dd>${t("{days} days before", { days: o.remind_days_before.join(", ") })}</dd><dt>${t("Owner")}</dt><dd>${o.owner_email}</dd>
    <dt>${t("Completed")}</dt><dd>${o.completed_on || "—"}${o.evidence_document_id ? ` ${t("(evidence filed)")}` : ""}</dd></dl>` +
    (o.next_id ? html`<p><a href="/portal/obligation.html?id=${o.next_id}">${t("The next occurrence")}</a></p>` : "");
  const open = ["upcoming", "due_soon", "overdue"].includes(o.status);
  const complete = document.getElementById("complete");
  const edit = document.getElementById("edit");
  complete.hidden = edit.hidden = !open;
  complete.completed_on.value = today();
  edit.due_date.value = o.due_date;
  edit.owner_email.value = o.owner_email;
  showRule(edit, o.recurrence);
  const history = await api("GET", `/obligations/${id}/history`);
  document.getElementById("history").innerHTML = history.entries.map((h) =>
    html`<li>${when(h.at)} — ${t("{what} by {who}", { what: HAPPENED[h.kind] || h.kind, who: who(h.by, h.by_name) })}</li>`).join("");
}

onSubmit(document.getElementById("complete"), async (data) => {
  let evidence = null;
  const file = data.get("evidence");
  const state = document.getElementById("evidence-state");
  if (file && file.size) {
    state.textContent = t("Uploading the evidence…");
    const key = await uploadDocument(file, null, (done) => (state.textContent = `${t("Uploading the evidence…")} ${Math.round(done * 100)}%`));
    state.textContent = t("Filing the evidence…");
    const document_ = await registered(key);
    if (document_.status === "quarantined") throw new Error(t("the evidence was quarantined: {reason}", { reason: document_.reason }));
    evidence = document_.duplicate_of || document_.id;
    state.textContent = t("Evidence filed.");
  }
  await api("POST", `/obligations/${id}/complete`, {
    json: { completed_on: data.get("completed_on"), evidence_document_id: evidence, note: data.get("note") || null },
  });
  Object.assign(document.getElementById("notice"), { hidden: false, textContent: t("Recorded as done.") });
  await render();
});
onSubmit(document.getElementById("edit"), async (data) => {
  const patch = { recurrence: chosenRule(data) };
  for (const name of ["due_date", "owner_email"]) if (data.get(name).trim()) patch[name] = data.get(name).trim();
  await api("PATCH", `/obligations/${id}`, { json: patch });
  await render();
});
render();
