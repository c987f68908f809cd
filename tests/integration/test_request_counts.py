"""The AWS requests each business operation makes are pinned (counts are deterministic; `make bench`
prints them with the reasoning behind each budget)."""

from bench.operations import operations


def test_every_operation_makes_exactly_the_minimum_requests_its_design_allows() -> None:
    measured = {m.name: (m.requests, m.budget, m.calls) for m in operations()}
    assert len(measured) == 13
    for name, (requests, budget, calls) in measured.items():
        assert requests == budget, f"{name}: {requests} requests, budget {budget}: {calls}"
    assert measured["import a register of 200 cheques"][2]["dynamodb:TransactWriteItems"] == 5
