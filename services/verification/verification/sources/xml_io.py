"""Answer files as XML: the record elements of each kind (``XmlLayout.element``) wherever they
sit under the root, read as a stream (a file of millions of records stays small in memory).
Namespaces are ignored (local names compared), so the same reader serves a bare file and the
body of a SMEV message. A file broken midway keeps the records before the break; the break is
one rejection."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any, cast

from verification.sources.formats import KindFormat, XmlLayout
from verification.sources.records import RowRejection, SourceRecord
from verification.sources.values import F011_TO_SPDUL, Raw, build_record


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _value(element: ET.Element, spec: str) -> str | None:
    path, _, attribute = spec.partition("@")
    path = path.strip("/")
    target = element.find(path) if path else element
    if target is None:
        return None
    return target.get(attribute) if attribute else target.text


def _raw(element: ET.Element, fields: tuple[tuple[str, str], ...], raw: Raw | None = None) -> Raw:
    out: Raw = dict(raw or {})
    for key, spec in fields:
        out[key] = _value(element, spec)
    return out


CHUNK = 1 << 16
NO_DTD = "В XML не допускается объявление DTD (<!DOCTYPE>): такой файл не читается"


def has_dtd(data: bytes) -> bool:
    """A document type declaration (entities: billion laughs, external files) — refused."""
    return b"<!DOCTYPE" in data or b"<!ENTITY" in data


def read_xml(
    stream: IO[bytes],
    source: str,
    kinds: tuple[KindFormat, ...],
    today: date | None = None,
) -> Iterator[SourceRecord | RowRejection]:
    """Records of ``kinds`` in the XML ``stream``, read chunk by chunk. A DTD is refused (the
    prolog is checked before the root element starts; expat never fetches external entities)."""
    today = today or date.today()
    by_tag = {fmt.xml.element: fmt for fmt in kinds}
    parser: ET.XMLPullParser[Any] = ET.XMLPullParser(events=("start", "end"))
    stack: list[ET.Element] = []
    ordinal = 0
    rooted = False
    tail = b""
    try:
        while chunk := stream.read(CHUNK):
            if not rooted and has_dtd(tail + chunk):
                yield RowRejection(0, ((None, NO_DTD),))
                return
            tail = chunk[-16:]
            parser.feed(chunk)
            for event_item in parser.read_events():
                event, item = cast(tuple[str, Any], event_item)
                element = cast(ET.Element, item)
                if event == "start":
                    element.tag = _local(element.tag)
                    rooted = True
                    stack.append(element)
                    continue
                stack.pop()
                fmt = by_tag.get(element.tag)
                if fmt is None:
                    continue
                ordinal += 1
                yield from _records(source, fmt, ordinal, element, today)
                if stack:
                    stack[-1].remove(element)
        parser.close()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else "?"
        message = f"Файл XML повреждён (строка {line}): записи после этого места не прочитаны"
        yield RowRejection(ordinal + 1, ((None, message),))


def _records(
    source: str, fmt: KindFormat, ordinal: int, element: ET.Element, today: date | None
) -> Iterator[SourceRecord | RowRejection]:
    layout = fmt.xml
    base = _raw(element, layout.fields)
    if layout.each is None:
        yield build_record(source, fmt, ordinal, base, today)
        return
    children = element.findall(layout.each)
    if not children:
        yield build_record(source, fmt, ordinal, base, today)  # rejected for the missing period
        return
    for child in children:
        yield build_record(source, fmt, ordinal, _raw(child, layout.each_fields, base), today)


# --- writing (simulators, request and response messages) ---------------------------------


def _text_of(key: str, value: Any, fmt: KindFormat) -> str:
    if isinstance(value, date):
        return value.strftime("%Y-%m") if key == "date_from" and fmt.monthly else value.isoformat()
    if key == "sex":
        return {"male": "1", "female": "2"}.get(value, "")
    if key == "doc_type":
        return F011_TO_SPDUL.get(str(value), str(value))
    return str(value)


def _put(element: ET.Element, spec: str, text: str) -> None:
    path, _, attribute = spec.partition("@")
    target = element
    for tag in [t for t in path.strip("/").split("/") if t]:
        found = target.find(tag)
        target = found if found is not None else ET.SubElement(target, tag)
    if attribute:
        target.set(attribute, text)
    else:
        target.text = text


def _field_value(record: SourceRecord, key: str) -> Any:
    if key.startswith("attr:"):
        return record.attributes.get(key[5:])
    if key == "doc_series_number":
        if not record.doc_number:
            return None
        series = record.doc_series or ""
        if len(series) == 4 and series.isdigit():
            series = f"{series[:2]} {series[2:]}"
        return f"{series} {record.doc_number}".strip()
    return getattr(record, key)


def _fill(
    element: ET.Element, record: SourceRecord, fields: tuple[tuple[str, str], ...], fmt: KindFormat
) -> None:
    for key, spec in fields:
        value = _field_value(record, key)
        if value is not None and value != "":
            _put(element, spec, _text_of(key, value, fmt))


def append_records(
    parent: ET.Element, records: Iterable[SourceRecord], kinds: tuple[KindFormat, ...]
) -> None:
    """Record elements for ``records`` under ``parent``; records of a repeated layout that
    differ only in their repeated part share one element."""
    by_kind = {fmt.kind: fmt for fmt in kinds}
    groups: dict[tuple[Any, ...], ET.Element] = {}
    for record in records:
        fmt = by_kind[record.kind]
        layout: XmlLayout = fmt.xml
        if layout.each is None:
            _fill(ET.SubElement(parent, layout.element), record, layout.fields, fmt)
            continue
        key = (record.kind, *(_field_value(record, k) for k, _ in layout.fields))
        element = groups.get(key)
        if element is None:
            element = groups[key] = ET.SubElement(parent, layout.element)
            _fill(element, record, layout.fields, fmt)
        child = ET.SubElement(element, layout.each)
        _fill(child, record, layout.each_fields, fmt)


def to_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data
