"""Finding 2 in a real browser: `next` after sign-in never leaves the portal or runs script, and every
page works under the template's Content-Security-Policy, which the local cloud serves as CloudFront does."""

import pytest
from playwright.sync_api import Browser, Page, expect

from infra.localcloud.portal import security_headers
from infra.template import Template
from tests.e2e.conftest import RunningCloud, cheque_numbers, on_the_run_s_clock
from tests.e2e.test_portal import browser, page
from tests.security.helpers import call, document_named, put, run_of

pytestmark = pytest.mark.e2e
__all__ = ["browser", "page"]

PAGES = [
    "index.html",
    "invoices.html",
    "invoice-new.html",
    "documents.html",
    "payruns.html",
    "obligations.html",
    "recurring.html",
    "analysis.html",
    "signin.html",
]


def sign_in_via(page: Page, cloud: RunningCloud, next_value: str) -> None:
    page.goto(f"{cloud.api}/portal/signin.html?next={next_value}")
    page.select_option("#role", "staff")
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize(
    "next_value",
    [
        "javascript:document.title='owned'",
        "JaVaScRiPt%3Adocument.title%3D'owned'",
        "https://elsewhere.example/portal/",
        "//elsewhere.example/portal/",
        "/portal/../_local/resources",
    ],
)
def test_next_after_sign_in_stays_in_the_portal(page: Page, office: RunningCloud, next_value: str) -> None:
    sign_in_via(page, office, next_value)
    page.wait_for_url(f"{office.api}/portal/")
    page.wait_for_selector("#sign-out")
    assert page.title() != "owned"


def test_next_may_name_a_page_of_the_portal(page: Page, office: RunningCloud) -> None:
    sign_in_via(page, office, "/portal/invoices.html%3Fstatus%3Doverdue")
    page.wait_for_url(f"{office.api}/portal/invoices.html?status=overdue")


def test_every_page_carries_the_templates_policy_and_works_under_it(page: Page, office: RunningCloud) -> None:
    sign_in_via(page, office, "/portal/")
    page.wait_for_selector("#sign-out")
    expected = dict(security_headers(Template(), f"http://127.0.0.1:{office.aws_port}"))
    for name in PAGES[:-1]:
        response = page.goto(f"{office.api}/portal/{name}")
        assert response is not None
        served = response.headers
        assert served["content-security-policy"] == expected["content-security-policy"]
        assert (
            "script-src 'self'" in served["content-security-policy"] and served["x-frame-options"] == "DENY"
        )
        page.wait_for_selector("#sign-out")  # the page's own module ran
    # the `page` fixture fails the test on any script error or Content-Security-Policy violation


def test_an_inline_script_is_blocked(browser: Browser, office: RunningCloud) -> None:
    """The policy really is enforced: a page that tried inline script would be refused."""
    context = on_the_run_s_clock(browser.new_context())
    opened = context.new_page()
    opened.goto(f"{office.api}/portal/signin.html")
    injected = '<img src=x onerror="document.title=1">'
    refused = opened.evaluate(
        """(markup) => new Promise((resolve) => {
            document.addEventListener("securitypolicyviolation", (e) => resolve(e.effectiveDirective));
            const p = document.createElement("p");
            p.innerHTML = markup;
            document.body.append(p);
        })""",
        injected,
    )  # waits for the browser's own report of the refusal, not for a while
    assert refused.startswith("script-src") and opened.title() != "1"
    context.close()


def test_receiving_a_bundle_shows_where_the_register_came_from_before_anything_moves(
    page: Page, office: RunningCloud
) -> None:
    number = cheque_numbers()[0]
    name = f"register-{number}.csv"
    register = (
        "cheque_number,employee_id,employee_name,pay_date,net_amount\n"
        f"{number},E-1,Lan,2026-11-20,10.00\nTOTAL,1,10.00\n"
    )
    put(office, f"inbox/payroll/{name}", register.encode())
    run = run_of(office, document_named(office, name)["id"])

    sign_in_via(page, office, f"/portal/payrun.html%3Fid%3D{run['id']}")
    expect(page.locator("#provenance")).to_contain_text(
        "put into the inbox by someone with access to the inbox"
    )
    page.get_by_role("button", name="The printed cheques arrived").click()
    expect(page.get_by_role("group")).to_contain_text("This register was put into the inbox by")
    page.get_by_role("button", name="Cancel").click()
    assert call(office, "GET", f"/payruns/{run['id']}")[1]["status"] == "imported"  # nothing moved

    page.get_by_role("button", name="The printed cheques arrived").click()
    page.get_by_role("button", name="Confirm the bundle arrived").click()
    expect(page.locator("#title")).to_contain_text("received")
