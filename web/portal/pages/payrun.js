// payrun.html
import { api, requireRole, onSubmit, html, status, param, download, t, money, when, who } from "/portal/portal.js";

requireRole("staff", "admin");
const id = param("id");
const alertBox = document.getElementById("alert");
const COLUMNS = [["ready", t("Ready for pickup")], ["mailed", t("Mailed")], ["handed_over", t("Handed over")], ["stale", t("Stale")],
  ["unmatched", t("Unmatched")], ["received", t("Received")], ["void", t("Void")], ["cashed", t("Cashed")]];

function fail(error) {
  alertBox.hidden = false;
  alertBox.textContent = error.message;
  alertBox.focus();
}

// why intake trusted a register or not (the fixed reasons intake records, in English)
const REASONS = {
  "the sender is not a payroll provider": t("the sender is not a payroll provider"),
  "the sender's domain did not vouch for it (SPF, DKIM and DMARC must pass)": t("the sender's domain did not vouch for it (SPF, DKIM and DMARC must pass)"),
  "a payroll provider on the allow-list; SPF, DKIM and DMARC passed": t("a payroll provider on the allow-list; SPF, DKIM and DMARC passed"),
  "a staff member's upload": t("a staff member's upload"),
  "put into the bucket by the office": t("put into the bucket by the office"),
  "put by a principal not named in RegisterUploaders": t("put by an account the office has not named as a register uploader"),
  "released from quarantine by an admin": t("released from quarantine by an administrator"),
};

/** The sender of a register as a person reads it: an email address, an AWS account's role, or a colleague. */
function sender(by) {
  const [door, ...rest] = by.split(":");
  const id = rest.join(":");
  if (door === "mail") return id;
  if (door === "s3") return id && id !== "unknown" ? id.split("/").pop() : t("someone with access to the inbox");
  return who(by);
}

/** Who put the register in, by which door, in words. */
function origin(provenance) {
  if (!provenance) return t("unknown");
  const facts = { by: sender(provenance.by), reason: REASONS[provenance.reason] || provenance.reason };
  const door = { portal: t("uploaded in the portal by {by} — {reason}", facts), s3: t("put into the inbox by {by} — {reason}", facts),
    email: t("emailed by {by} — {reason}", facts), released: t("released from quarantine by {by} — {reason}", facts) };
  return door[provenance.source] || `${facts.by} — ${facts.reason}`;
}

/** Receiving releases the cheques: first show where the register came from, then confirm. */
function confirmReceipt(button, run) {
  const panel = document.createElement("div");
  panel.className = "card";
  panel.setAttribute("role", "group");
  const bundle = { count: run.cheque_count, total: money(run.reconciliation.control_total, run.currency || "").trim() };
  panel.innerHTML = html`<p>${t("This register was {origin}.", { origin: origin(run.provenance) })}</p>
    <p>${t("{count} cheques, {total}. Confirm only if the printed bundle in front of you matches.", bundle)}</p>
    <div class="actions"><button type="button" class="confirm">${t("Confirm the bundle arrived")}</button>
    <button type="button" class="secondary cancel">${t("Cancel")}</button></div>`;
  button.closest(".actions").replaceWith(panel);
  panel.querySelector(".confirm").focus();
  panel.querySelector(".cancel").addEventListener("click", () => render().catch(fail));
  const key = crypto.randomUUID();  // one act: a second confirmation after a lost answer is the same one
  panel.querySelector(".confirm").addEventListener("click", async (e) => {
    e.target.disabled = true;
    try { await api("POST", `/payruns/${id}/receive`, { idempotencyKey: key }); await render(); } catch (error) { fail(error); e.target.disabled = false; }
  });
}

async function render() {
  const [run, cheques] = await Promise.all([api("GET", `/payruns/${id}`), api("GET", `/cheques?payrun=${id}`)]);
  document.getElementById("title").innerHTML = html`${t("Pay run")} ${run.pay_date || ""} ` + status(run.status);
  const balanced = run.reconciliation.balanced ? t("balanced") : t("NOT balanced");
  document.getElementById("summary").innerHTML = html`<dl class="facts">
      <dt>${t("Cheques")}</dt><dd>${run.cheque_count}</dd><dt>${t("Control total")}</dt><dd>${money(run.reconciliation.control_total, run.currency || "").trim()} (${balanced})</dd>
      <dt>${t("Account")}</dt><dd>${run.account_number || "—"}</dd>
      <dt>${t("Came from")}</dt><dd id="provenance">${origin(run.provenance)}</dd></dl>
    <div class="actions">` + (run.status === "imported" ? html`<button type="button" id="receive">${t("The printed cheques arrived")}</button>` : "") +
    html`<button type="button" class="secondary" id="positive-pay">${t("Positive Pay file")}</button></div>`;
  document.getElementById("receive")?.addEventListener("click", (e) => confirmReceipt(e.target, run));
  document.getElementById("positive-pay").addEventListener("click", () =>
    download(`/payruns/${id}/positive-pay`, `positive-pay-${id.slice(0, 12)}.csv`));
  const board = document.getElementById("board");
  board.innerHTML = COLUMNS.filter(([key]) => cheques.items.some((c) => c.status === key)).map(([key, title]) =>
    `<section><h2>${title}</h2><ul>` + cheques.items.filter((c) => c.status === key).map((c) => html`<li data-id="${c.id}" data-name="${c.employee_name}" data-number="${c.cheque_number}">
      <strong>${c.employee_name}</strong> <span class="muted">#${c.cheque_number}</span><br>${money(c.amount, c.currency)}` +
      handedOver(c) +
      (["ready", "mailed", "stale"].includes(key) ? '<div class="actions">' +
        (key === "stale" ? "" : html`<button type="button" class="handover">${t("Hand over")}</button>`) +
        html`<button type="button" class="secondary void">${t("Void…")}</button></div>` : "") + `</li>`).join("") + "</ul></section>").join("");
  for (const item of board.querySelectorAll("li[data-id]")) wire(item);
}

/** Who took a handed-over cheque, and when (from its history). */
function handedOver(cheque) {
  if (cheque.status !== "handed_over") return "";
  const step = [...cheque.history].reverse().find((s) => s.status === "handed_over");
  if (!step) return "";
  const facts = { who: step.detail.received_by || step.by, when: when(step.at) };
  return html`<br><span class="muted taken">${t("Taken by {who} on {when}", facts)}</span>`;
}

function wire(item) {
  const cheque = item.dataset.id;
  item.querySelector(".handover")?.addEventListener("click", (e) => {
    // the second click: confirm who took it
    const form = document.createElement("form");
    form.innerHTML = html`<p class="form-alert" role="alert" tabindex="-1" hidden></p><label>${t("Received by")}<input name="received_by" value="${item.dataset.name}" required></label>
      <label>${t("Checked with")}<select name="method"><option value="photo_id">${t("Photo ID")}</option><option value="known_to_staff">${t("Known to staff")}</option></select></label>
      <div class="actions"><button type="submit">${t("Confirm hand-over")}</button>
      <button type="button" class="secondary cancel">${t("Cancel")}</button></div>`;
    e.target.closest(".actions").replaceWith(form);
    form.querySelector("button").focus();
    form.querySelector(".cancel").addEventListener("click", () => render().catch(fail));
    onSubmit(form, async (data, key) => {
      await api("POST", `/cheques/${cheque}/handover`, { json: { received_by: data.get("received_by"), method: data.get("method") }, idempotencyKey: key });
      return t("Cheque #{number} handed over to {who}.", { number: item.dataset.number, who: data.get("received_by") });
    }, render);
  });
  item.querySelector(".void")?.addEventListener("click", (e) => {
    const form = document.createElement("form");
    form.innerHTML = html`<p class="form-alert" role="alert" tabindex="-1" hidden></p><label>${t("Why void it")}<input name="reason" required minlength="3"></label>
      <label>${t("New cheque number (to reissue)")}<input name="new_cheque_number" inputmode="numeric"></label>
      <div class="actions"><button type="submit" class="danger">${t("Void")}</button></div>`;
    e.target.closest(".actions").replaceWith(form);
    form.reason.focus();
    onSubmit(form, async (data, key) => {
      const number = data.get("new_cheque_number").trim();
      const reason = data.get("reason");
      if (number) await api("POST", `/cheques/${cheque}/reissue`, { json: { new_cheque_number: number, reason }, idempotencyKey: key });
      else await api("POST", `/cheques/${cheque}/void`, { json: { reason }, idempotencyKey: key });
      return number ? t("Cheque #{number} voided; #{new} replaces it.", { number: item.dataset.number, new: number })
        : t("Cheque #{number} voided.", { number: item.dataset.number });
    }, render);
  });
}
render().catch(fail);
