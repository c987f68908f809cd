// signin.html
import { config, onSubmit, signedInAs, param, safeNext, t } from "/portal/portal.js";

const next = safeNext(param("next"));
if (config.signIn === "cognito") {
  const form = document.getElementById("cognito");
  form.hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    // OAuth 2.0 authorization code with PKCE (RFC 7636) against the Cognito Hosted UI
    const verifier = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(48))))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    const challenge = btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const state = crypto.randomUUID();
    sessionStorage.setItem("backoffice.pkce", JSON.stringify({ verifier, state, next }));
    const query = new URLSearchParams({
      response_type: "code", client_id: config.cognito.clientId, redirect_uri: config.cognito.redirectUri,
      scope: "openid email profile", state, code_challenge: challenge, code_challenge_method: "S256",
    });
    location.href = `${config.cognito.domain}/oauth2/authorize?${query}`;
  });
} else {
  const form = document.getElementById("local");
  form.hidden = false;
  const role = document.getElementById("role");
  const email = document.getElementById("email");
  // each role signs in as a person of its own (unless the email was typed): an employee is not the clerk
  const people = {
    staff: ["clerk@example.com", "Malee Srisuk"], admin: ["owner@example.com", "Anan Wongsakul"],
    employee: ["lan.nguyen@example.com", "Nguyễn Thị Lan"],
  };
  const name = document.getElementById("name");
  const toggle = () => {
    document.getElementById("employee-fields").hidden = role.value !== "employee";
    const known = Object.values(people).find(([address]) => address === email.value);
    if (known) [email.value, name.value] = people[role.value];
  };
  role.addEventListener("change", toggle);
  toggle();
  onSubmit(form, async (data) => {
    const body = { role: data.get("role"), email: data.get("email"), name: data.get("name").trim() || null };
    if (body.role === "employee") body.employee_id = data.get("employee_id");
    body.subject = `local-${body.role}-${body.email}`;
    const response = await fetch("/_local/tokens", { method: "POST", body: JSON.stringify(body) });
    if (!response.ok) throw new Error(t("the local cloud did not sign a token"));
    signedInAs((await response.json()).token);
    location.href = body.role === "employee" && next === "/portal/" ? "/portal/me.html" : next;
  });
}
