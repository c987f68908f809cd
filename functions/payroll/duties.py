"""Segregation of duties over a cheque's custody: who may release a cheque once it exists on paper.

One rule for every step that puts a cheque in someone's hands or decides whose it is (hand-over,
mail, link to an employee, reissue): the person who received the printed bundle does not also
release its cheques, and the person who linked a cheque to an employee does not also hand it out.
An office of one turns the rule off with the template's `SeparateHandover=false`.
"""

from __future__ import annotations

from core.errors import Conflict
from core.i18n import N_, Word
from payroll.model import Cheque, PayRun

CUSTODY_STEPS = {"handover": N_("hand out"), "mail": N_("mail"), "link": N_("link"), "reissue": N_("reissue")}


def linked_by(cheque: Cheque) -> str | None:
    """Who matched this cheque to an employee, if a person did."""
    return next((step.by for step in reversed(cheque.history) if "employee_id" in step.detail), None)


def check(run: PayRun, cheque: Cheque, step: str, actor: str) -> None:
    """Refuse (409) a custody step that the rule keeps from this actor."""
    verb = CUSTODY_STEPS[step]
    if run.received_by == actor:
        raise Conflict(
            N_("the person who received the bundle may not {step} its cheques; ask a colleague"),
            step=Word(verb),
            slug="segregation-of-duties",
        )
    if step in ("handover", "mail") and linked_by(cheque) == actor:
        raise Conflict(
            N_("the person who linked cheque {number} to an employee may not also {step} it"),
            number=cheque.cheque_number,
            step=Word(verb),
            slug="segregation-of-duties",
        )
