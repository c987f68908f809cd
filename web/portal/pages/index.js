// index.html
import { api, claims, requireRole, html, t } from "/portal/portal.js";

const user = claims();
if (user && !user.roles.some((r) => r === "staff" || r === "admin")) location.replace("/portal/me.html");
requireRole("staff", "admin");
const tiles = [
  [t("Invoices overdue"), "/invoices?status=overdue&limit=100", "/portal/invoices.html?status=overdue"],
  [t("Documents in quarantine"), "/documents?status=quarantined&limit=100", "/portal/documents.html?status=quarantined"],
  [t("Cheques ready for pickup"), "/cheques?status=ready", "/portal/payruns.html"],
  [t("Obligations overdue"), "/obligations?status=overdue&limit=100", "/portal/obligations.html?status=overdue"],
];
const board = document.getElementById("today");
for (const [title, path, link] of tiles) {
  const count = await api("GET", path).then((page) => page.items.length, () => "—");
  board.insertAdjacentHTML("beforeend", html`<section><h2>${title}</h2><p class="count">${count}</p><a href="${link}">${t("Open")}</a></section>`);
}
