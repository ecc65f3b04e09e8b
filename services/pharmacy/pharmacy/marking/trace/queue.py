"""Queue a report of packages leaving circulation for the national track-and-trace system (МДЛП).

Called inside the caller's transaction (a dispense, a write-off, a return): the report row is
written with the document already built and status ``queued``; the sender
(``pharmacy.marking.trace.sender``) delivers it later. Nothing is sent from here, so a
dispense never waits on, nor fails with, the national system."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.errors import InvalidInput
from pharmacy.marking.trace import repository
from pharmacy.marking.trace.documents import (
    OPERATIONS,
    SOURCE,
    WITHDRAWAL_DEFAULT,
    WITHDRAWAL_TYPES,
    DisposalDocument,
    PackageLine,
    render,
    subject_id_of,
)
from pharmacy.models import Prescription
from pharmacy.models.prescription import TraceReport


async def subject_of(session: AsyncSession, organization_id: uuid.UUID) -> str:
    return subject_id_of(await repository.organization_code(session, organization_id), organization_id)


def new_idempotency_key(operation: str) -> str:
    """The report's own key (the ``request_id`` of МДЛП's send): kept for every resend."""
    return f"{operation}-{uuid.uuid4()}"


def dispense_report(
    *,
    pharmacy_id: uuid.UUID,
    pharmacy_code: str | None,
    sgtins: list[str],
    dispense_id: uuid.UUID | None,
    prescription: Prescription,
    at: datetime,
) -> TraceReport:
    """The report of a dispense by prescription (521 ``recipe``) as :func:`queue_disposal`
    builds it, without I/O: the dispense already knows the pharmacy's code and writes the row
    in its own statement. Not added to the session."""
    codes = list(dict.fromkeys(sgtins))
    if not codes:
        raise InvalidInput("В сведениях для МДЛП нет ни одного кода маркировки (SGTIN)", field="sgtins")
    subject = subject_id_of(pharmacy_code, pharmacy_id)
    doc = DisposalDocument(
        operation="dispense_by_prescription",
        subject_id=subject,
        operation_date=at,
        lines=[PackageLine(s) for s in codes],
        doc_date=prescription.issued_on,
        doc_series=prescription.series,
        doc_num=str(prescription.number),
    )
    try:
        xml = render(doc)
    except ValueError as exc:
        raise InvalidInput(f"Сведения для МДЛП не сформированы: {exc}", field="sgtins") from exc
    return TraceReport(
        id=uuid.uuid4(),
        idempotency_key=new_idempotency_key(doc.operation),
        operation=doc.operation,
        pharmacy_id=pharmacy_id,
        dispense_id=dispense_id,
        sgtins=codes,
        document=xml,
        status="queued",
        attempts=0,
        details={"reason": None, "prescription_id": str(prescription.id), "subject_id": subject},
    )


async def queue_disposal(
    session: AsyncSession,
    *,
    operation: str,
    pharmacy_id: uuid.UUID,
    sgtins: list[str],
    dispense_id: uuid.UUID | None = None,
    prescription: Prescription | None = None,
    reason: str | None = None,
    counterparty_id: uuid.UUID | None = None,
    document_number: str | None = None,
    operation_date: datetime | None = None,
) -> TraceReport:
    """Build the МДЛП document and queue it.

    ``operation``: ``dispense_by_prescription`` (521 ``recipe``; needs ``prescription``),
    ``write_off`` (552 ``withdrawal``; ``reason`` picks the withdrawal type) or ``return`` (415
    ``move_order`` with turnover type «возврат»; the supplier from ``counterparty_id`` or the
    return movement booked for these packages). ``sgtins``: the packages (27 characters
    each). The report gets its own idempotency key and status ``queued``."""
    if operation not in OPERATIONS:
        raise InvalidInput(
            f"Неизвестная операция для МДЛП: {operation}. Допустимы: {', '.join(OPERATIONS)}",
            field="operation",
        )
    codes = list(dict.fromkeys(sgtins))
    if not codes:
        raise InvalidInput("В сведениях для МДЛП нет ни одного кода маркировки (SGTIN)", field="sgtins")
    moment = operation_date or datetime.now(UTC)
    if operation == "dispense_by_prescription":
        if prescription is None:
            raise InvalidInput(
                "Для сведений об отпуске по льготному рецепту нужен рецепт", field="prescription"
            )
        if dispense_id is not None and operation_date is None:
            moment = await repository.dispensed_at(session, dispense_id) or moment
        code = await repository.organization_code(session, pharmacy_id)
        report = dispense_report(
            pharmacy_id=pharmacy_id,
            pharmacy_code=code,
            sgtins=codes,
            dispense_id=dispense_id,
            prescription=prescription,
            at=moment,
        )
        report.details = {**(report.details or {}), "reason": reason}
        await repository.add_report(session, report)
        return report
    subject = await subject_of(session, pharmacy_id)
    if operation == "write_off":
        doc = DisposalDocument(
            operation=operation,
            subject_id=subject,
            operation_date=moment,
            lines=[PackageLine(s) for s in codes],
            doc_num=document_number,
            doc_date=moment.date() if document_number else None,
            withdrawal_type=WITHDRAWAL_TYPES.get(reason or "", WITHDRAWAL_DEFAULT),
        )
    else:
        receiver, number, source = await _return_details(session, pharmacy_id, codes, counterparty_id)
        prices = await repository.unit_prices(session, codes)
        doc = DisposalDocument(
            operation=operation,
            subject_id=subject,
            operation_date=moment,
            lines=[PackageLine(s, prices.get(s)) for s in codes],
            receiver_id=await subject_of(session, receiver),
            doc_num=document_number or number or f"ВОЗВ-{moment:%Y%m%d}-{uuid.uuid4().hex[:6]}",
            doc_date=moment.date() if isinstance(moment, datetime) else date.today(),
            source=source,
        )
    try:
        xml = render(doc)
    except ValueError as exc:
        raise InvalidInput(f"Сведения для МДЛП не сформированы: {exc}", field="sgtins") from exc
    report = TraceReport(
        id=uuid.uuid4(),
        idempotency_key=new_idempotency_key(operation),
        operation=operation,
        pharmacy_id=pharmacy_id,
        dispense_id=dispense_id,
        sgtins=codes,
        document=xml,
        status="queued",
        attempts=0,
        details={
            "reason": reason,
            "prescription_id": str(prescription.id) if prescription is not None else None,
            "subject_id": subject,
        },
    )
    await repository.add_report(session, report)
    return report


async def _return_details(
    session: AsyncSession, pharmacy_id: uuid.UUID, sgtins: list[str], counterparty_id: uuid.UUID | None
) -> tuple[uuid.UUID, str | None, int]:
    """The supplier, the document number and the funding source of a return: given, or from the
    return movement that moved these packages."""
    movement = await repository.last_return_of(session, pharmacy_id, sgtins)
    receiver = counterparty_id or (movement.counterparty_id if movement is not None else None)
    if receiver is None:
        raise InvalidInput(
            "Для сведений о возврате поставщику нужен поставщик (контрагент)", field="counterparty_id"
        )
    funding = await repository.funding_source_of(session, sgtins[0])
    return receiver, movement.document if movement is not None else None, SOURCE.get(funding or "", 2)
