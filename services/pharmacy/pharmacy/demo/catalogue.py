"""The demo drug catalogue: real МНН of the ОНЛС (2406-р annex 2), ВЗН (annex 3) and regional
lists with plausible trade names, forms and dosages; synthetic GTINs under the Russian prefix
460 with their GS1 check digits (the marking module's helper); all subject to marking."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.marking.gs1 import complete_gtin
from pharmacy.models import Drug, DrugGtin, DrugListItem

_NS = uuid.UUID("0b6f3c1e-7a2d-4e9b-8c5f-2d1a3e4b5c6d")
VALID_FROM = date(2026, 1, 1)
_TAB = "таблетки"
_TAB_F = "таблетки, покрытые пленочной оболочкой"
_CAPS = "капсулы"
_INJ_PEN = "раствор для подкожного введения (картридж в шприц-ручке)"
_LYO = "лиофилизат для приготовления раствора для внутривенного введения"
_INH = "аэрозоль для ингаляций дозированный"

# (МНН, торговое наименование, форма, дозировка, в упаковке, АТХ, ЖНВЛП, перечни)
DRUGS: list[tuple[str, str, str, str, int, str, bool, tuple[str, ...]]] = [
    ("Метформин", "Сиофор", _TAB_F, "500 мг", 60, "A10BA02", True, ("onls", "regional")),
    ("Метформин", "Глюкофаж", _TAB_F, "850 мг", 60, "A10BA02", True, ("onls", "regional")),
    (
        "Гликлазид",
        "Диабетон МВ",
        "таблетки с модифицированным высвобождением",
        "60 мг",
        30,
        "A10BB09",
        True,
        ("onls", "regional"),
    ),
    (
        "Инсулин гларгин",
        "Лантус СолоСтар",
        _INJ_PEN,
        "100 ЕД/мл, 3 мл",
        5,
        "A10AE04",
        True,
        ("onls", "regional"),
    ),
    ("Инсулин аспарт", "НовоРапид ФлексПен", _INJ_PEN, "100 ЕД/мл, 3 мл", 5, "A10AB05", True, ("regional",)),
    ("Инсулин детемир", "Левемир ФлексПен", _INJ_PEN, "100 ЕД/мл, 3 мл", 5, "A10AE05", True, ("regional",)),
    ("Эналаприл", "Энап", _TAB, "10 мг", 20, "C09AA02", True, ("onls",)),
    ("Эналаприл", "Берлиприл 5", _TAB, "5 мг", 30, "C09AA02", True, ("onls",)),
    ("Лизиноприл", "Диротон", _TAB, "10 мг", 28, "C09AA03", True, ("onls",)),
    ("Лозартан", "Лозап", _TAB_F, "50 мг", 30, "C09CA01", True, ("onls",)),
    ("Бисопролол", "Конкор", _TAB_F, "5 мг", 30, "C07AB07", True, ("onls",)),
    ("Метопролол", "Эгилок", _TAB, "50 мг", 60, "C07AB02", True, ("onls",)),
    ("Амлодипин", "Норваск", _TAB, "5 мг", 30, "C08CA01", True, ("onls",)),
    (
        "Индапамид",
        "Арифон ретард",
        "таблетки с пролонгированным высвобождением",
        "1,5 мг",
        30,
        "C03BA11",
        True,
        ("onls",),
    ),
    ("Фуросемид", "Фуросемид-Реневал", _TAB, "40 мг", 50, "C03CA01", True, ("onls",)),
    ("Спиронолактон", "Верошпирон", _TAB, "25 мг", 20, "C03DA01", True, ("onls",)),
    ("Аторвастатин", "Аторис", _TAB_F, "20 мг", 30, "C10AA05", True, ("onls",)),
    ("Розувастатин", "Крестор", _TAB_F, "10 мг", 28, "C10AA07", True, ("onls",)),
    ("Клопидогрел", "Плавикс", _TAB_F, "75 мг", 28, "B01AC04", True, ("onls",)),
    ("Варфарин", "Варфарин Никомед", _TAB, "2,5 мг", 100, "B01AA03", True, ("onls",)),
    ("Ацетилсалициловая кислота", "Кардиомагнил", _TAB_F, "75 мг", 100, "B01AC06", True, ("onls",)),
    ("Изосорбида мононитрат", "Моночинкве", _TAB, "40 мг", 30, "C01DA14", True, ("onls",)),
    ("Омепразол", "Ультоп", _CAPS, "20 мг", 28, "A02BC01", True, ("onls",)),
    ("Левотироксин натрия", "Эутирокс", _TAB, "100 мкг", 100, "H03AA01", True, ("onls",)),
    ("Сальбутамол", "Вентолин", _INH, "100 мкг/доза", 1, "R03AC02", True, ("onls", "regional")),
    (
        "Будесонид+формотерол",
        "Симбикорт Турбухалер",
        "порошок для ингаляций дозированный",
        "160+4,5 мкг/доза",
        1,
        "R03AK07",
        True,
        ("regional",),
    ),
    ("Салметерол+флутиказон", "Серетид", _INH, "25+250 мкг/доза", 1, "R03AK06", True, ("onls", "regional")),
    (
        "Тиотропия бромид",
        "Спирива",
        "капсулы с порошком для ингаляций",
        "18 мкг",
        30,
        "R03BB04",
        True,
        ("onls",),
    ),
    (
        "Карбамазепин",
        "Финлепсин ретард",
        "таблетки с пролонгированным высвобождением",
        "200 мг",
        50,
        "N03AF01",
        True,
        ("onls", "regional"),
    ),
    (
        "Вальпроевая кислота",
        "Депакин Хроно",
        "таблетки пролонгированного действия",
        "500 мг",
        30,
        "N03AG01",
        True,
        ("onls", "regional"),
    ),
    ("Леветирацетам", "Кеппра", _TAB_F, "500 мг", 30, "N03AX14", True, ("regional",)),
    ("Леводопа+карбидопа", "Наком", _TAB, "250+25 мг", 100, "N04BA02", True, ("onls", "regional")),
    ("Прамипексол", "Мирапекс", _TAB, "0,25 мг", 30, "N04BC05", True, ("regional",)),
    ("Галоперидол", "Галоперидол-Рихтер", _TAB, "5 мг", 50, "N05AD01", True, ("onls",)),
    ("Кветиапин", "Сероквель", _TAB_F, "100 мг", 60, "N05AH04", True, ("onls",)),
    ("Сертралин", "Золофт", _TAB_F, "50 мг", 28, "N06AB06", True, ("onls",)),
    ("Тамоксифен", "Тамоксифен-Эбеве", _TAB, "20 мг", 30, "L02BA01", True, ("onls", "regional")),
    ("Анастрозол", "Аримидекс", _TAB_F, "1 мг", 28, "L02BG03", True, ("onls", "regional")),
    ("Летрозол", "Фемара", _TAB_F, "2,5 мг", 30, "L02BG04", True, ("regional",)),
    ("Бикалутамид", "Касодекс", _TAB_F, "50 мг", 28, "L02BB03", True, ("onls",)),
    ("Трамадол", "Трамал", _CAPS, "50 мг", 20, "N02AX02", True, ("onls",)),
    ("Диклофенак", "Вольтарен", "таблетки кишечнорастворимые", "50 мг", 20, "M01AB05", True, ("onls",)),
    ("Аллопуринол", "Аллопуринол-Эгис", _TAB, "100 мг", 50, "M04AA01", True, ("onls",)),
    ("Октоког альфа", "Октофактор", _LYO, "1000 МЕ", 1, "B02BD02", True, ("vzn",)),
    ("Фактор свертывания крови IX", "Иннонафактор", _LYO, "500 МЕ", 1, "B02BD04", True, ("vzn",)),
    ("Эптаког альфа (активированный)", "Коагил-VII", _LYO, "1,2 мг", 1, "B02BD08", True, ("vzn",)),
    ("Дорназа альфа", "Пульмозим", "раствор для ингаляций", "2,5 мг/2,5 мл", 6, "R05CB13", True, ("vzn",)),
    (
        "Соматропин",
        "Генотропин",
        "лиофилизат для приготовления раствора для подкожного введения",
        "5,3 мг",
        1,
        "H01AC01",
        True,
        ("vzn",),
    ),
    (
        "Имиглюцераза",
        "Церезим",
        "лиофилизат для приготовления раствора для инфузий",
        "400 ЕД",
        1,
        "A16AB02",
        True,
        ("vzn",),
    ),
    (
        "Бортезомиб",
        "Велкейд",
        "лиофилизат для приготовления раствора для внутривенного и подкожного введения",
        "3,5 мг",
        1,
        "L01XG01",
        True,
        ("vzn",),
    ),
    ("Леналидомид", "Ревлимид", _CAPS, "25 мг", 21, "L04AX04", True, ("vzn",)),
    ("Иматиниб", "Гливек", _TAB_F, "400 мг", 30, "L01EA01", True, ("vzn",)),
    (
        "Ритуксимаб",
        "Ацеллбия",
        "концентрат для приготовления раствора для инфузий",
        "500 мг/50 мл",
        1,
        "L01FA01",
        True,
        ("vzn",),
    ),
    (
        "Окрелизумаб",
        "Окревус",
        "концентрат для приготовления раствора для инфузий",
        "300 мг/10 мл",
        1,
        "L04AA36",
        True,
        ("vzn",),
    ),
    (
        "Интерферон бета-1a",
        "Генфаксон",
        "раствор для подкожного введения",
        "44 мкг/0,5 мл",
        12,
        "L03AB07",
        True,
        ("vzn",),
    ),
    (
        "Глатирамера ацетат",
        "Копаксон-Тева",
        "раствор для подкожного введения",
        "20 мг/мл",
        28,
        "L03AX13",
        True,
        ("vzn",),
    ),
    ("Такролимус", "Програф", _CAPS, "1 мг", 50, "L04AD02", True, ("vzn",)),
    (
        "Микофеноловая кислота",
        "Майфортик",
        "таблетки кишечнорастворимые, покрытые пленочной оболочкой",
        "360 мг",
        120,
        "L04AA06",
        True,
        ("vzn",),
    ),
    ("Циклоспорин", "Сандиммун Неорал", _CAPS, "100 мг", 50, "L04AD01", True, ("vzn",)),
    ("Эверолимус", "Сертикан", _TAB, "0,75 мг", 60, "L04AA18", True, ("vzn",)),
]


def demo_gtin(n: int) -> str:
    """The ``n``-th demo GTIN: 0 (GTIN-13 in 14 digits), the Russian prefix 460, a made-up
    company 7150 and item, the GS1 check digit."""
    return complete_gtin(f"0460715{n:06d}")


async def seed_catalogue(session: AsyncSession) -> int:
    drugs: list[dict[str, Any]] = []
    gtins: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    for n, (inn, trade, form, dosage, quantity, atc, vital, lists) in enumerate(DRUGS, start=1):
        drug_id = uuid.uuid5(_NS, f"{inn}|{trade}|{dosage}|{quantity}")
        drugs.append(
            {
                "id": drug_id,
                "inn": inn,
                "trade_name": trade,
                "dosage_form": form,
                "dosage": dosage,
                "package_quantity": quantity,
                "atc_code": atc,
                "vital": vital,
                "marked": True,
                "valid_from": VALID_FROM,
            }
        )
        gtins.append({"gtin": demo_gtin(n), "drug_id": drug_id})
        items.extend({"drug_list_code": code, "drug_id": drug_id} for code in lists)
    await session.execute(insert(Drug), drugs)
    await session.execute(insert(DrugGtin), gtins)
    await session.execute(insert(DrugListItem), items)
    return len(drugs)
