"""СФР (Социальный фонд России): employer contributions by month.

``sfr.contributions``: one record per person, employer and month for which the employer
reported payments with insurance contributions; date_from/date_to = the month. XML after the
ЕФС-1 «Сведения о трудовой (иной) деятельности … и страховом стаже» and the SMEV «виды
сведений» of СФР on earnings: the insured person (``ЗЛ``: ``СНИЛС``, ``ФИО`` with
``Фамилия``/``Имя``/``Отчество`` as child elements, ``ДатаРождения``), the employer
(``Страхователь`` with ``РегНомер`` and ``ИНН``), months under ``СведенияОВыплатах``;
simplified (one employer per ``ЗЛ`` element, the amount per month only)."""

from __future__ import annotations

from verification.sources.adapter import GovernmentSource
from verification.sources.formats import Attribute, KindFormat, XmlLayout

CONTRIBUTIONS = KindFormat(
    kind="sfr.contributions",
    title="Страховые взносы работодателя за месяц",
    labels=("Взносы", "Страховые взносы"),
    date_from_title="Месяц начисления взносов",
    monthly=True,
    attributes=(
        Attribute("employer_reg_number", "Рег. номер работодателя", required=True),
        Attribute("employer_inn", "ИНН работодателя"),
        Attribute("amount", "Сумма", required=True, number=True),
    ),
    xml=XmlLayout(
        element="ЗЛ",
        fields=(
            ("snils", "СНИЛС"),
            ("surname", "ФИО/Фамилия"),
            ("first_name", "ФИО/Имя"),
            ("patronymic", "ФИО/Отчество"),
            ("birth_date", "ДатаРождения"),
            ("sex", "Пол"),
            ("attr:employer_reg_number", "Страхователь@РегНомер"),
            ("attr:employer_inn", "Страхователь@ИНН"),
        ),
        each="СведенияОВыплатах",
        each_fields=(("date_from", "@Месяц"), ("attr:amount", "@СуммаВыплат")),
    ),
)

SFR = GovernmentSource(
    code="sfr",
    name="Социальный фонд России",
    kinds=(CONTRIBUTIONS,),
    file_root="ЭДСФР",
    service="Сведения о страховых взносах, начисленных в пользу застрахованного лица",
)
