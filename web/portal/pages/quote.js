// quote.html: the customer's page, opened from the emailed link; no account. The link's secret is the
// URL's fragment, which browsers never send to a server (nor in a Referer); the page posts it in a body.
import { api, onSubmit, html, t, money } from "/portal/portal.js";

const link = decodeURIComponent(location.hash.slice(1));

function say(problem) {
  Object.assign(document.getElementById("problem"), { hidden: false, textContent: problem });
}

function show(quote) {
  document.getElementById("seller").textContent = quote.seller;
  document.title = `${t("Quote {number}", { number: quote.number })} · ${quote.seller}`;
  document.getElementById("title").textContent = t("Quote {number} for {customer}", { number: quote.number, customer: quote.customer });
  document.getElementById("standing").textContent = t("The offer stands until {date}.", { date: quote.valid_until });
  document.getElementById("lines").innerHTML = quote.lines.map((line) => html`<tr>
    <td data-label="${t("Description")}" class="text">${line.description}</td>
    <td data-label="${t("Qty")}" class="amount">${line.quantity}</td>
    <td data-label="${t("Unit price")}" class="amount">${money(line.unit_price, quote.currency)}</td>
    <td data-label="${t("Tax %")}" class="amount">${line.tax_rate}</td>
    <td data-label="${t("Amount")}" class="amount">${money(line.net, quote.currency)}</td></tr>`).join("");
  document.getElementById("subtotal").textContent = money(quote.subtotal, quote.currency);
  document.getElementById("tax").textContent = money(quote.tax_total, quote.currency);
  document.getElementById("total").textContent = money(quote.total, quote.currency);
  document.getElementById("notes").textContent = quote.notes || "";
  const open = quote.status === "sent" && !quote.expired;
  document.getElementById("choices").hidden = !open;
  const answer = quote.status === "accepted" || quote.status === "invoiced"
    ? t("Accepted by {name}. Thank you: {seller} will send the invoice.", { name: quote.accepted_by, seller: quote.seller })
    : quote.status === "declined" ? t("Declined. Thank you for letting {seller} know.", { seller: quote.seller })
    : quote.expired ? t("This offer has ended; ask {seller} for a new one.", { seller: quote.seller }) : "";
  Object.assign(document.getElementById("answer"), { hidden: !answer, textContent: answer });
  document.getElementById("offer").hidden = false;
}

async function load() {
  if (!link) return say(t("This page opens from the link in the quote's email."));
  try {
    show(await api("POST", "/public/quotes/view", { json: { link } }));
  } catch (error) {
    say(error.message);
  }
}

onSubmit(document.getElementById("accept"), async (data) => {
  show(await api("POST", "/public/quotes/accept", { json: { link, name: data.get("name").trim() } }));
});
onSubmit(document.getElementById("decline"), async (data) => {
  show(await api("POST", "/public/quotes/decline", { json: { link, reason: data.get("reason").trim() || null } }));
});
load();
