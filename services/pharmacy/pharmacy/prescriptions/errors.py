"""A refused issue as one RFC 7807 problem listing EVERY failed check: ``errors`` is
``[{field, message, type}]`` with ``field`` the request field at fault (``body.category_code``,
``body.drug_id``, ``body.quantity``…) and ``type`` the check's code (``not_entitled``,
``not_on_drug_list``, ``nsi_invalid``, ``diagnosis_not_covered``, ``person_dead``…);
``detail`` joins the messages. Nothing is written when an issue is refused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from oms_kit.errors import Conflict, InvalidInput, problem_response

# Check codes (stable names the SPA and the tests use).
UNKNOWN_MO = "unknown_mo"
UNKNOWN_CATEGORY = "unknown_category"
UNKNOWN_DRUG = "unknown_drug"
DRUG_MISSING = "drug_missing"
NSI_INVALID = "nsi_invalid"
NOT_ON_DRUG_LIST = "not_on_drug_list"
QUANTITY = "quantity_not_positive"
VALIDITY_BASIS = "validity_basis"
NOT_REGISTERED = "not_registered"
PERSON_DEAD = "person_dead"
NOT_ENTITLED = "not_entitled"
DIAGNOSIS_NOT_COVERED = "diagnosis_not_covered"
PHARMACY_NOT_ATTACHED = "pharmacy_not_attached"
MISSING_FIELDS = "missing_fields"


@dataclass(frozen=True, slots=True)
class Check:
    """A failed check: its ``code``, the request ``field`` at fault and the Russian message."""

    code: str
    field: str
    message: str

    def as_error(self) -> dict[str, Any]:
        """The entry of the problem's ``errors``: a request body field as ``body.<name>`` (as
        validation errors name it, so a form shows the message at its input)."""
        field = self.field if self.field == "mo" else f"body.{self.field}"
        return {"field": field, "message": self.message, "type": self.code}


class IssueRefused(InvalidInput):
    """422: the checks at issue refused the prescription."""

    code = "prescription-refused"
    title = "Рецепт не выписан: не пройдены проверки"

    def __init__(self, checks: Sequence[Check]) -> None:
        super().__init__("; ".join(c.message for c in checks))
        self.checks = list(checks)


class NotOpen(Conflict):
    """409: the prescription is dispensed or cancelled already."""

    code = "prescription-not-open"
    title = "Рецепт уже не действует"


class NoFreeStock(Conflict):
    """409: the chosen pharmacy has not enough free stock to reserve (nothing is issued)."""

    code = "prescription-no-free-stock"
    title = "Нет свободного остатка для резерва"


async def _on_refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IssueRefused)
    return problem_response(
        exc.status,
        exc.title,
        detail=exc.detail,
        type_=f"urn:oms:problem:{exc.code}",
        request=request,
        errors=[c.as_error() for c in exc.checks],
    )


def install(app: FastAPI) -> FastAPI:
    """Render refused issues with all their checks."""
    app.add_exception_handler(IssueRefused, _on_refused)
    return app
