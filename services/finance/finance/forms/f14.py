"""Form 14-Ф (ОМС) «Отчёт о поступлении и расходовании средств обязательного медицинского
страхования медицинскими организациями»: the CMI funds (КВФО 7) an MO received and spent, by
expense item, quarterly and cumulative from the start of the year.

The layout follows the federal statistical form (Rosstat's instrument for the CMI sphere):
receipts of CMI funds, then «Израсходовано средств за отчётный период — всего» = wages with
contributions + works and services + other expenses + fixed assets + inventories, each broken
down by КОСГУ as the form's filling instructions say (wages: 211; other payments; contributions:
213; services: 221 … 226; inventories: medicines 341, food 342, soft inventory 345, other).
Columns: the plan of the financial and economic activity (ПФХД), the cash execution, the
difference, the accounts payable at the end of the period and the overdue part of it.

Two versions: ``2014`` (the form introduced in 2014, payables without the overdue part and no
fines row) and ``2024`` (the current one: the row «из них штрафы, пени, санкции» that CMI funds
must not be spent on, and the overdue payables)."""

from __future__ import annotations

from datetime import date

from finance.forms.periods import Deadline
from finance.forms.templates import Column, FormVersion, Row, Rule, src

TITLE = (
    "Отчёт о поступлении и расходовании средств обязательного медицинского страхования "
    "медицинскими организациями"
)
BASIS = (
    "Форма федерального статистического наблюдения № 14-Ф (ОМС) (приказ Росстата об утверждении "
    "статистического инструментария в сфере ОМС); строки расходов — по КОСГУ (приказ Минфина № 209н)"
)
SOURCE = src(kvfo=(7,), measure="actual", at="period")
DEADLINE = Deadline(day=10, months_after=1)

INCOME_ROWS = ("3", "4", "5")
EXPENSE_COLUMNS_2014 = ("3", "4", "5", "6")
EXPENSE_COLUMNS = ("3", "4", "5", "6")
S1 = "Раздел 1. Поступление средств ОМС"
S2 = "Раздел 2. Расходование средств ОМС"
S3 = "Справочно"


def _expense(
    code: str,
    title: str,
    kosgu: tuple[str, ...] | None = None,
    *,
    formula: str | None = None,
    level: int = 1,
    columns: tuple[str, ...] = EXPENSE_COLUMNS,
    **kw: object,
) -> Row:
    return Row(
        code,
        title,
        source=src("expense", kosgu=kosgu) if kosgu else None,
        formula=formula,
        columns=columns,
        level=level,
        **kw,  # type: ignore[arg-type]
    )


def _columns(with_overdue: bool) -> tuple[Column, ...]:
    cols = [
        Column("3", "Утверждено планом ФХД на период", source=src(measure="planned")),
        Column("4", "Исполнено за период (кассовые поступления и выплаты)", source=src(measure="actual")),
        Column("5", "Не исполнено (гр. 3 − гр. 4)", formula="3 - 4"),
        Column(
            "6",
            "Кредиторская задолженность на конец периода",
            source=src("payable", measure="actual", at="end"),
        ),
    ]
    if with_overdue:
        cols.append(Column("7", "из неё просроченная"))
    return tuple(cols)


def _receipts() -> tuple[Row, ...]:
    return (
        Row("01", "Остаток средств ОМС на начало года", columns=("4",), manual=("4",), section=S1),
        Row(
            "02",
            "Поступило средств ОМС за период — всего (стр. 03 + 04 + 05)",
            formula="03 + 04 + 05",
            columns=INCOME_ROWS,
        ),
        Row(
            "03",
            "оплата медицинской помощи по территориальной программе ОМС (КОСГУ 132)",
            source=src("income", kosgu="132"),
            columns=INCOME_ROWS,
            level=1,
        ),
        Row(
            "04",
            "возмещение и компенсация затрат (КОСГУ 133, 135)",
            source=src("income", kosgu=("133", "135")),
            columns=INCOME_ROWS,
            level=1,
        ),
        Row(
            "05",
            "прочие поступления (КОСГУ 121, 124, 131, 141, 152, 162, 189)",
            source=src("income", kosgu=("121", "124", "131", "141", "152", "162", "189")),
            columns=INCOME_ROWS,
            level=1,
        ),
    )


def _spending(current: bool) -> tuple[Row, ...]:
    columns = EXPENSE_COLUMNS if not current else (*EXPENSE_COLUMNS, "7")
    other = ("212", "214", "266") if current else ("212", "214")
    rows = [
        _expense(
            "10",
            "Израсходовано средств ОМС — всего (стр. 11 + 15 + 22 + 24 + 25)",
            formula="11 + 15 + 22 + 24 + 25",
            level=0,
            section=S2,
            columns=columns,
            manual=("7",) if current else (),
        ),
        _expense(
            "11",
            "Оплата труда и начисления на выплаты по оплате труда (стр. 12 + 13 + 14)",
            formula="12 + 13 + 14",
        ),
        _expense("12", "заработная плата (КОСГУ 211)", ("211",), level=2),
        _expense("13", f"прочие выплаты персоналу (КОСГУ {', '.join(other)})", other, level=2),
        _expense("14", "начисления на выплаты по оплате труда (КОСГУ 213)", ("213",), level=2),
        _expense("15", "Оплата работ, услуг (стр. 16 + … + 21)", formula="16 + 17 + 18 + 19 + 20 + 21"),
        _expense("16", "услуги связи (КОСГУ 221)", ("221",), level=2),
        _expense("17", "транспортные услуги (КОСГУ 222)", ("222",), level=2),
        _expense("18", "коммунальные услуги (КОСГУ 223)", ("223",), level=2),
        _expense("19", "арендная плата за пользование имуществом (КОСГУ 224)", ("224",), level=2),
        _expense("20", "работы, услуги по содержанию имущества (КОСГУ 225)", ("225",), level=2),
        _expense("21", "прочие работы, услуги (КОСГУ 226, 227, 228)", ("226", "227", "228"), level=2),
        _expense(
            "22",
            "Прочие расходы (КОСГУ 291, 292, 293, 295, 296, 297)",
            ("291", "292", "293", "295", "296", "297"),
        ),
    ]
    if current:
        rows.append(
            _expense(
                "23", "из них штрафы, пени, санкции (КОСГУ 292, 293, 295)", ("292", "293", "295"), level=2
            )
        )
    rows += [
        _expense(
            "24",
            "Увеличение стоимости основных средств и нематериальных активов (КОСГУ 310, 320)",
            ("310", "320"),
        ),
        _expense(
            "25",
            "Увеличение стоимости материальных запасов (стр. 26 + 27 + 28 + 29)",
            formula="26 + 27 + 28 + 29",
        ),
        _expense(
            "26",
            "лекарственные препараты и материалы, применяемые в медицинских целях (КОСГУ 341)",
            ("341",),
            level=2,
        ),
        _expense("27", "продукты питания (КОСГУ 342)", ("342",), level=2),
        _expense("28", "мягкий инвентарь (КОСГУ 345)", ("345",), level=2),
        _expense(
            "29",
            "прочие материальные запасы (КОСГУ 343, 344, 346, 347, 349)",
            ("343", "344", "346", "347", "349"),
            level=2,
        ),
        Row(
            "30",
            "Остаток средств ОМС на конец периода (стр. 01 + 02 − 10)",
            formula="01 + 02 - 10",
            columns=("4",),
            section=S3,
        ),
    ]
    return tuple(rows)


SUMS = (
    (
        "К01",
        "[02:{c}] = [03:{c}] + [04:{c}] + [05:{c}]",
        "Поступления всего равны сумме строк 03–05",
        ("3", "4"),
    ),
    (
        "К02",
        "[10:{c}] = [11:{c}] + [15:{c}] + [22:{c}] + [24:{c}] + [25:{c}]",
        "Расходы всего равны сумме строк 11, 15, 22, 24, 25",
        ("3", "4", "6"),
    ),
    (
        "К03",
        "[11:{c}] = [12:{c}] + [13:{c}] + [14:{c}]",
        "Оплата труда с начислениями равна сумме строк 12–14",
        ("3", "4", "6"),
    ),
    (
        "К04",
        "[15:{c}] = [16:{c}] + [17:{c}] + [18:{c}] + [19:{c}] + [20:{c}] + [21:{c}]",
        "Оплата работ, услуг равна сумме строк 16–21",
        ("3", "4", "6"),
    ),
    (
        "К05",
        "[25:{c}] = [26:{c}] + [27:{c}] + [28:{c}] + [29:{c}]",
        "Материальные запасы равны сумме строк 26–29",
        ("3", "4", "6"),
    ),
)


def _rules(current: bool) -> tuple[Rule, ...]:
    rules = [Rule(code, expr, message, columns=cols) for code, expr, message, cols in SUMS]
    rules += [
        Rule("К06", "[{r}:5] = [{r}:3] - [{r}:4]", "Графа 5 равна разности граф 3 и 4", rows=("02", "10")),
        Rule(
            "К08",
            "[30:4] >= 0",
            "Израсходовано больше, чем было средств ОМС: остаток на конец периода (стр. 30) отрицательный",
        ),
        Rule("К10", "[10:4] <= [10:3]", "Исполнение расходов выше плана ФХД — проверьте план", "warning"),
        Rule(
            "К11",
            "[11:4] <= 0.85 * [10:4]",
            "Доля оплаты труда с начислениями в расходах средств ОМС выше 85 %",
            "warning",
        ),
        Rule(
            "М01",
            "[02:4] = [62!01:4]",
            "Поступления средств ОМС за год (стр. 02 гр. 4) должны совпадать с формой 62 (стр. 01 гр. 4)",
        ),
        Rule(
            "М02",
            "[10:4] = [62!02:4]",
            "Расходы средств ОМС за год (стр. 10 гр. 4) должны совпадать с формой 62 (стр. 02 гр. 4)",
        ),
    ]
    if current:
        rules += [
            Rule(
                "К07",
                "[23:4] = 0",
                "Средства ОМС не направляются на уплату штрафов, пеней и санкций "
                "(ч. 7 ст. 35 Федерального закона № 326-ФЗ): стр. 23 гр. 4 должна быть равна нулю",
            ),
            Rule("К09", "[10:7] <= [10:6]", "Просроченная кредиторская задолженность больше общей"),
            Rule(
                "К12", "[23:{c}] <= [22:{c}]", "Штрафы и санкции — часть прочих расходов", columns=("3", "4")
            ),
        ]
    return tuple(sorted(rules, key=lambda r: r.code))


def _version(version: str, valid_from: date, valid_to: date | None, current: bool) -> FormVersion:
    return FormVersion(
        form="14F",
        version=version,
        valid_from=valid_from,
        valid_to=valid_to,
        title=TITLE,
        short="14-Ф (ОМС)",
        periodicity="quarter",
        deadline=DEADLINE,
        accepted_by="tfoms_analyst",
        acceptor_title="территориальный фонд ОМС",
        unit="руб.",
        source=SOURCE,
        columns=_columns(current),
        rows=(*_receipts(), *_spending(current)),
        rules=_rules(current),
        basis=BASIS,
        notes=(
            "Квартальная, нарастающим итогом с начала года; за IV квартал — за год.",
            "Все суммы — по КВФО 7 (средства ОМС).",
        ),
    )


VERSIONS = (
    _version("2014", date(2014, 1, 1), date(2023, 12, 31), current=False),
    _version("2024", date(2024, 1, 1), None, current=True),
)
