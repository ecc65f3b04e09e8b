"""Queueing reports for МДЛП: the real scheme shapes (521 recipe, 552 withdrawal, 415
move_order with turnover type 2), a report's own key, bad input refused."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.errors import InvalidInput
from pharmacy.marking.trace.documents import Ticket, TicketError, parse, parse_ticket, render_ticket, xml_root
from pharmacy.marking.trace.queue import queue_disposal
from pharmacy.models import Organization, Prescription

SGTIN_A = "04607028393045" + "ABCDEFGHJK123"
SGTIN_B = "04607028393045" + "ABCDEFGHJK124"


def prescription() -> Prescription:
    return Prescription(
        id=uuid.uuid4(), series="7701-01", number=123, issued_on=date(2026, 11, 2), form="148-1/у-04(л)"
    )


async def test_dispense_report_is_a_521_recipe(session: AsyncSession) -> None:
    pharmacy = uuid.uuid4()
    session.add(Organization(id=pharmacy, name="Аптека №1", kind="pharmacy", code="990101"))
    await session.flush()
    at = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    report = await queue_disposal(
        session,
        operation="dispense_by_prescription",
        pharmacy_id=pharmacy,
        sgtins=[SGTIN_A, SGTIN_B, SGTIN_A],
        prescription=prescription(),
        operation_date=at,
    )
    assert report.status == "queued" and report.attempts == 0
    assert report.idempotency_key.startswith("dispense_by_prescription-")
    assert report.sgtins == [SGTIN_A, SGTIN_B]
    root = xml_root(report.document)
    assert root.tag == "documents" and root.get("version") == "1.34"
    recipe = root.find("recipe")
    assert recipe is not None and recipe.get("action_id") == "521"
    assert [c.tag for c in recipe] == [
        "subject_id",
        "operation_date",
        "doc_date",
        "doc_series",
        "doc_num",
        "order_details",
    ]
    assert recipe.findtext("subject_id") == "00000000990101"
    assert recipe.findtext("operation_date") == "2026-11-20T10:30:00+00:00"
    assert recipe.findtext("doc_date") == "02.11.2026"
    assert recipe.findtext("doc_series") == "7701-01"
    assert recipe.findtext("doc_num") == "123"
    assert [u.findtext("sgtin") for u in recipe.iter("union")] == [SGTIN_A, SGTIN_B]
    assert parse(report.document).sgtins == [SGTIN_A, SGTIN_B]


async def test_write_off_is_a_552_withdrawal_with_its_type(session: AsyncSession) -> None:
    report = await queue_disposal(
        session,
        operation="write_off",
        pharmacy_id=uuid.uuid4(),
        sgtins=[SGTIN_A],
        reason="theft",
        document_number="АКТ-7",
    )
    body = xml_root(report.document).find("withdrawal")
    assert body is not None and body.get("action_id") == "552"
    assert body.findtext("withdrawal_type") == "21"
    assert body.findtext("doc_num") == "АКТ-7"
    assert len(body.findtext("subject_id") or "") == 14
    other = await queue_disposal(
        session, operation="write_off", pharmacy_id=uuid.uuid4(), sgtins=[SGTIN_B], reason="expired"
    )
    assert xml_root(other.document).findtext("withdrawal/withdrawal_type") == "13"
    assert other.idempotency_key != report.idempotency_key


async def test_return_is_a_415_move_order_with_prices(session: AsyncSession) -> None:
    supplier = uuid.uuid4()
    session.add(Organization(id=supplier, name="Склад", kind="warehouse", code="990001"))
    await session.flush()
    report = await queue_disposal(
        session,
        operation="return",
        pharmacy_id=uuid.uuid4(),
        sgtins=[SGTIN_A],
        counterparty_id=supplier,
        document_number="ВОЗ-1",
    )
    body = xml_root(report.document).find("move_order")
    assert body is not None and body.get("action_id") == "415"
    assert body.findtext("receiver_id") == "00000000990001"
    assert body.findtext("turnover_type") == "2"
    assert body.findtext("order_details/union/sgtin") == SGTIN_A


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"operation": "sale", "sgtins": [SGTIN_A]}, "operation"),
        ({"operation": "write_off", "sgtins": []}, "sgtins"),
        ({"operation": "write_off", "sgtins": ["123"]}, "sgtins"),
        ({"operation": "dispense_by_prescription", "sgtins": [SGTIN_A]}, "prescription"),
        ({"operation": "return", "sgtins": [SGTIN_A]}, "counterparty_id"),
    ],
)
async def test_bad_input_is_refused(session: AsyncSession, kwargs: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        await queue_disposal(session, pharmacy_id=uuid.uuid4(), **kwargs)
    assert caught.value.field == field


def test_ticket_round_trip() -> None:
    ticket = Ticket(
        operation_id="op-1",
        result="Rejected",
        accept_time=datetime(2026, 11, 20, tzinfo=UTC),
        errors=[TicketError("sgtin-disposed", "Код уже выбыл", SGTIN_A)],
    )
    back = parse_ticket(render_ticket(ticket, "Отпуск по льготному рецепту"))
    assert back == ticket
