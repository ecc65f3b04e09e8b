"""ФНС России: individual entrepreneurs (ЕГРИП) and employment income (6-НДФЛ).

- ``fns.entrepreneur``: one record per registration as an individual entrepreneur;
  date_from = the registration (``ДатаОГРНИП``), date_to = the termination (``ДатаПрекращ``)
  or none while registered. XML after the ЕГРИП extract (``СвИП`` with ``ОГРНИП``,
  ``ДатаОГРНИП``, ``ИННФЛ``; ``СвФЛ/ФИОРус``; ``СвПрекращ/СвСтатус@ДатаПрекращ``); the birth
  date, SNILS and document are in the extract for state bodies, not in the open data.
- ``fns.income``: one record per person, employer and month with income; XML after the
  appendix «Справка о доходах и суммах налога физического лица» of 6-НДФЛ (``СправДох`` →
  ``ПолучДох`` with ``ИННФЛ``, ``ДатаРожд``, ``ФИО``, ``УдЛичнФЛ``; ``СвСумДох`` with ``Месяц``,
  ``КодДоход``, ``СумДоход``), simplified: the tax agent's ИНН on ``СправДох``, the month as
  ``ГГГГ-ММ`` (the form gives the month number in a year-long report)."""

from __future__ import annotations

from verification.sources.adapter import GovernmentSource
from verification.sources.formats import Attribute, KindFormat, XmlLayout

ENTREPRENEUR = KindFormat(
    kind="fns.entrepreneur",
    title="Регистрация в качестве индивидуального предпринимателя",
    labels=("ИП", "Индивидуальный предприниматель"),
    date_from_title="Дата регистрации ИП",
    date_to_title="Дата прекращения деятельности ИП",
    attributes=(Attribute("ogrnip", "ОГРНИП", required=True),),
    xml=XmlLayout(
        element="СвИП",
        fields=(
            ("attr:ogrnip", "@ОГРНИП"),
            ("external_id", "@ОГРНИП"),
            ("date_from", "@ДатаОГРНИП"),
            ("inn", "@ИННФЛ"),
            ("surname", "СвФЛ/ФИОРус@Фамилия"),
            ("first_name", "СвФЛ/ФИОРус@Имя"),
            ("patronymic", "СвФЛ/ФИОРус@Отчество"),
            ("sex", "СвФЛ@Пол"),
            ("birth_date", "СвФЛ/СвРождФЛ@ДатаРожд"),
            ("snils", "СвФЛ@СНИЛС"),
            ("doc_type", "СвФЛ/УдЛичнФЛ@КодВидДок"),
            ("doc_series_number", "СвФЛ/УдЛичнФЛ@СерНомДок"),
            ("date_to", "СвПрекращ/СвСтатус@ДатаПрекращ"),
        ),
    ),
)

INCOME = KindFormat(
    kind="fns.income",
    title="Доход от работодателя за месяц",
    labels=("Доход", "Доходы"),
    date_from_title="Месяц дохода",
    monthly=True,
    attributes=(
        Attribute("employer_inn", "ИНН работодателя", required=True),
        Attribute("amount", "Сумма", required=True, number=True),
        Attribute("income_code", "Код дохода"),
    ),
    xml=XmlLayout(
        element="СправДох",
        fields=(
            ("attr:employer_inn", "@ИННЮЛ"),
            ("inn", "ПолучДох@ИННФЛ"),
            ("birth_date", "ПолучДох@ДатаРожд"),
            ("snils", "ПолучДох@СНИЛС"),
            ("surname", "ПолучДох/ФИО@Фамилия"),
            ("first_name", "ПолучДох/ФИО@Имя"),
            ("patronymic", "ПолучДох/ФИО@Отчество"),
            ("doc_type", "ПолучДох/УдЛичнФЛ@КодУдЛичн"),
            ("doc_series_number", "ПолучДох/УдЛичнФЛ@СерНомДок"),
        ),
        each="СвСумДох",
        each_fields=(
            ("date_from", "@Месяц"),
            ("attr:income_code", "@КодДоход"),
            ("attr:amount", "@СумДоход"),
        ),
    ),
)

FNS = GovernmentSource(
    code="fns",
    name="ФНС России",
    kinds=(ENTREPRENEUR, INCOME),
    file_root="Файл",
    service="Сведения из ЕГРИП и о доходах физических лиц",
)
