"""The reasons a document or a ticket is refused are Russian and name the problem: they end up
in a report's error, which the «Отчёты МДЛП» screen shows."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.errors import InvalidInput
from pharmacy.marking.trace.adapters import FileDrop, trace_system
from pharmacy.marking.trace.documents import DisposalDocument, PackageLine, parse, parse_ticket, render
from pharmacy.marking.trace.queue import queue_disposal
from pharmacy.marking.trace.simulator import Simulator

SGTIN = "04607028393045" + "ABCDEFGHJK123"
SUBJECT = "00000000990101"
AT = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)


def document(**changes: object) -> DisposalDocument:
    fields: dict[str, object] = {
        "operation": "write_off",
        "subject_id": SUBJECT,
        "operation_date": AT,
        "lines": [PackageLine(SGTIN)],
    }
    return DisposalDocument(**{**fields, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"operation": "sale"}, "неизвестная операция для МДЛП: 'sale'"),
        ({"subject_id": "99"}, "идентификатор места деятельности (subject_id) '99' — не 14 цифр"),
        ({"lines": []}, "в документе нет ни одной упаковки"),
        ({"lines": [PackageLine("123")]}, "'123' — не код маркировки SGTIN"),
        (
            {"lines": [PackageLine(SGTIN), PackageLine(SGTIN)]},
            f"код маркировки {SGTIN} указан в документе дважды",
        ),
        (
            {"operation_date": datetime(2026, 11, 20)},
            "у даты операции (operation_date) не указан часовой пояс",
        ),
        (
            {"operation": "dispense_by_prescription"},
            "для отпуска по льготному рецепту (521) нужны дата и номер",
        ),
        ({"operation": "return"}, "для возврата поставщику (415) нужен 14-значный идентификатор получателя"),
        (
            {"operation": "return", "receiver_id": "00000000990001"},
            "для возврата поставщику (415) нужны номер и дата документа отгрузки",
        ),
    ],
)
def test_a_document_that_cannot_be_built_says_why(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        render(document(**changes))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('<!DOCTYPE x [<!ENTITY a "b">]><documents/>', "в XML не допускается DTD"),
        ("<documents version='1.34'><recipe>", "XML составлен с ошибкой: строка 1, позиция 35"),
        (
            "<documents version='1.34'/>",
            "корневой элемент должен быть <documents version=…> с одним документом",
        ),
        ("<documents version='1.34'><recipe/></documents>", "у документа нет номера схемы (action_id)"),
    ],
)
def test_a_document_that_cannot_be_read_says_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        parse(text)


def test_a_ticket_that_cannot_be_read_says_why() -> None:
    with pytest.raises(ValueError, match=r"^это не квитанция \(нет документа 200 <result>\)$"):
        parse_ticket("<documents version='1.34'><recipe action_id='521'/></documents>")
    odd = (
        "<documents version='1.34'><result action_id='200'>"
        "<operation_result>Maybe</operation_result></result></documents>"
    )
    with pytest.raises(ValueError, match=r"^неизвестный результат обработки \(operation_result\): 'Maybe'$"):
        parse_ticket(odd)


async def test_the_simulator_rejects_a_broken_document_with_the_reason() -> None:
    sim = Simulator()
    receipt = await sim.submit("<documents version='1.34'/>", "write_off-broken")
    answer = await sim.status(receipt.external_id)
    assert answer.state == "rejected"
    assert [e.description for e in answer.errors] == [
        "Документ не соответствует схеме: корневой элемент должен быть <documents version=…> "
        "с одним документом внутри"
    ]


async def test_the_file_drop_rejects_an_unreadable_ticket_with_the_reason(tmp_path: Path) -> None:
    drop = FileDrop(tmp_path / "out", tmp_path / "in")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "write_off-1.xml").write_text("<documents><result>", encoding="utf-8")
    answer = await drop.status("write_off-1")
    assert answer.state == "rejected"
    assert [e.description for e in answer.errors] == [
        "Квитанция не разобрана: XML составлен с ошибкой: строка 1, позиция 20"
    ]
    with pytest.raises(ValueError, match=r"^ключ '\.\./x' нельзя использовать как имя файла$"):
        await drop.submit("<documents/>", "../x")


def test_an_unknown_adapter_is_named() -> None:
    with pytest.raises(ValueError, match=r"^неизвестный адаптер МДЛП 'post' \(допустимы: simulator, file\)$"):
        trace_system("post", "out", "in")


async def test_a_report_that_cannot_be_built_is_refused_in_russian(session: AsyncSession) -> None:
    with pytest.raises(InvalidInput) as caught:
        await queue_disposal(session, operation="write_off", pharmacy_id=uuid.uuid4(), sgtins=["123"])
    assert caught.value.field == "sgtins"
    assert caught.value.detail.startswith(
        "Сведения для МДЛП не сформированы: '123' — не код маркировки SGTIN"
    )
