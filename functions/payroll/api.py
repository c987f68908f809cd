"""HTTP routes: employees, pay runs, cheques, the bank side, and /me for employees."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, Field

from core.api import build_resolver, current_caller, roles, text_body
from core.errors import Forbidden
from core.i18n import N_
from core.idempotency import IDEMPOTENT, IdempotencyKey
from core.observability import lambda_entry
from core.requests import VoidRequest
from payroll.model import (
    Cheque,
    ChequeStatus,
    Employee,
    EmployeeFields,
    EmployeePatch,
    Handover,
    LinkRequest,
    MailRequest,
    PayRun,
    ReissueRequest,
)
from payroll.service import payroll

router = Router()
OFFICE = roles("staff", "admin")
ADMIN = roles("admin")
EMPLOYEE = roles("employee")
TAGS = ["Payroll cheques"]


class EmployeePage(BaseModel):
    items: list[Employee]
    cursor: str | None = None


class RunPage(BaseModel):
    items: list[PayRun]
    cursor: str | None = None


class ChequeList(BaseModel):
    items: list[Cheque]


class MyCheques(ChequeList):
    pickup: str = Field(description="Where and when to collect a cheque that is ready.")


class Reissued(BaseModel):
    voided: Cheque
    reissued: Cheque


class MyRecord(BaseModel):
    """What an employee sees of their own record."""

    id: str
    name: str
    email: str
    department: str | None = None
    delivery: str
    cheques: list[Cheque] = Field(default=[])


def _csv_body() -> str:
    return text_body(router, "text/csv", "text/plain")


# ---------------------------------------------------------------- employees
@router.post("/employees", middlewares=ADMIN, tags=TAGS, summary="Add an employee")
def add_employee(fields: EmployeeFields) -> Response[Employee]:
    employee = payroll().add_employee(fields, current_caller(router))
    return Response(201, "application/json", employee, headers={"location": f"/employees/{employee.id}"})


@router.post("/employees/import", middlewares=ADMIN, tags=TAGS, summary="Import the employee list (CSV)")
def import_employees() -> dict[str, Any]:
    return payroll().import_employees(_csv_body(), current_caller(router))


@router.get("/employees", middlewares=OFFICE, tags=TAGS, summary="Employees by name")
def list_employees(cursor: Annotated[str | None, Query()] = None) -> EmployeePage:
    items, next_cursor = payroll().employees(cursor)
    return EmployeePage(items=items, cursor=next_cursor)


@router.get("/employees/<employee_id>", middlewares=OFFICE, tags=TAGS, summary="One employee")
def get_employee(employee_id: Annotated[str, Path()]) -> Employee:
    return payroll().employee(employee_id)


@router.patch("/employees/<employee_id>", middlewares=ADMIN, tags=TAGS, summary="Change an employee")
def edit_employee(employee_id: Annotated[str, Path()], patch: EmployeePatch) -> Employee:
    return payroll().edit_employee(employee_id, patch, current_caller(router))


# ----------------------------------------------------------------- pay runs
@router.get("/payruns", middlewares=OFFICE, tags=TAGS, summary="Pay runs, newest first")
def list_runs(cursor: Annotated[str | None, Query()] = None) -> RunPage:
    items, next_cursor = payroll().runs(cursor)
    return RunPage(items=items, cursor=next_cursor)


@router.get(
    "/payruns/<run_id>", middlewares=OFFICE, tags=TAGS, summary="A pay run with counts and reconciliation"
)
def get_run(run_id: Annotated[str, Path()]) -> dict[str, Any]:
    return payroll().summary(run_id)


@router.post(
    "/payruns/<run_id>/receive",
    middlewares=[*OFFICE, *IDEMPOTENT],
    tags=TAGS,
    summary="The printed cheques arrived",
)
def receive_run(run_id: Annotated[str, Path()], idempotency_key: IdempotencyKey = None) -> PayRun:
    return payroll().receive(run_id, current_caller(router))


@router.get(
    "/payruns/<run_id>/positive-pay", middlewares=OFFICE, tags=TAGS, summary="Positive Pay file (CSV)"
)
def positive_pay(run_id: Annotated[str, Path()]) -> Response[str]:
    body = payroll().positive_pay(run_id)
    disposition = f'attachment; filename="positive-pay-{run_id[:12]}.csv"'
    return Response(200, "text/csv; charset=utf-8", body, headers={"content-disposition": disposition})


@router.post("/payruns/paid-items", middlewares=OFFICE, tags=TAGS, summary="The bank's paid items (CSV)")
def paid_items() -> dict[str, Any]:
    return payroll().paid_items(_csv_body(), current_caller(router))


# ------------------------------------------------------------------ cheques
@router.get("/cheques", middlewares=OFFICE, tags=TAGS, summary="Cheques by pay run and status")
def list_cheques(
    payrun: Annotated[str | None, Query(description="One pay run; all runs if absent.")] = None,
    status: Annotated[ChequeStatus | None, Query()] = None,
) -> ChequeList:
    return ChequeList(items=payroll().cheques(payrun, status))


@router.get("/cheques/<cheque_id>", middlewares=OFFICE, tags=TAGS, summary="One cheque with its history")
def get_cheque(cheque_id: Annotated[str, Path()]) -> Cheque:
    return payroll().cheque(cheque_id)


@router.post(
    "/cheques/<cheque_id>/handover",
    middlewares=[*OFFICE, *IDEMPOTENT],
    tags=TAGS,
    summary="Handed to the employee",
)
def handover(
    cheque_id: Annotated[str, Path()], request: Handover, idempotency_key: IdempotencyKey = None
) -> Cheque:
    return payroll().handover(cheque_id, request, current_caller(router))


@router.post(
    "/cheques/<cheque_id>/mail",
    middlewares=[*OFFICE, *IDEMPOTENT],
    tags=TAGS,
    summary="Posted to the employee",
)
def mail(
    cheque_id: Annotated[str, Path()], request: MailRequest, idempotency_key: IdempotencyKey = None
) -> Cheque:
    return payroll().mail(cheque_id, request.tracking, current_caller(router))


@router.post("/cheques/<cheque_id>/void", middlewares=[*OFFICE, *IDEMPOTENT], tags=TAGS, summary="Void")
def void(
    cheque_id: Annotated[str, Path()], request: VoidRequest, idempotency_key: IdempotencyKey = None
) -> Cheque:
    return payroll().void(cheque_id, request.reason, current_caller(router))


@router.post(
    "/cheques/<cheque_id>/reissue",
    middlewares=[*ADMIN, *IDEMPOTENT],
    tags=TAGS,
    summary="Void and issue a new number",
)
def reissue(
    cheque_id: Annotated[str, Path()], request: ReissueRequest, idempotency_key: IdempotencyKey = None
) -> Response[Reissued]:
    voided, fresh = payroll().reissue(cheque_id, request, current_caller(router))
    return Response(201, "application/json", Reissued(voided=voided, reissued=fresh))


@router.post(
    "/cheques/<cheque_id>/link",
    middlewares=[*OFFICE, *IDEMPOTENT],
    tags=TAGS,
    summary="Match an unmatched cheque",
)
def link(
    cheque_id: Annotated[str, Path()], request: LinkRequest, idempotency_key: IdempotencyKey = None
) -> Cheque:
    return payroll().link(cheque_id, request.employee_id, current_caller(router))


@router.get("/reports/unclaimed", middlewares=OFFICE, tags=TAGS, summary="Cheques past the dormancy period")
def unclaimed() -> ChequeList:
    return ChequeList(items=payroll().unclaimed())


# ---------------------------------------------------------------- employees' own
def _me() -> str:
    caller = current_caller(router)
    if not caller.employee_id:
        raise Forbidden(N_("this token carries no employee id"), slug="forbidden")
    return caller.employee_id


@router.get("/me", middlewares=EMPLOYEE, tags=TAGS, summary="My record and cheques")
def me() -> MyRecord:
    employee_id = _me()
    service = payroll()
    employee = service.employee(employee_id)
    return MyRecord(**employee.model_dump(), cheques=service.cheques_of_employee(employee_id))


@router.get("/me/cheques", middlewares=EMPLOYEE, tags=TAGS, summary="My cheques")
def my_cheques() -> MyCheques:
    service = payroll()
    return MyCheques(items=service.cheques_of_employee(_me()), pickup=service.pickup)


@router.post(
    "/me/cheques/<cheque_id>/acknowledge", middlewares=EMPLOYEE, tags=TAGS, summary="I have my cheque"
)
def acknowledge(cheque_id: Annotated[str, Path()]) -> Cheque:
    _me()
    return payroll().acknowledge(cheque_id, current_caller(router))


app = build_resolver(router)


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
