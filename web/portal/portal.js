// The staff portal's shared code: sign-in, calling the API, showing its problems next to the
// fields, one Idempotency-Key per intended act, and exact money arithmetic. No framework, no build.

const config = window.BACKOFFICE || { api: "", signIn: "local" };
const TOKEN = "backoffice.token";

// ---------------------------------------------------------------- language
// Every text a person reads is English in the code and translated from web/portal/locale/<lang>.json
// (compiled from the gettext catalogues in web/locale/: `make messages`). The reader's choice is kept in
// the browser; until they choose, a link's `lang` (an email to a customer), then the browser's own language.
const LANGUAGE = "backoffice.language";
export const LANGUAGES = { en: "English", th: "ไทย", vi: "Tiếng Việt" };
export const language = (() => {
  const chosen = localStorage.getItem(LANGUAGE);
  if (chosen in LANGUAGES) return chosen;
  const asked = new URLSearchParams(location.search).get("lang");  // a link written for its reader
  if (asked in LANGUAGES) return asked;
  const browser = (navigator.languages || [navigator.language]).map((l) => String(l).slice(0, 2));
  return browser.find((l) => l in LANGUAGES) || "en";
})();
const catalogue = language === "en" ? {} : await fetch(`/portal/locale/${language}.json`).then((r) => (r.ok ? r.json() : {}));

/** The text in the reader's language, with {name} placeholders filled from `values`. */
export function t(text, values = {}) {
  return (catalogue[text] || text).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** Translate what a page's HTML wrote: texts, labels, placeholders (its templates' too). */
function translate(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim().replace(/\s+/g, " ");
    if (text && catalogue[text]) node.nodeValue = node.nodeValue.replace(node.nodeValue.trim(), catalogue[text]);
  }
  for (const element of root.querySelectorAll("[placeholder], [aria-label], [title], [alt]")) {
    for (const name of ["placeholder", "aria-label", "title", "alt"]) {
      const value = element.getAttribute(name);
      if (value && catalogue[value]) element.setAttribute(name, catalogue[value]);
    }
  }
  root.querySelectorAll("template").forEach((template) => translate(template.content));
}
document.documentElement.lang = language;
document.title = document.title.split(" · ").map((part) => t(part)).join(" · ");
translate(document.body);

/** A choice of language in the page's header; choosing reloads the page in it. */
function languagePicker() {
  const header = document.querySelector("header");
  if (!header || header.querySelector("#language")) return;
  const picker = document.createElement("select");
  picker.id = "language";
  picker.setAttribute("aria-label", t("Language"));
  picker.innerHTML = Object.entries(LANGUAGES)
    .map(([code, name]) => `<option value="${code}"${code === language ? " selected" : ""}>${name}</option>`).join("");
  picker.addEventListener("change", () => {
    localStorage.setItem(LANGUAGE, picker.value);
    location.reload();
  });
  header.append(picker);
}
languagePicker();

// ------------------------------------------------------------------ sign-in
export function claims() {
  const token = sessionStorage.getItem(TOKEN);
  if (!token) return null;
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const text = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
    const parsed = JSON.parse(text);
    if (parsed.exp * 1000 < Date.now()) return null;
    const groups = parsed["cognito:groups"] || [];
    return { ...parsed, roles: Array.isArray(groups) ? groups : [groups] };
  } catch {
    return null;
  }
}

export function signedInAs(token) {
  sessionStorage.setItem(TOKEN, token);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
  location.href = "/portal/signin.html";
}

/** Stop the page unless the signed-in user holds one of `roles`; returns the user's claims. */
export function requireRole(...roles) {
  const user = claims();
  if (!user) {
    location.href = `/portal/signin.html?next=${encodeURIComponent(location.pathname + location.search)}`;
    throw new Error("not signed in");
  }
  renderHeader(user);
  if (!roles.some((role) => user.roles.includes(role))) {
    document.querySelector("main").innerHTML =
      html`<h1>${t("Not for your account")}</h1><p role="alert">${t("This page is for office staff.")} ` +
      html`<a href="/portal/me.html">${t("See your own cheques")}</a>.</p>`;
    throw new Error("forbidden");
  }
  return user;
}

function renderHeader(user) {
  const nav = document.querySelector("header nav");
  if (!nav) return;
  const staff = user.roles.includes("staff") || user.roles.includes("admin");
  const links = staff
    ? [["invoices.html", t("Invoices")], ["bills.html", t("Bills")], ["documents.html", t("Documents")], ["payruns.html", t("Cheques")],
       ["obligations.html", t("Obligations")], ["analysis.html", t("Analysis")]]
    : [["me.html", t("My cheques")]];
  nav.innerHTML = links
    .map(([href, text]) => `<a href="/portal/${href}"${location.pathname.endsWith(href) ? ' aria-current="page"' : ""}>${text}</a>`)
    .join("") + `<button type="button" class="link" id="sign-out">${escapeHtml(t("Sign out ({who})", { who: user.name || user.email || user.sub }))}</button>`;
  document.getElementById("sign-out").addEventListener("click", signOut);
}

// --------------------------------------------------------------------- API
// Problems the portal words in the reader's language, by their type (RFC 9457); others as the API wrote them
const PROBLEMS = {
  "second-person-required": t("Someone else must do this: you asked for it, entered it or confirmed it yourself."),
  "no-bank-account-change": t("No change of bank account waits any more: it was decided already."),
};

/** A problem's detail as the reader reads it. */
function worded(problem) {
  return PROBLEMS[String(problem.type || "").split("/").pop()] || problem.detail || problem.title;
}

export class ProblemError extends Error {
  constructor(problem) {
    const fields = (problem.errors || []).map((e) => e.message).filter(Boolean);
    super([worded(problem) || `HTTP ${problem.status}`, ...fields].join(": "));
    this.problem = problem;
  }
}

/**
 * Call the API; JSON in and out. Problems (4xx/5xx) are thrown as ProblemError. Every POST carries
 * an Idempotency-Key (the form's, or a fresh one), so a POST the network repeats is done once.
 */
export async function api(method, path, { json, body, contentType, idempotencyKey, raw } = {}) {
  const headers = { accept: "application/json, application/problem+json", "accept-language": language };
  const token = sessionStorage.getItem(TOKEN);
  if (token) headers.authorization = `Bearer ${token}`;
  const key = idempotencyKey || (method === "POST" ? crypto.randomUUID() : null);
  if (key) headers["idempotency-key"] = key;
  if (json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(json);
  } else if (contentType) {
    headers["content-type"] = contentType;
  }
  const response = await fetch(config.api + path, { method, headers, body });
  if (response.status === 401) {
    signOut();
    throw new ProblemError({ status: 401, title: t("Signed out") });
  }
  if (raw && response.ok) return response;
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    throw new ProblemError(typeof data === "object" ? data : { status: response.status, detail: data });
  }
  return data;
}

// ------------------------------------------------------------------- forms
/** Show a problem: each field error next to its field, the rest in the form's alert. */
export function showProblem(form, error) {
  clearProblems(form);
  const problem = error instanceof ProblemError ? error.problem : { detail: String(error) };
  const summary = form.querySelector(".form-alert");
  const unplaced = [];
  let first = null;
  for (const item of problem.errors || []) {
    const name = (item.pointer || "").replace(/^\//, "").replace(/\//g, ".");
    const field = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!field) {
      unplaced.push(item.message);  // the server names the field in the reader's words
      continue;
    }
    const note = document.createElement("p");
    note.className = "field-error";
    note.id = `error-${name.replace(/\W/g, "-")}`;
    note.textContent = item.message;
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", note.id);
    field.insertAdjacentElement("afterend", note);
    first = first || field;
  }
  if (summary) {
    summary.hidden = false;
    summary.textContent = [worded(problem), ...unplaced].filter(Boolean).join(" — ");
  }
  (first || summary)?.focus();
}

/** Take a field's own problem away (its message and its invalid mark). */
function clearProblem(field) {
  if (!field?.getAttribute?.("aria-invalid")) return;
  document.getElementById(field.getAttribute("aria-describedby") || "")?.remove();
  field.removeAttribute("aria-invalid");
  field.removeAttribute("aria-describedby");
}

export function clearProblems(form) {
  form.querySelectorAll(".field-error").forEach((node) => node.remove());
  form.querySelectorAll("[aria-invalid]").forEach((node) => {
    node.removeAttribute("aria-invalid");
    node.removeAttribute("aria-describedby");
  });
  const summary = form.querySelector(".form-alert");
  if (summary) {
    summary.hidden = true;
    summary.textContent = "";
  }
}

/** What was filled in, as one text: the same text is the same intended act. */
function filled(form) {
  return JSON.stringify([...new FormData(form)].map(([name, value]) =>
    [name, value instanceof File ? [value.name, value.size, value.lastModified] : value]));
}

/** Say what was just done in the page's status line (#done); a notice the page opened with gives way. */
export function done(message) {
  document.querySelectorAll("[data-until-done]").forEach((notice) => (notice.hidden = true));
  Object.assign(document.getElementById("done"), { hidden: false, textContent: message });
}

/**
 * One Idempotency-Key per intended act. `handler(data, key)` does the act and returns what happened,
 * in words (nothing when it only asked a question first). While the form says the same, every
 * submission carries the same key: a second click, or a retry after a lost answer, gets the server's
 * first answer again instead of doing the act twice; a click while one is in flight does nothing.
 * Once done, the page says what happened, the form clears itself, `then()` redraws the page, and the
 * next submission is a new act with a new key.
 */
export function onSubmit(form, handler, then) {
  let key = crypto.randomUUID();
  let sent = null;  // what was filled in when `key` was last sent
  form.addEventListener("input", (event) => clearProblem(event.target));  // a field's problem goes once it is changed
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    form.querySelectorAll("button[type=submit]").forEach((b) => (b.disabled = true));
    clearProblems(form);
    const now = filled(form);
    if (sent !== null && sent !== now) key = crypto.randomUUID();  // the form says something else: another act
    sent = now;
    try {
      const message = await handler(new FormData(form), key);
      if (message !== undefined) {
        key = crypto.randomUUID();
        sent = null;
        form.reset();
        done(message);
        await then?.();
      }
    } catch (error) {
      showProblem(form, error);
    } finally {
      delete form.dataset.busy;
      form.querySelectorAll("button[type=submit]").forEach((b) => (b.disabled = false));
    }
  });
}

// ------------------------------------------------------------------- money
/** Minor units of a currency (ISO 4217), as the browser knows them: 2 for USD, 0 for JPY/VND. */
export function minorUnits(currency) {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return 2;
  }
}

/** An exact decimal as [BigInt digits, scale]; null when the text is not a plain decimal. */
export function decimal(text) {
  const match = /^\s*(-?)(\d*)(?:\.(\d*))?\s*$/.exec(String(text ?? ""));
  if (!match || (match[2] === "" && !match[3])) return null;
  const fraction = match[3] || "";
  return [BigInt(`${match[1]}${match[2] || "0"}${fraction}`), fraction.length];
}

/** Round value×10^-scale to `units` decimals, half away from zero (the server's ROUND_HALF_UP). */
export function roundTo([value, scale], units) {
  if (scale <= units) return value * 10n ** BigInt(units - scale);
  const divisor = 10n ** BigInt(scale - units);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return negative ? -quotient : quotient;
}

// The reader's way of writing numbers: "12,000.50" in English and Thai, "12.000,50" in Vietnamese.
const SEPARATORS = Object.fromEntries(
  new Intl.NumberFormat(language).formatToParts(12345.6).filter((p) => p.type === "group" || p.type === "decimal")
    .map((p) => [p.type, p.value]));

/** An amount as typed in the reader's locale, as the exact decimal string the API reads ("12,000.50"
 * → "12000.50"); text that is not a number in that locale comes back as typed, for the API to refuse. */
export function typedAmount(text) {
  const plain = String(text ?? "").trim().replace(/\s/g, "");
  const { group = ",", decimal: point = "." } = SEPARATORS;
  const grouped = new RegExp(`^-?\\d{1,3}(\\${group}\\d{3})+(\\${point}\\d+)?$`);
  const ungrouped = new RegExp(`^-?\\d+(\\${point}\\d+)?$`);
  if (!grouped.test(plain) && !ungrouped.test(plain)) return plain;
  return plain.split(group).join("").replace(point, ".");
}

export function formatMinor(amount, units) {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(units + 1, "0");
  const whole = (units ? digits.slice(0, -units) : digits).replace(/\B(?=(\d{3})+(?!\d))/g, SEPARATORS.group || ",");
  return (negative ? "-" : "") + (units ? `${whole}${SEPARATORS.decimal || "."}${digits.slice(-units)}` : whole);
}

/** An exact decimal from the API ("17771.7") as the reader writes money: "17,771.70 THB". */
export function money(amount, currency) {
  const units = minorUnits(currency);
  const exact = decimal(amount);
  return exact ? `${formatMinor(roundTo(exact, units), units)} ${currency}` : `${amount} ${currency}`;
}

/**
 * Invoice totals by the server's rules (invoicing/arithmetic.py): each line net rounded, tax per
 * rate on the sum of that rate's nets (EN 16931 BR-CO-17), all half away from zero. Null if a
 * line is incomplete.
 */
export function invoiceTotals(lines, currency) {
  const units = minorUnits(currency);
  const byRate = new Map();
  let subtotal = 0n;
  for (const line of lines) {
    const quantity = decimal(line.quantity);
    const price = decimal(line.unit_price);
    const rate = decimal(line.tax_rate || "0");
    if (!quantity || !price || !rate) return null;
    const net = roundTo([quantity[0] * price[0], quantity[1] + price[1]], units);
    subtotal += net;
    const key = `${rate[0]}e${rate[1]}`;
    const entry = byRate.get(key) || { rate, taxable: 0n };
    entry.taxable += net;
    byRate.set(key, entry);
  }
  let tax = 0n;
  for (const { rate, taxable } of byRate.values()) {
    tax += roundTo([taxable * rate[0], units + rate[1] + 2], units);
  }
  return { units, subtotal, tax, total: subtotal + tax };
}

// -------------------------------------------------------------------- bits
export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Tagged template that escapes every interpolated value. */
export function html(strings, ...values) {
  return strings.reduce((out, text, i) => out + text + (i < values.length ? escapeHtml(values[i]) : ""), "");
}

/** Fetch a file from the API (with the sign-in) and save it as `name`. */
export async function download(path, name) {
  const response = await api("GET", path, { raw: true });
  Object.assign(document.createElement("a"), { href: URL.createObjectURL(await response.blob()), download: name }).click();
}

/**
 * Where to go after signing in: a page of this portal on this origin, never another site or a
 * `javascript:` URL (anything else goes to the portal's home).
 */
export function safeNext(text) {
  const home = "/portal/";
  if (!text) return home;
  try {
    const url = new URL(text, location.origin);
    if (url.origin !== location.origin || !url.pathname.startsWith(home)) return home;
    return url.pathname + url.search + url.hash;
  } catch {
    return home;
  }
}

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

/** An instant as the office reads it: the date and time in the office's timezone, and the zone's
 * name ("2026-11-30 15:30 GMT+7"). */
export function when(iso) {
  if (!iso) return "—";
  const parts = Object.fromEntries(new Intl.DateTimeFormat(language, {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    timeZone: config.timezone || undefined, timeZoneName: "short", numberingSystem: "latn", calendar: "gregory",
  }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

export function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

const STATUSES = {
  draft: t("draft"), issued: t("issued"), partially_paid: t("partially paid"), paid: t("paid"),
  overdue: t("overdue"), void: t("void"), filed: t("filed"), quarantined: t("quarantined"),
  duplicate: t("duplicate"), ready: t("ready"), handed_over: t("handed over"), mailed: t("mailed"),
  cashed: t("cashed"), stale: t("stale"), imported: t("imported"), received: t("received"),
  rejected: t("rejected"), upcoming: t("upcoming"), due_soon: t("due soon"), completed: t("completed"),
  closed: t("closed"), archived: t("archived"), unmatched: t("unmatched"), active: t("active"), paused: t("paused"),
  ended: t("ended"), sent: t("sent"), accepted: t("accepted"), declined: t("declined"), invoiced: t("invoiced"),
  expired: t("expired"), awaiting_approval: t("awaiting approval"), approved: t("approved"), scheduled: t("scheduled"),
};

/** A status as a badge, in the reader's language (the class keeps the status's code). */
export function status(text) {
  const shown = STATUSES[text] || String(text).replace(/_/g, " ");
  return `<span class="status status-${escapeHtml(text)}">${escapeHtml(shown)}</span>`;
}

/** Upload one file through a pre-signed POST form, reporting progress (0..1). */
export function upload(form, file, onProgress) {
  return new Promise((resolve, reject) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
    data.append("file", file);
    const request = new XMLHttpRequest();
    request.open("POST", form.url);
    request.upload.addEventListener("progress", (e) => e.lengthComputable && onProgress(e.loaded / e.total));
    request.addEventListener("load", () =>
      request.status < 300 ? resolve() : reject(new Error(t("the upload was refused ({status})", { status: request.status }))));
    request.addEventListener("error", () => reject(new Error(t("the upload failed; try again"))));
    request.send(data);
  });
}

/** Ask for an upload form and send the file; returns the inbox key it went to. */
export async function uploadDocument(file, documentType, onProgress) {
  const form = await api("POST", "/documents/uploads", {
    json: { filename: file.name, content_type: file.type || "application/octet-stream", document_type: documentType || null },
  });
  if (file.size > form.max_bytes) throw new Error(t("{name} is over the {limit} MB limit", { name: file.name, limit: Math.round(form.max_bytes / 1048576) }));
  await upload(form, file, onProgress);
  return form.key;
}

/** Wait until intake has registered the upload at `key` (filed, duplicate or quarantined). */
export async function registered(key, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const page = await api("GET", "/documents?limit=100");
    const found = page.items.find((d) => d.original_key === key);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(t("the document has not been registered yet; look for it in Documents"));
}

export { config };

// ------------------------------------------------------------ recurrence
/** A recurrence rule (RFC 5545) in words: "every month on day 15", "every quarter"; a rule these
 * words do not cover is shown as written. */
export function repeats(rule) {
  if (!rule) return t("no");
  const parts = Object.fromEntries(rule.split(";").map((p) => p.split("=")));
  const every = Number(parts.INTERVAL || 1);
  const known = new Set(["FREQ", "INTERVAL", "BYMONTHDAY"]);
  if (Object.keys(parts).some((key) => !known.has(key))) return rule;
  const day = parts.BYMONTHDAY;
  if (parts.FREQ === "YEARLY" && !day) return every === 1 ? t("every year") : t("every {n} years", { n: every });
  if (parts.FREQ === "WEEKLY" && !day) return every === 1 ? t("every week") : t("every {n} weeks", { n: every });
  if (parts.FREQ !== "MONTHLY") return rule;
  const period = every === 1 ? t("every month") : every === 3 ? t("every quarter") : every === 6 ? t("every half-year") : t("every {n} months", { n: every });
  return day ? t("{period} on day {day}", { period, day }) : t("{period}, same day", { period });
}

/** The rule a form's "Repeats" choice and "On day" make (`every`, `day`); null for once. */
export function chosenRule(data) {
  const every = data.get("every");
  const day = String(data.get("day") || "").trim();
  if (!every) return null;
  return every.startsWith("FREQ=MONTHLY") && day && !every.includes("BYMONTHDAY") ? `${every};BYMONTHDAY=${day}` : every;
}

/** Set a form's "Repeats" choice and "On day" to a rule; a rule the choices do not cover is offered as itself,
 * in words. */
export function showRule(form, rule) {
  const parts = (rule || "").split(";").filter((p) => p && !p.startsWith("BYMONTHDAY="));
  const day = /BYMONTHDAY=(\d+)/.exec(rule || "");
  const base = parts.join(";");
  if (![...form.every.options].some((o) => o.value === base)) {
    form.every.add(new Option(repeats(rule), rule));
    form.every.value = rule;
    form.day.value = "";
    return;
  }
  form.every.value = base;
  form.day.value = day ? day[1] : "";
}

/** Who did something, as the office reads it: the person's name, or which schedule. */
export function who(by, name) {
  if (name) return name;
  const schedules = { "system:compliance": t("the obligations schedule"), "user:system": t("the back office") };
  return schedules[by] || t("a colleague");
}
