"""The security tests drive a local cloud of their own, from the outside, as an attacker or a clerk
would: the office's template, with one payroll provider allowed to email registers."""

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import ROOT, RunningCloud

PAYROLL_PROVIDER = "payroll@trusted-provider.example"


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    state = tmp_path_factory.mktemp("security") / "state"
    cloud = RunningCloud(
        ROOT / "template.yaml", state, parameters={"PayrollSenders": PAYROLL_PROVIDER}
    ).start()
    yield cloud
    cloud.stop()
