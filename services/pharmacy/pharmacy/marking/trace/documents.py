"""The XML documents of the national track-and-trace system for drugs (ИС «Маркировка», МДЛП)
that a pharmacy sends when packages leave circulation, and the system's answer (квитанция).

Shapes follow the МДЛП XSD set (``documents.xsd`` v1.34 and its per-scheme files, as published
by the operator ЦРПТ and mirrored in public clients, see docs/formats.md «Аптека: сведения в
МДЛП»):

- 521 ``recipe`` — отпуск по льготному рецепту: ``subject_id``, ``operation_date``, ``doc_date``
  (дата рецепта), ``doc_series``, ``doc_num``, ``order_details/union/sgtin``;
- 552 ``withdrawal`` — вывод из оборота по иным причинам (списание): ``subject_id``,
  ``operation_date``, ``doc_num``, ``doc_date``, ``withdrawal_type``, ``order_details/sgtin``;
- 415 ``move_order`` with ``turnover_type`` 2 — отгрузка с возвратом поставщику: ``subject_id``,
  ``receiver_id``, ``operation_date``, ``doc_num``, ``doc_date``, ``turnover_type``, ``source``,
  ``contract_type``, ``order_details/union`` (``sgtin``, ``cost``, ``vat_value``);
- 200 ``result`` — the answer: ``operation``, ``operation_id``, ``operation_result``
  (Accepted / Rejected / Partial), ``errors`` (``error_code``, ``error_desc``, ``object_id``).

Dates: ``operation_date`` is an xs:dateTime with its zone, ``doc_date`` is ДД.ММ.ГГГГ."""

from __future__ import annotations

import hashlib
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

FORMAT_VERSION = "1.34"

# operation (ours) → (action_id, root element of the scheme)
SCHEMES: dict[str, tuple[int, str]] = {
    "dispense_by_prescription": (521, "recipe"),
    "write_off": (552, "withdrawal"),
    "return": (415, "move_order"),
}
OPERATIONS = tuple(SCHEMES)

# withdrawal_type (552) by the write-off reason of a stock movement; anything else is
# «13 – списание без передачи на уничтожение».
WITHDRAWAL_TYPES: dict[str, int] = {
    "shortage": 11,  # недостача
    "inventory": 11,
    "theft": 21,  # хищение
    "defect": 15,  # производственный брак
    "incomplete_package": 16,  # списание разукомплектованной потребительской упаковки
    "sampling": 6,  # выборочный контроль
}
WITHDRAWAL_DEFAULT = 13

SOURCE = {"federal": 2, "regional": 3}  # source_type: 2 — федеральный, 3 — региональный бюджет
CONTRACT_STATE_SUPPLY = 6  # contract_type_enum: 6 — государственное лекарственное обеспечение
TURNOVER_RETURN = 2  # turnover_type_enum: 2 — возврат
VAT_DRUGS = Decimal("0.10")  # НДС на лекарственные препараты

# the reason a document is not built, as the report's error shows it
NEEDS_PRESCRIPTION = "для отпуска по льготному рецепту (521) нужны дата и номер рецепта"

SGTIN = re.compile(r"^\d{14}[A-Za-z0-9]{13}$")
SUBJECT = re.compile(r"^\d{14}$")


def subject_id_of(code: str | None, organization_id: uuid.UUID) -> str:
    """The 14-digit МДЛП identifier of a place of activity. The registry gives it to each
    licensed address; we have no copy of that registry, so a pharmacy's own numeric code padded
    to 14 digits stands for it (a stable digest of its id when the code is not numeric)."""
    if code and code.isdigit() and len(code) <= 14:
        return code.zfill(14)
    digest = int(hashlib.sha256(organization_id.bytes).hexdigest(), 16)
    return f"{digest % 10**14:014d}"


def ru_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def iso_datetime(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("у даты операции (operation_date) не указан часовой пояс")
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class PackageLine:
    sgtin: str
    cost: Decimal | None = None  # per package with VAT (415 only)


@dataclass(frozen=True)
class DisposalDocument:
    operation: str
    subject_id: str
    operation_date: datetime
    lines: list[PackageLine]
    doc_num: str | None = None
    doc_date: date | None = None
    doc_series: str | None = None  # 521: серия рецепта
    withdrawal_type: int | None = None  # 552
    receiver_id: str | None = None  # 415
    source: int | None = None  # 415
    contract_type: int = CONTRACT_STATE_SUPPLY


def _sub(parent: ET.Element, name: str, text: object) -> ET.Element:
    element = ET.SubElement(parent, name)
    element.text = str(text)
    return element


def vat_of(cost: Decimal) -> Decimal:
    """The VAT inside a price that includes 10 % VAT."""
    return (cost * VAT_DRUGS / (1 + VAT_DRUGS)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def render(doc: DisposalDocument) -> str:
    """The document as UTF-8 XML text (``<documents version="1.34"><recipe action_id="521">…``)."""
    if doc.operation not in SCHEMES:
        raise ValueError(f"неизвестная операция для МДЛП: {doc.operation!r}")
    if not SUBJECT.match(doc.subject_id):
        raise ValueError(f"идентификатор места деятельности (subject_id) {doc.subject_id!r} — не 14 цифр")
    if not doc.lines:
        raise ValueError("в документе нет ни одной упаковки")
    seen: set[str] = set()
    for line in doc.lines:
        if not SGTIN.match(line.sgtin):
            raise ValueError(
                f"{line.sgtin!r} — не код маркировки SGTIN (14 цифр GTIN и 13 знаков серийного номера)"
            )
        if line.sgtin in seen:
            raise ValueError(f"код маркировки {line.sgtin} указан в документе дважды")
        seen.add(line.sgtin)
    if doc.operation == "dispense_by_prescription":
        if doc.doc_date is None or not doc.doc_num:
            raise ValueError(NEEDS_PRESCRIPTION)
        return _recipe_text(doc)
    return render_tree(doc)


def _recipe_text(doc: DisposalDocument) -> str:
    """The 521 document (every dispense writes one) from a template: the same text as
    :func:`render_tree` builds through ElementTree (a test holds them equal), at a fraction of
    the cost."""
    assert doc.doc_date is not None and doc.doc_num is not None
    series = f"    <doc_series>{escape(doc.doc_series)}</doc_series>\n" if doc.doc_series else ""
    unions = "".join(
        f"      <union>\n        <sgtin>{escape(line.sgtin)}</sgtin>\n      </union>\n" for line in doc.lines
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<documents version="{FORMAT_VERSION}">\n'
        f'  <recipe action_id="{SCHEMES[doc.operation][0]}">\n'
        f"    <subject_id>{escape(doc.subject_id)}</subject_id>\n"
        f"    <operation_date>{escape(iso_datetime(doc.operation_date))}</operation_date>\n"
        f"    <doc_date>{ru_date(doc.doc_date)}</doc_date>\n"
        f"{series}"
        f"    <doc_num>{escape(doc.doc_num)}</doc_num>\n"
        f"    <order_details>\n{unions}    </order_details>\n"
        "  </recipe>\n"
        "</documents>\n"
    )


def render_tree(doc: DisposalDocument) -> str:
    """:func:`render` through ElementTree (every operation; ``render`` takes the 521 template)."""
    action_id, root_name = SCHEMES[doc.operation]
    root = ET.Element("documents", {"version": FORMAT_VERSION})
    body = ET.SubElement(root, root_name, {"action_id": str(action_id)})
    _sub(body, "subject_id", doc.subject_id)
    if doc.operation == "dispense_by_prescription":
        if doc.doc_date is None or not doc.doc_num:
            raise ValueError(NEEDS_PRESCRIPTION)
        _sub(body, "operation_date", iso_datetime(doc.operation_date))
        _sub(body, "doc_date", ru_date(doc.doc_date))
        if doc.doc_series:
            _sub(body, "doc_series", doc.doc_series)
        _sub(body, "doc_num", doc.doc_num)
        details = ET.SubElement(body, "order_details")
        for line in doc.lines:
            union = ET.SubElement(details, "union")
            _sub(union, "sgtin", line.sgtin)
    elif doc.operation == "write_off":
        _sub(body, "operation_date", iso_datetime(doc.operation_date))
        if doc.doc_num:
            _sub(body, "doc_num", doc.doc_num)
        if doc.doc_date:
            _sub(body, "doc_date", ru_date(doc.doc_date))
        _sub(body, "withdrawal_type", doc.withdrawal_type or WITHDRAWAL_DEFAULT)
        details = ET.SubElement(body, "order_details")
        for line in doc.lines:
            _sub(details, "sgtin", line.sgtin)
    else:  # return: 415 move_order, turnover_type 2
        if not doc.receiver_id or not SUBJECT.match(doc.receiver_id):
            raise ValueError(
                "для возврата поставщику (415) нужен 14-значный идентификатор получателя (receiver_id)"
            )
        if doc.doc_date is None or not doc.doc_num:
            raise ValueError("для возврата поставщику (415) нужны номер и дата документа отгрузки")
        _sub(body, "receiver_id", doc.receiver_id)
        _sub(body, "operation_date", iso_datetime(doc.operation_date))
        _sub(body, "doc_num", doc.doc_num)
        _sub(body, "doc_date", ru_date(doc.doc_date))
        _sub(body, "turnover_type", TURNOVER_RETURN)
        _sub(body, "source", doc.source or SOURCE["federal"])
        _sub(body, "contract_type", doc.contract_type)
        details = ET.SubElement(body, "order_details")
        for line in doc.lines:
            cost = line.cost if line.cost is not None else Decimal("0.00")
            union = ET.SubElement(details, "union")
            _sub(union, "sgtin", line.sgtin)
            _sub(union, "cost", f"{cost:.2f}")
            _sub(union, "vat_value", f"{vat_of(cost):.2f}")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@dataclass(frozen=True)
class ParsedDocument:
    action_id: int
    scheme: str
    subject_id: str
    sgtins: list[str]


def xml_root(text: str) -> ET.Element:
    """Parse XML that came from outside: a DTD (and with it any entity expansion) is refused."""
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ValueError("в XML не допускается DTD (<!DOCTYPE>, <!ENTITY>)")
    try:
        return ET.fromstring(text)  # noqa: S314 (no DTD: refused above)
    except ET.ParseError as exc:
        line, column = exc.position
        raise ValueError(f"XML составлен с ошибкой: строка {line}, позиция {column + 1}") from exc


def parse(text: str) -> ParsedDocument:
    """What the receiving side reads from a document (the simulator, tests)."""
    root = xml_root(text)
    if root.tag != "documents" or not root.get("version") or len(root) != 1:
        raise ValueError("корневой элемент должен быть <documents version=…> с одним документом внутри")
    body = root[0]
    action = body.get("action_id")
    if action is None or not action.isdigit():
        raise ValueError("у документа нет номера схемы (action_id)")
    subject = body.findtext("subject_id") or ""
    details = body.find("order_details")
    sgtins = [] if details is None else [e.text or "" for e in details.iter("sgtin")]
    return ParsedDocument(int(action), body.tag, subject, sgtins)


@dataclass(frozen=True)
class TicketError:
    code: str
    description: str
    object_id: str | None = None


@dataclass(frozen=True)
class Ticket:
    """The 200 ``result`` answer to a document."""

    operation_id: str
    result: str  # Accepted | Rejected | Partial
    accept_time: datetime | None
    errors: list[TicketError] = field(default_factory=list)
    comment: str | None = None


def render_ticket(ticket: Ticket, operation: str) -> str:
    root = ET.Element("documents", {"version": FORMAT_VERSION})
    attrs = {"action_id": "200"}
    if ticket.accept_time is not None:
        attrs["accept_time"] = ticket.accept_time.isoformat(timespec="seconds")
    body = ET.SubElement(root, "result", attrs)
    _sub(body, "operation", operation)
    _sub(body, "operation_id", ticket.operation_id)
    _sub(body, "operation_result", ticket.result)
    if ticket.comment:
        _sub(body, "operation_comment", ticket.comment)
    for err in ticket.errors:
        errors = ET.SubElement(body, "errors")
        _sub(errors, "error_code", err.code)
        _sub(errors, "error_desc", err.description)
        if err.object_id:
            _sub(errors, "object_id", err.object_id)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def parse_ticket(text: str) -> Ticket:
    root = xml_root(text)
    body = root.find("result") if root.tag == "documents" else root
    if body is None or body.tag != "result":
        raise ValueError("это не квитанция (нет документа 200 <result>)")
    result = body.findtext("operation_result") or ""
    if result not in {"Accepted", "Rejected", "Partial"}:
        raise ValueError(f"неизвестный результат обработки (operation_result): {result!r}")
    accept = body.get("accept_time")
    errors = [
        TicketError(e.findtext("error_code") or "", e.findtext("error_desc") or "", e.findtext("object_id"))
        for e in body.findall("errors")
    ]
    return Ticket(
        operation_id=body.findtext("operation_id") or "",
        result=result,
        accept_time=datetime.fromisoformat(accept) if accept else None,
        errors=errors,
        comment=body.findtext("operation_comment"),
    )
