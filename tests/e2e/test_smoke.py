"""`backoffice smoke` against the local cloud, as `make smoke` runs it after a deploy."""

from infra.template import Template
from tests.e2e.conftest import RunningCloud


def test_the_smoke_test_proves_every_trigger_and_sends_nothing(office: RunningCloud) -> None:
    before = office.get("/_local/outbox")
    done = office.cli("smoke")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("  ok    the API answers a signed-in user") for line in lines)
    assert any(line.startswith("  ok    the API refuses a caller without a token") for line in lines)
    assert any(line.startswith("  ok    an inbox upload reaches the register") for line in lines)
    scheduled = {s["function"] for s in office.get("/_local/resources")["schedules"]}
    template = Template(parameters=office.parameters)
    assert scheduled == {
        n for n, f in template.functions.items() if any(e.type == "ScheduleV2" for e in f.events)
    }
    for function in scheduled:
        assert any(line.startswith(f"  ok    {function} is scheduled and ready") for line in lines), function
    assert "FAIL" not in done.stdout
    assert office.get("/_local/outbox") == before  # the dry runs sent nothing
