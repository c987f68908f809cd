// payrun.html
import { api, requireRole, html, status, param, download } from "/portal/portal.js";

requireRole("staff", "admin");
const id = param("id");
const alertBox = document.getElementById("alert");
const COLUMNS = [["ready", "Ready for pickup"], ["mailed", "Mailed"], ["handed_over", "Handed over"], ["stale", "Stale"],
  ["unmatched", "Unmatched"], ["received", "Received"], ["void", "Void"], ["cashed", "Cashed"]];

function fail(error) {
  alertBox.hidden = false;
  alertBox.textContent = error.message;
  alertBox.focus();
}

/** Who put the register in, by which door, in words. */
function origin(provenance) {
  if (!provenance) return "unknown";
  const door = { portal: "uploaded in the portal by", s3: "put into the inbox by", email: "emailed by",
    released: "released from quarantine by" }[provenance.source] || provenance.source;
  return `${door} ${provenance.by} — ${provenance.reason}`;
}

/** Receiving releases the cheques: first show where the register came from, then confirm. */
function confirmReceipt(button, run) {
  const panel = document.createElement("div");
  panel.className = "card";
  panel.setAttribute("role", "group");
  panel.innerHTML = html`<p>This register was ${origin(run.provenance)}.</p>
    <p>${run.cheque_count} cheques, ${run.reconciliation.control_total} ${run.currency || ""}. Confirm only if the printed
    bundle in front of you matches.</p>
    <div class="actions"><button type="button" class="confirm">Confirm the bundle arrived</button>
    <button type="button" class="secondary cancel">Cancel</button></div>`;
  button.closest(".actions").replaceWith(panel);
  panel.querySelector(".confirm").focus();
  panel.querySelector(".cancel").addEventListener("click", () => render().catch(fail));
  panel.querySelector(".confirm").addEventListener("click", async (e) => {
    e.target.disabled = true;
    try { await api("POST", `/payruns/${id}/receive`); await render(); } catch (error) { fail(error); e.target.disabled = false; }
  });
}

async function render() {
  const [run, cheques] = await Promise.all([api("GET", `/payruns/${id}`), api("GET", `/cheques?payrun=${id}`)]);
  document.getElementById("title").innerHTML = html`Pay run ${run.pay_date || ""} ` + status(run.status);
  const balanced = run.reconciliation.balanced ? "balanced" : "NOT balanced";
  document.getElementById("summary").innerHTML = html`<dl class="facts">
      <dt>Cheques</dt><dd>${run.cheque_count}</dd><dt>Control total</dt><dd>${run.reconciliation.control_total} (${balanced})</dd>
      <dt>Account</dt><dd>${run.account_number || "—"}</dd>
      <dt>Came from</dt><dd id="provenance">${origin(run.provenance)}</dd></dl>
    <div class="actions">` + (run.status === "imported" ? '<button type="button" id="receive">The printed cheques arrived</button>' : "") +
    '<button type="button" class="secondary" id="positive-pay">Positive Pay file</button></div>';
  document.getElementById("receive")?.addEventListener("click", (e) => confirmReceipt(e.target, run));
  document.getElementById("positive-pay").addEventListener("click", () =>
    download(`/payruns/${id}/positive-pay`, `positive-pay-${id.slice(0, 12)}.csv`));
  const board = document.getElementById("board");
  board.innerHTML = COLUMNS.filter(([key]) => cheques.items.some((c) => c.status === key)).map(([key, title]) =>
    `<section><h2>${title}</h2><ul>` + cheques.items.filter((c) => c.status === key).map((c) => html`<li data-id="${c.id}" data-name="${c.employee_name}">
      <strong>${c.employee_name}</strong> <span class="muted">#${c.cheque_number}</span><br>${c.amount} ${c.currency}` +
      (["ready", "mailed", "stale"].includes(key) ? '<div class="actions">' +
        (key === "stale" ? "" : '<button type="button" class="handover">Hand over</button>') +
        '<button type="button" class="secondary void">Void…</button></div>' : "") + `</li>`).join("") + "</ul></section>").join("");
  for (const item of board.querySelectorAll("li[data-id]")) wire(item);
}

function wire(item) {
  const cheque = item.dataset.id;
  item.querySelector(".handover")?.addEventListener("click", (e) => {
    // the second click: confirm who took it
    const form = document.createElement("form");
    form.innerHTML = html`<label>Received by<input name="received_by" value="${item.dataset.name}" required></label>
      <label>Checked with<select name="method"><option value="photo_id">Photo ID</option><option value="known_to_staff">Known to staff</option></select></label>
      <div class="actions"><button type="submit">Confirm hand-over</button></div>`;
    e.target.closest(".actions").replaceWith(form);
    form.querySelector("button").focus();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      form.querySelector("button").disabled = true;
      try {
        await api("POST", `/cheques/${cheque}/handover`, { json: { received_by: form.received_by.value, method: form.method.value } });
        await render();
      } catch (error) { fail(error); form.querySelector("button").disabled = false; }
    });
  });
  item.querySelector(".void")?.addEventListener("click", (e) => {
    const form = document.createElement("form");
    form.innerHTML = `<label>Why void it<input name="reason" required minlength="3"></label>
      <label>New cheque number (to reissue)<input name="new_cheque_number" inputmode="numeric"></label>
      <div class="actions"><button type="submit" class="danger">Void</button></div>`;
    e.target.closest(".actions").replaceWith(form);
    form.reason.focus();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const number = form.new_cheque_number.value.trim();
        if (number) await api("POST", `/cheques/${cheque}/reissue`, { json: { new_cheque_number: number, reason: form.reason.value } });
        else await api("POST", `/cheques/${cheque}/void`, { json: { reason: form.reason.value } });
        await render();
      } catch (error) { fail(error); }
    });
  });
}
render().catch(fail);
