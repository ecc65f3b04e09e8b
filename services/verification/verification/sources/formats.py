"""How each kind of fact is written in an answer file: the CSV ``Вид сведений`` labels and
attribute columns, and the XML layout (which element is one record, where each field sits).

XML field paths: ``@Атр`` — an attribute of the record element; ``Эл/Эл@Атр`` — an attribute of
a child; ``Эл/Эл`` — the text of a child. ``doc_series_number`` is the ФНС way of writing a
document (``СерНомДок="45 01 123456"``: series, space, number). A layout with ``each`` yields one
record per repeated child (a person with several months of income), the child's own fields in
``each_fields``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Attribute:
    key: str  # the key in SourceRecord.attributes
    column: str  # the CSV header
    required: bool = False
    values: tuple[tuple[str, str], ...] = ()  # accepted spellings (lower case) → stored code
    number: bool = False  # an amount: «12 345,67» is stored as «12345.67»
    date: bool = False


@dataclass(frozen=True, slots=True)
class XmlLayout:
    element: str
    fields: tuple[tuple[str, str], ...]
    each: str | None = None
    each_fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class KindFormat:
    kind: str
    title: str  # Russian name of the fact
    labels: tuple[str, ...]  # values of the CSV «Вид сведений» column (the first is written)
    date_from_title: str  # what «Дата начала» means for this kind, for messages
    xml: XmlLayout
    attributes: tuple[Attribute, ...] = ()
    monthly: bool = False  # one record per month: date_from the first day, date_to the last
    date_to_title: str | None = None  # None: the kind has no end date


# The person as ФНС/ЗАГС write one (ФИО attributes, birth date, sex 1/2, SNILS, ИНН, document).
def fns_person(prefix: str, fio: str = "ФИО") -> tuple[tuple[str, str], ...]:
    p = f"{prefix}/" if prefix else ""
    return (
        ("surname", f"{p}{fio}@Фамилия"),
        ("first_name", f"{p}{fio}@Имя"),
        ("patronymic", f"{p}{fio}@Отчество"),
        ("birth_date", f"{p}@ДатаРожд"),
        ("sex", f"{p}@Пол"),
        ("snils", f"{p}@СНИЛС"),
        ("inn", f"{p}@ИННФЛ"),
        ("doc_type", f"{p}УдЛичнФЛ@КодВидДок"),
        ("doc_series_number", f"{p}УдЛичнФЛ@СерНомДок"),
    )
