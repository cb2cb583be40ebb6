"""Where another app takes part in a house case's life, without housing importing it.

The donations app pays a case's Fund-for-the-Poor part when its construction starts, and lists
the money paid for a case on the case's page; housing knows neither its models nor its services
(donations imports housing, so housing importing donations would be a cycle). An app registers
its callables in its AppConfig.ready(), by name (registering again under a name replaces):

    from housing.hooks import register_case_payments, register_construction_start

    register_construction_start("donations", case_construction_pay)
    register_case_payments("donations", case_payments)

A construction-start hook is called by `housing.services.case_advance` inside its transaction,
once the case is under construction with its start date: a ValidationError it raises refuses the
step (the case stays where it was, nothing of the step is written) and is shown on the step's form,
or answered 400 by the API, like any other refusal of the step.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CasePayment:
    """Money paid for a case, as its page lists it: ``amount`` whole đồng out of ``source`` (a
    fund's name) on ``day``; ``reversed`` when the payment was corrected away since."""

    day: date
    source: str
    amount: int
    description: str = ""
    reversed: bool = False


# hook(*, actor, case) -> None; may raise ValidationError or PermissionDenied.
ConstructionStartHook = Callable[..., None]
# reader(*, case, user) -> the payments for ``case`` that ``user`` (who sees the case) is shown.
CasePaymentsReader = Callable[..., Iterable[CasePayment]]

_construction_start: dict[str, ConstructionStartHook] = {}
_case_payments: dict[str, CasePaymentsReader] = {}


def register_construction_start(name: str, hook: ConstructionStartHook) -> None:
    _construction_start[name] = hook


def unregister_construction_start(name: str) -> None:
    _construction_start.pop(name, None)


def register_case_payments(name: str, reader: CasePaymentsReader) -> None:
    _case_payments[name] = reader


def unregister_case_payments(name: str) -> None:
    _case_payments.pop(name, None)


def construction_started(*, actor, case) -> None:
    """Run every construction-start hook for ``case`` (see the module's docstring)."""
    for hook in _construction_start.values():
        hook(actor=actor, case=case)


def case_payments(*, case, user) -> list[CasePayment]:
    """The money paid for ``case``, from every registered reader, oldest first."""
    payments = [payment for reader in _case_payments.values() for payment in reader(case=case, user=user)]
    return sorted(payments, key=lambda payment: payment.day)
