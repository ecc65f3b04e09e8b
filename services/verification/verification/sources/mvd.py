"""МВД России: invalid or replaced passports and persons declared missing.

- ``mvd.passport_invalid``: the passport (type, series, number in the person fields) is not
  valid since date_from; ``reason`` replaced | invalid | lost, the new passport when replaced.
  XML after the SMEV «Сведения о действительности паспорта гражданина Российской Федерации,
  предъявленного на определённое имя» (request ``surname``, ``name``, ``patronymic``,
  ``birthday``, ``pass_series``, ``pass_number``; answer ``document_status``), one
  ``document`` element per checked passport with the invalidity date and reason added.
- ``mvd.missing``: date_from = the date the person was declared missing (or put on the
  search list); no published format — element ``СведБезвестОтсут`` of our own."""

from __future__ import annotations

from verification.sources.adapter import GovernmentSource
from verification.sources.formats import Attribute, KindFormat, XmlLayout

REASONS = (
    ("заменён", "replaced"),
    ("заменен", "replaced"),
    ("недействителен", "invalid"),
    ("утрачен", "lost"),
    ("replaced", "replaced"),
    ("invalid", "invalid"),
    ("not_valid", "invalid"),
    ("lost", "lost"),
)

PASSPORT_INVALID = KindFormat(
    kind="mvd.passport_invalid",
    title="Паспорт недействителен",
    labels=("Недействительный паспорт", "Паспорт"),
    date_from_title="Дата, с которой паспорт недействителен",
    attributes=(
        Attribute("reason", "Причина", required=True, values=REASONS),
        Attribute("new_series", "Серия нового паспорта"),
        Attribute("new_number", "Номер нового паспорта"),
    ),
    xml=XmlLayout(
        element="document",
        fields=(
            ("surname", "@surname"),
            ("first_name", "@name"),
            ("patronymic", "@patronymic"),
            ("birth_date", "@birthday"),
            ("snils", "@snils"),
            ("doc_type", "@doc_type"),
            ("doc_series", "@pass_series"),
            ("doc_number", "@pass_number"),
            ("attr:reason", "@invalidity_reason"),
            ("date_from", "@invalidity_date"),
            ("attr:new_series", "new_document@pass_series"),
            ("attr:new_number", "new_document@pass_number"),
        ),
    ),
)

MISSING = KindFormat(
    kind="mvd.missing",
    title="Признан безвестно отсутствующим / в розыске",
    labels=("Безвестно отсутствующий", "Розыск"),
    date_from_title="Дата признания безвестно отсутствующим",
    attributes=(Attribute("case_number", "Номер дела"),),
    xml=XmlLayout(
        element="СведБезвестОтсут",
        fields=(
            ("attr:case_number", "@НомерДела"),
            ("external_id", "@НомерДела"),
            ("date_from", "@Дата"),
            ("surname", "ФИО@Фамилия"),
            ("first_name", "ФИО@Имя"),
            ("patronymic", "ФИО@Отчество"),
            ("birth_date", "@ДатаРожд"),
            ("sex", "@Пол"),
            ("snils", "@СНИЛС"),
            ("doc_type", "УдЛичнФЛ@КодВидДок"),
            ("doc_series_number", "УдЛичнФЛ@СерНомДок"),
        ),
    ),
)

MVD = GovernmentSource(
    code="mvd",
    name="МВД России",
    kinds=(PASSPORT_INVALID, MISSING),
    file_root="Файл",
    service="Сведения о действительности паспорта и о лицах, признанных безвестно отсутствующими",
)
