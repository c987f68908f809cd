// callback.html
import { config, signedInAs, param, safeNext, t, html } from "/portal/portal.js";

const saved = JSON.parse(sessionStorage.getItem("backoffice.pkce") || "{}");
sessionStorage.removeItem("backoffice.pkce");
try {
  if (!param("code") || param("state") !== saved.state) throw new Error(t("this sign-in link is not ours; sign in again"));
  const response = await fetch(`${config.cognito.domain}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code", client_id: config.cognito.clientId, code: param("code"),
      redirect_uri: config.cognito.redirectUri, code_verifier: saved.verifier,
    }),
  });
  if (!response.ok) throw new Error(t("the sign-in was refused; sign in again"));
  signedInAs((await response.json()).id_token);
  location.replace(safeNext(saved.next));
} catch (error) {
  document.getElementById("message").innerHTML = html`${error.message}. <a href="/portal/signin.html">${t("Sign in")}</a>`;
}
