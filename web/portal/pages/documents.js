// documents.html
import { api, requireRole, html, status, param, uploadDocument, registered, showProblem, t, when } from "/portal/portal.js";

requireRole("staff", "admin");
const form = document.getElementById("upload");
const filters = document.getElementById("filters");
const rows = document.getElementById("rows");
const progress = document.getElementById("progress");
filters.status.value = param("status") || "";
const types = document.getElementById("types").innerHTML;
const typeName = (type) => document.querySelector(`#types option[value="${type}"]`)?.textContent || type.replace(/_/g, " ");

async function load() {
  const query = new URLSearchParams({ limit: "100" });
  if (filters.status.value) query.set("status", filters.status.value);
  const page = await api("GET", `/documents?${query}`);
  rows.innerHTML = page.items.map((d) => html`<tr data-id="${d.id}" data-type="${d.type}">
      <td data-label="${t("Name")}"><a href="#" class="open">${d.original_name}</a></td>
      <td data-label="${t("Type")}">${typeName(d.type)}</td>
      <td data-label="${t("Status")}">` + status(d.status) + html`${d.reason ? ` — ${d.reason}` : ""}</td>
      <td data-label="${t("Uploaded")}">${when(d.uploaded_at)}</td>
      <td data-label="${t("Actions")}"><form class="reclassify"><select name="type" aria-label="${t("New type")}">` + types + html`</select>
        <button type="submit" class="secondary">${t("Reclassify")}</button>` +
        (d.releasable ? html`<button type="button" class="secondary release">${t("Release")}</button>` : "") +
      `</form><p class="field-error" role="alert" hidden></p></td></tr>`).join("") || html`<tr><td colspan="5" class="muted">${t("No documents.")}</td></tr>`;
  for (const row of rows.querySelectorAll("tr[data-id]")) {
    const id = row.dataset.id;
    const action = row.querySelector("form");
    action.type.value = row.dataset.type;
    row.querySelector(".open").addEventListener("click", async (e) => {
      e.preventDefault();
      const document_ = await api("GET", `/documents/${id}`);
      if (document_.download_url) window.open(document_.download_url, "_blank");
    });
    const problem = row.querySelector(".field-error");
    const attempt = async (path) => {
      try { await api("POST", path, { json: { type: action.type.value } }); await load(); }
      catch (error) { Object.assign(problem, { hidden: false, textContent: error.message }); }
    };
    action.addEventListener("submit", (e) => { e.preventDefault(); attempt(`/documents/${id}/reclassify`); });
    row.querySelector(".release")?.addEventListener("click", () => attempt(`/documents/${id}/release`));
  }
}

async function send(files) {
  for (const file of files) {
    const line = document.createElement("div");
    line.className = "upload-row";
    line.innerHTML = html`<span>${file.name} <span class="muted state">${t("uploading")}</span></span><progress max="1" value="0" aria-label="${file.name}"></progress>`;
    progress.append(line);
    const bar = line.querySelector("progress");
    const state = line.querySelector(".state");
    uploadDocument(file, form.document_type.value, (done) => (bar.value = done))
      .then(async (key) => {
        bar.value = 1;
        state.textContent = t("uploaded, filing…");
        const doc = await registered(key);
        state.innerHTML = status(doc.status) + html`${doc.reason ? ` — ${doc.reason}` : ` ${t("as {type}", { type: typeName(doc.type) })}`}`;
        await load();
      })
      .catch((error) => { state.textContent = error.message; showProblem(form, error); });
  }
}
const zone = document.getElementById("dropzone");
zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
zone.addEventListener("dragleave", () => zone.classList.remove("over"));
zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); send([...e.dataTransfer.files]); });
form.files.addEventListener("change", () => { send([...form.files.files]); form.files.value = ""; });
filters.addEventListener("submit", (e) => { e.preventDefault(); load(); });
load();
