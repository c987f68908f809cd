// books.html: the month's income, expenses and VAT, and the boxes of the office's VAT return
import { api, requireRole, html, param, download, t, money } from "/portal/portal.js";

requireRole("staff", "admin");
const form = document.getElementById("pick");
form.month.value = param("month") || new Date().toISOString().slice(0, 7);

async function load() {
  const month = form.month.value;
  const books = await api("GET", `/reports/monthly-summary?month=${month}`);
  const { books: names = {}, returns = {}, boxes = {} } = books.labels;
  document.getElementById("state").textContent = books.closed
    ? t("{month} is closed.", { month }) : t("{month} is open: its figures change until it is closed.", { month });
  const currencies = Object.entries(books.currencies);
  document.getElementById("books").innerHTML = currencies.map(([currency, figures]) =>
    html`<section data-currency="${currency}"><h2 id="books-${currency}">${currency}</h2>
      <div class="scroll-x" tabindex="0" role="region" aria-labelledby="books-${currency}"><table><tbody>` +
    Object.entries(figures).map(([name, value]) =>
      html`<tr data-figure="${name}"><th scope="row">${names[name] || name}</th><td class="amount">${money(value, currency)}</td></tr>`).join("") +
    "</tbody></table></div></section>").join("") || html`<p class="muted">${t("Nothing was invoiced, billed or paid in this month.")}</p>`;
  const form_ = books.return;
  document.getElementById("return-section").hidden = !form_;
  if (form_) {
    document.getElementById("return-title").textContent = `${returns[form_.form] || form_.form} (${form_.currency})`;
    document.getElementById("return").innerHTML = "<tbody>" + Object.entries(form_.boxes).map(([box, value]) =>
      html`<tr data-box="${box}"><th scope="row">[${box}] ${(boxes[form_.form] || {})[box] || ""}</th><td class="amount">${money(value, form_.currency)}</td></tr>`).join("") + "</tbody>";
  }
  document.getElementById("carried-section").hidden = !books.carried.length;
  document.getElementById("carried").innerHTML = books.carried.map((note) =>
    html`<li>${t("From {month}:", { month: note.from })} ${Object.entries(note.currencies).flatMap(([currency, figures]) =>
      Object.entries(figures).map(([name, value]) => `${names[name] || name} ${money(value, currency)}`)).join(", ")}</li>`).join("");
}
form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
document.getElementById("csv").addEventListener("click", () =>
  download(`/reports/monthly-summary?month=${form.month.value}&format=csv`, `monthly-summary-${form.month.value}.csv`));
document.getElementById("pdf").addEventListener("click", () =>
  download(`/reports/monthly-summary/pdf?month=${form.month.value}`, `monthly-summary-${form.month.value}.pdf`));
load();
