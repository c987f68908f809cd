"""Fixtures shared by every test layer."""

import os
from collections.abc import Iterator

import pytest

from infra import timeshift
from infra.localcloud.provision import Clients, provision
from infra.template import Template

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
if os.environ.get("NOW"):  # NOW wins over a BACKOFFICE_NOW left in the shell
    os.environ[timeshift.ENV] = timeshift.shared(os.environ["NOW"])  # for every process the run starts
MOMENT = timeshift.start()
# As every function's environment has them (template Globals), before core.observability is imported.
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "backoffice")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "BackOffice")


def pytest_report_header() -> str:
    return f"clock: {MOMENT.isoformat()} (NOW=)" if MOMENT else "clock: today"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Template, Clients]]:
    """moto in-process, with every resource of template.yaml created as declared."""
    from moto import mock_aws

    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        template = Template()
        clients = Clients()
        provision(template, clients)
        yield template, clients
