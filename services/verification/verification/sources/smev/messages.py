"""SMEV-style messages: the request (persons to check) and the response (the facts found).

The envelope follows SMEV 3 («Методические рекомендации по работе с ЕСМЭВ» 3.x): the consumer's
``SenderProvidedRequestData`` carries the ``MessageID`` (a UUID the consumer generates) and the
business content in ``MessagePrimaryContent``; the provider's answer carries its own
``MessageID`` and the id of the request it answers (``OriginalMessageId``). Simplified here:
no signature (``CallerInformationSystemSignature``), no namespaces, one business element per
message (``ЗапросСведений`` / ``ОтветНаЗапрос``) whose records use the same layouts as the
source's answer files."""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO

from verification.linkage.records import PersonRecord
from verification.sources.formats import KindFormat
from verification.sources.records import RowRejection, SourceRecord
from verification.sources.values import parse_date
from verification.sources.xml_io import append_records, has_dtd, read_xml, to_bytes


class MessageError(ValueError):
    """A message that is not a request/response of this protocol."""


@dataclass(frozen=True)
class RequestMessage:
    message_id: uuid.UUID
    source: str
    kinds: tuple[str, ...]
    persons: tuple[PersonRecord, ...]


@dataclass(frozen=True)
class ResponseMessage:
    message_id: uuid.UUID
    reference_message_id: uuid.UUID
    source: str
    items: tuple[SourceRecord | RowRejection, ...]


_PERSON = (
    ("surname", "ФИО@Фамилия"),
    ("first_name", "ФИО@Имя"),
    ("patronymic", "ФИО@Отчество"),
    ("birth_date", "@ДатаРожд"),
    ("sex", "@Пол"),
    ("snils", "@СНИЛС"),
    ("enp", "@ЕНП"),
    ("inn", "@ИННФЛ"),
    ("doc_type", "УдЛичнФЛ@КодВидДок"),
    ("doc_series", "УдЛичнФЛ@Серия"),
    ("doc_number", "УдЛичнФЛ@Номер"),
)


def _set(element: ET.Element, spec: str, value: str) -> None:
    path, _, attribute = spec.partition("@")
    target = element
    if path:
        found = element.find(path)
        target = found if found is not None else ET.SubElement(element, path)
    target.set(attribute, value)


def request_xml(
    source: str, service: str, kinds: tuple[str, ...], persons: Sequence[PersonRecord], message_id: uuid.UUID
) -> bytes:
    root = ET.Element("SenderProvidedRequestData")
    ET.SubElement(root, "MessageID").text = str(message_id)
    content = ET.SubElement(root, "MessagePrimaryContent")
    request = ET.SubElement(
        content, "ЗапросСведений", {"КодИсточника": source, "ВидСведений": service, "Виды": " ".join(kinds)}
    )
    for person in persons:
        element = ET.SubElement(request, "Лицо", {"Ид": person.unique_id})
        for key, spec in _PERSON:
            value = getattr(person, key)
            if value is None or value == "":
                continue
            if isinstance(value, date):
                text = value.isoformat()
            elif key == "sex":
                text = {"male": "1", "female": "2"}.get(value, "")
            else:
                text = str(value)
            _set(element, spec, text)
    return to_bytes(root)


def _find_text(root: ET.Element, tag: str) -> str | None:
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == tag:
            return (element.text or "").strip()
    return None


def _uuid(text: str | None, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text or "")
    except ValueError as exc:
        raise MessageError(f"В сообщении нет {what}") from exc


def _parse(payload: bytes | IO[bytes]) -> ET.Element:
    try:
        data = payload if isinstance(payload, bytes) else payload.read()
        if has_dtd(data):
            raise MessageError("В сообщении не допускается объявление DTD")
        root = ET.fromstring(data)  # noqa: S314 - DTDs refused above; expat fetches no external entities
    except ET.ParseError as exc:
        raise MessageError(f"Сообщение не разобрано как XML: {exc}") from exc
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]
    return root


def read_request(payload: bytes) -> RequestMessage:
    root = _parse(payload)
    message_id = _uuid(_find_text(root, "MessageID"), "идентификатора сообщения (MessageID)")
    request = root.find(".//ЗапросСведений")
    if request is None:
        raise MessageError("В сообщении нет элемента ЗапросСведений")
    persons = []
    for element in request.findall("Лицо"):
        values: dict[str, str | None] = {}
        for key, spec in _PERSON:
            path, _, attribute = spec.partition("@")
            target = element.find(path) if path else element
            values[key] = target.get(attribute) if target is not None else None
        birth = parse_date(values["birth_date"]) if values["birth_date"] else None
        sex = {"1": "male", "2": "female"}.get(values["sex"] or "")
        persons.append(
            PersonRecord(
                unique_id=element.get("Ид", ""),
                surname=values["surname"],
                first_name=values["first_name"],
                patronymic=values["patronymic"],
                birth_date=birth,
                sex=sex,
                snils=values["snils"],
                enp=values["enp"],
                doc_type=values["doc_type"],
                doc_series=values["doc_series"],
                doc_number=values["doc_number"],
                inn=values["inn"],
            )
        )
    return RequestMessage(
        message_id=message_id,
        source=request.get("КодИсточника", ""),
        kinds=tuple((request.get("Виды") or "").split()),
        persons=tuple(persons),
    )


def response_xml(
    source: str,
    message_id: uuid.UUID,
    reference_message_id: uuid.UUID,
    records: Iterable[SourceRecord],
    kinds: tuple[KindFormat, ...],
) -> bytes:
    root = ET.Element("Response")
    ET.SubElement(root, "OriginalMessageId").text = str(reference_message_id)
    data = ET.SubElement(root, "SenderProvidedResponseData")
    ET.SubElement(data, "MessageID").text = str(message_id)
    content = ET.SubElement(data, "MessagePrimaryContent")
    answer = ET.SubElement(content, "ОтветНаЗапрос", {"КодИсточника": source})
    append_records(answer, records, kinds)
    return to_bytes(root)


def read_response(
    stream: io.BytesIO, source: str, kinds: tuple[KindFormat, ...], today: date | None = None
) -> ResponseMessage:
    root = _parse(stream.getvalue())
    message_id = _uuid(_find_text(root, "MessageID"), "идентификатора ответа (MessageID)")
    reference = _uuid(_find_text(root, "OriginalMessageId"), "идентификатора запроса (OriginalMessageId)")
    answer = root.find(".//ОтветНаЗапрос")
    if answer is None:
        raise MessageError("В сообщении нет элемента ОтветНаЗапрос")
    if answer.get("КодИсточника") not in (None, source):
        raise MessageError(f"Ответ другого источника: {answer.get('КодИсточника')}")
    stream.seek(0)
    items = tuple(read_xml(stream, source, kinds, today))
    return ResponseMessage(message_id=message_id, reference_message_id=reference, source=source, items=items)
