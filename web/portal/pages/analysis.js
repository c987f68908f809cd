// analysis.html
import { api, requireRole, html, param, download, t } from "/portal/portal.js";

requireRole("staff", "admin");
const form = document.getElementById("pick");
form.month.value = param("month") || new Date().toISOString().slice(0, 7);

function cell(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return Object.entries(value).map(([k, v]) => `${k} ${cell(v)}`).join(", ") || "—";
  return String(value);
}
function rows(report) {
  const names = [];
  const walk = (prefix, object) => Object.entries(object).forEach(([key, value]) => {
    if (key === "month") return;
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object" && ["intake", "invoicing", "payroll", "compliance"].includes(key)) walk(name, value);
    else if (!names.includes(name)) names.push(name);
  });
  report.figures.forEach((month) => walk("", month));
  const pick = (month, name) => name.split(".").reduce((v, k) => (v == null ? v : v[k]), month);
  const { sections = {}, figures = {} } = report.labels || {};
  const label = (name) => figures[name.split(".").pop()] || name.split(".").pop().replace(/_/g, " ");
  let section = null;
  const heading = (name) => {  // a row naming the section where a new one starts
    const [key] = name.split(".");
    if (key === section || !sections[key]) return "";
    section = key;
    return html`<tr class="section"><th scope="rowgroup" colspan="${report.months.length + 1}">${sections[key]}</th></tr>`;
  };
  return html`<thead><tr><th>${t("Figure")}</th>` + report.months.map((m) => html`<th class="amount">${m}</th>`).join("") + "</tr></thead><tbody>" +
    names.map((name) => heading(name) + html`<tr data-figure="${name}"><td>${label(name)}</td>` +
      report.figures.map((month) => html`<td class="amount">${cell(pick(month, name))}</td>`).join("") + "</tr>").join("") + "</tbody>";
}
async function load() {
  const report = await api("GET", `/reports/office-analysis?month=${form.month.value}`);
  // the SVG comes from our own API, built from numbers and escaped text: the same picture as in the PDF
  document.getElementById("charts").innerHTML = Object.entries(report.charts)
    .map(([name, svg]) => `<section class="chart" data-chart="${name}">${svg}</section>`).join("");
  document.querySelectorAll(".chart svg").forEach((svg) => { svg.removeAttribute("width"); svg.removeAttribute("height"); svg.style.width = "100%"; });
  document.getElementById("figures").innerHTML = rows(report);
}
form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
document.getElementById("csv").addEventListener("click", () =>
  download(`/reports/office-analysis?month=${form.month.value}&format=csv`, `office-analysis-${form.month.value}.csv`));
load();
