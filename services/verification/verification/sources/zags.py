"""ЗАГС (ЕГР ЗАГС, оператор — ФНС России): deaths and name changes.

- ``zags.death``: date_from = the date of death. XML after the ЕГР ЗАГС extract «сведения о
  государственной регистрации смерти» (ФНС-style names: ``СведРегСмерт`` with the act record
  ``НомерЗапис``/``ДатаЗапис``, the deceased ``СведУмер`` with ``ФИО``, ``ДатаРожд``,
  ``СНИЛС``, ``УдЛичнФЛ``, the death ``СведСмерт@ДатаСмерт``).
- ``zags.name_change``: date_from = the date the change was registered; the person fields
  are the name BEFORE the change (what a stale register holds), the attributes hold both the
  old and the new names (``ФИОДо``/``ФИОПосле``)."""

from __future__ import annotations

from verification.sources.adapter import GovernmentSource
from verification.sources.formats import Attribute, KindFormat, XmlLayout

_ACT = (
    Attribute("act_number", "Номер записи акта"),
    Attribute("act_date", "Дата записи акта", date=True),
)

DEATH = KindFormat(
    kind="zags.death",
    title="Государственная регистрация смерти",
    labels=("Смерть",),
    date_from_title="Дата смерти",
    attributes=_ACT,
    xml=XmlLayout(
        element="СведРегСмерт",
        fields=(
            ("external_id", "@НомерЗапис"),
            ("attr:act_number", "@НомерЗапис"),
            ("attr:act_date", "@ДатаЗапис"),
            ("surname", "СведУмер/ФИО@Фамилия"),
            ("first_name", "СведУмер/ФИО@Имя"),
            ("patronymic", "СведУмер/ФИО@Отчество"),
            ("birth_date", "СведУмер@ДатаРожд"),
            ("sex", "СведУмер@Пол"),
            ("snils", "СведУмер@СНИЛС"),
            ("doc_type", "СведУмер/УдЛичнФЛ@КодВидДок"),
            ("doc_series_number", "СведУмер/УдЛичнФЛ@СерНомДок"),
            ("date_from", "СведСмерт@ДатаСмерт"),
        ),
    ),
)

NAME_CHANGE = KindFormat(
    kind="zags.name_change",
    title="Государственная регистрация перемены имени",
    labels=("Перемена имени", "Смена ФИО"),
    date_from_title="Дата регистрации перемены имени",
    attributes=(
        *_ACT,
        Attribute("new_surname", "Новая фамилия", required=True),
        Attribute("new_first_name", "Новое имя"),
        Attribute("new_patronymic", "Новое отчество"),
    ),
    xml=XmlLayout(
        element="СведРегПерИмени",
        fields=(
            ("external_id", "@НомерЗапис"),
            ("attr:act_number", "@НомерЗапис"),
            ("date_from", "@ДатаЗапис"),
            ("surname", "СведЛицо/ФИОДо@Фамилия"),
            ("first_name", "СведЛицо/ФИОДо@Имя"),
            ("patronymic", "СведЛицо/ФИОДо@Отчество"),
            ("attr:new_surname", "СведЛицо/ФИОПосле@Фамилия"),
            ("attr:new_first_name", "СведЛицо/ФИОПосле@Имя"),
            ("attr:new_patronymic", "СведЛицо/ФИОПосле@Отчество"),
            ("birth_date", "СведЛицо@ДатаРожд"),
            ("sex", "СведЛицо@Пол"),
            ("snils", "СведЛицо@СНИЛС"),
        ),
    ),
)

ZAGS = GovernmentSource(
    code="zags",
    name="Органы ЗАГС (ЕГР ЗАГС)",
    kinds=(DEATH, NAME_CHANGE),
    file_root="Файл",
    service="Сведения о государственной регистрации смерти и перемены имени из ЕГР ЗАГС",
)
