"""The one interface every source implements (``SourceAdapter``) and the implementation the
five government sources share (``GovernmentSource``: a source is its code, name, kinds with
their file layouts, and the names of its SMEV messages).

Two ways an answer arrives:

- a batch answer file (CSV or XML) uploaded by an operator → ``read_answer_file``;
- SMEV-style: ``request_message`` (the persons to check) is sent through a transport, the
  answer arrives later as a message → ``read_response_message``.

The simulators use the writing half (``write_answer_file``, ``read_request_message``,
``response_message``) to answer as a source would."""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Protocol

from verification.linkage.records import PersonRecord
from verification.sources.csv_io import read_csv, write_csv
from verification.sources.formats import KindFormat
from verification.sources.records import RowRejection, SourceRecord
from verification.sources.smev.messages import (
    RequestMessage,
    ResponseMessage,
    read_request,
    read_response,
    request_xml,
    response_xml,
)
from verification.sources.xml_io import read_xml

CSV = "text/csv"
XML = "application/xml"
MEDIA_TYPES = (CSV, XML, "text/xml")


class UnsupportedFormat(ValueError):
    """The answer is neither CSV nor XML."""


def base_media_type(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


class SourceAdapter(Protocol):
    """What the verification run knows of a source."""

    @property
    def code(self) -> str: ...  # fns | sfr | zags | mvd | military

    @property
    def name(self) -> str: ...  # Russian, for users

    @property
    def kinds(self) -> tuple[KindFormat, ...]: ...

    @property
    def kind_codes(self) -> tuple[str, ...]: ...

    def read_answer_file(
        self, stream: IO[bytes], media_type: str, *, today: date | None = None
    ) -> Iterator[SourceRecord | RowRejection]: ...

    def write_answer_file(self, records: Iterable[SourceRecord], media_type: str) -> bytes: ...

    def request_message(
        self, persons: Sequence[PersonRecord], message_id: uuid.UUID, *, kinds: Sequence[str] | None = None
    ) -> bytes: ...

    def read_request_message(self, payload: bytes) -> RequestMessage: ...

    def response_message(
        self, message_id: uuid.UUID, reference_message_id: uuid.UUID, records: Iterable[SourceRecord]
    ) -> bytes: ...

    def read_response_message(self, payload: bytes, *, today: date | None = None) -> ResponseMessage: ...


@dataclass(frozen=True)
class GovernmentSource:
    code: str
    name: str
    kinds: tuple[KindFormat, ...]
    file_root: str  # the root element of an XML answer file
    service: str  # the SMEV «вид сведений» the requests are addressed to (Russian title)

    @property
    def kind_codes(self) -> tuple[str, ...]:
        return tuple(fmt.kind for fmt in self.kinds)

    def kind(self, code: str) -> KindFormat:
        return next(fmt for fmt in self.kinds if fmt.kind == code)

    def read_answer_file(
        self, stream: IO[bytes], media_type: str, *, today: date | None = None
    ) -> Iterator[SourceRecord | RowRejection]:
        base = base_media_type(media_type)
        if base == CSV:
            return read_csv(stream, media_type, self.code, self.kinds, today)
        if base in (XML, "text/xml"):
            return read_xml(stream, self.code, self.kinds, today)
        raise UnsupportedFormat(f"Файл ответа должен быть CSV или XML, а не {base}")

    def write_answer_file(self, records: Iterable[SourceRecord], media_type: str) -> bytes:
        base = base_media_type(media_type)
        if base == CSV:
            return write_csv(records, self.kinds)
        if base in (XML, "text/xml"):
            from verification.sources.xml_io import append_records, to_bytes

            root = ET.Element(
                self.file_root, {"ИдФайл": str(uuid.uuid4()), "ДатаФормир": date.today().isoformat()}
            )
            append_records(ET.SubElement(root, "Документ"), records, self.kinds)
            return to_bytes(root)
        raise UnsupportedFormat(f"Файл ответа должен быть CSV или XML, а не {base}")

    def request_message(
        self, persons: Sequence[PersonRecord], message_id: uuid.UUID, *, kinds: Sequence[str] | None = None
    ) -> bytes:
        return request_xml(self.code, self.service, tuple(kinds or self.kind_codes), persons, message_id)

    def read_request_message(self, payload: bytes) -> RequestMessage:
        return read_request(payload)

    def response_message(
        self, message_id: uuid.UUID, reference_message_id: uuid.UUID, records: Iterable[SourceRecord]
    ) -> bytes:
        return response_xml(self.code, message_id, reference_message_id, records, self.kinds)

    def read_response_message(self, payload: bytes, *, today: date | None = None) -> ResponseMessage:
        return read_response(io.BytesIO(payload), self.code, self.kinds, today)
