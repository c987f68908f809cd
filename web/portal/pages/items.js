// items.html
import { api, requireRole, onSubmit, html, t, money, typedAmount, config } from "/portal/portal.js";

requireRole("staff", "admin");
const form = document.getElementById("add");
if (config.currency) form.currency.value = config.currency;
let items = [];

async function load() {
  items = await api("GET", "/items");
  document.getElementById("rows").innerHTML = items.map((i) => html`<tr data-code="${i.code}">
      <td data-label="${t("Code")}">${i.code}</td>
      <td data-label="${t("Name")}" class="text">${Object.values(i.names).join(" / ")}</td>
      <td data-label="${t("Unit price")}" class="amount">${money(i.unit_price, i.currency)}</td>
      <td data-label="${t("Tax %")}" class="amount">${i.tax_rate}</td>
      <td data-label="${t("Actions")}"><button type="button" class="secondary">${i.archived ? t("Offer again") : t("Archive")}</button></td>
    </tr>`).join("") || html`<tr><td colspan="5" class="muted">${t("None yet.")}</td></tr>`;
}

document.getElementById("rows").addEventListener("click", async (event) => {
  const row = event.target.closest("button") && event.target.closest("tr");
  if (!row) return;
  const item = items.find((i) => i.code === row.dataset.code);
  const { version, ...fields } = item;
  await api("PUT", `/items/${encodeURIComponent(item.code)}`, { json: { ...fields, archived: !item.archived } });
  await load();
});

onSubmit(form, async (data) => {
  const names = Object.fromEntries(["en", "th", "vi"].map((l) => [l, data.get(`names.${l}`).trim()]).filter(([, v]) => v));
  if (!Object.keys(names).length) throw new Error(t("Give the item a name in at least one language."));
  await api("POST", "/items", {
    json: { code: data.get("code").trim().toUpperCase(), names, unit_price: typedAmount(data.get("unit_price")),
      currency: data.get("currency"), tax_rate: typedAmount(data.get("tax_rate")) || "0" },
  });
  form.reset();
  if (config.currency) form.currency.value = config.currency;
  await load();
});
load();
