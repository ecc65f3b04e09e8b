"""Form 62 «Сведения о ресурсном обеспечении и об оказании медицинской помощи населению» — its
financing part: what an MO received and spent in the year by source of financial support (КВФО)
and by expense item (КОСГУ). Annual.

Columns by source, as the form's financing tables: CMI funds (КВФО 7); the budget — the
state-assignment subsidy (КВФО 4), subsidies for other purposes (5), capital investments (6);
paid services and other income-generating activity (КВФО 2); the total. Rows: receipts, then
cash expenses by item (wages with contributions, works and services, fixed assets,
inventories with medicines and food, other expenses), the accounts payable at the end of the
year and, typed by the MO, the overdue part of it."""

from __future__ import annotations

from datetime import date

from finance.forms.periods import Deadline
from finance.forms.templates import Column, FormVersion, Row, Rule, src

TITLE = "Сведения о ресурсном обеспечении и об оказании медицинской помощи населению"
BASIS = (
    "Форма федерального статистического наблюдения № 62 (приказ Росстата), раздел о финансовом "
    "обеспечении: расходы медицинской организации по источникам финансирования"
)
S1 = "Раздел 1. Поступления и кассовые расходы по источникам финансового обеспечения"
S2 = "Справочно"
ALL_COLUMNS = ("3", "4", "5", "6", "7", "8", "9")
COLUMNS = (
    Column("3", "Всего (гр. 4 + 5 + 9)", formula="4 + 5 + 9"),
    Column("4", "Средства ОМС (КВФО 7)", source=src(kvfo=(7,))),
    Column("5", "Средства бюджета — всего (гр. 6 + 7 + 8)", formula="6 + 7 + 8"),
    Column("6", "субсидия на государственное задание (КВФО 4)", source=src(kvfo=(4,))),
    Column("7", "субсидии на иные цели (КВФО 5)", source=src(kvfo=(5,))),
    Column("8", "субсидии на капитальные вложения (КВФО 6)", source=src(kvfo=(6,))),
    Column("9", "Платные услуги и иная приносящая доход деятельность (КВФО 2)", source=src(kvfo=(2,))),
)


def _e(
    code: str, title: str, kosgu: tuple[str, ...] | None = None, formula: str | None = None, level: int = 2
) -> Row:
    return Row(
        code, title, source=src("expense", kosgu=kosgu) if kosgu else None, formula=formula, level=level
    )


ROWS = (
    Row("01", "Поступило средств за год — всего", source=src("income"), section=S1),
    _e(
        "02",
        "Израсходовано средств за год — всего (стр. 03 + 07 + 11 + 12 + 16)",
        formula="03 + 07 + 11 + 12 + 16",
        level=0,
    ),
    _e(
        "03",
        "Оплата труда и начисления на выплаты по оплате труда (стр. 04 + 05 + 06)",
        formula="04 + 05 + 06",
        level=1,
    ),
    _e("04", "заработная плата (КОСГУ 211)", ("211",)),
    _e("05", "прочие выплаты персоналу (КОСГУ 212, 214, 266)", ("212", "214", "266")),
    _e("06", "начисления на выплаты по оплате труда (КОСГУ 213)", ("213",)),
    _e("07", "Оплата работ, услуг (стр. 08 + 09 + 10)", formula="08 + 09 + 10", level=1),
    _e("08", "коммунальные услуги (КОСГУ 223)", ("223",)),
    _e("09", "работы, услуги по содержанию имущества (КОСГУ 225)", ("225",)),
    _e(
        "10",
        "прочие работы, услуги (КОСГУ 221, 222, 224, 226, 227, 228)",
        ("221", "222", "224", "226", "227", "228"),
    ),
    _e(
        "11",
        "Приобретение основных средств и нематериальных активов (КОСГУ 310, 320)",
        ("310", "320"),
        level=1,
    ),
    _e("12", "Приобретение материальных запасов (стр. 13 + 14 + 15)", formula="13 + 14 + 15", level=1),
    _e("13", "лекарственные препараты и медицинские изделия (КОСГУ 341)", ("341",)),
    _e("14", "продукты питания (КОСГУ 342)", ("342",)),
    _e(
        "15",
        "прочие материальные запасы (КОСГУ 343, 344, 345, 346, 347, 349)",
        ("343", "344", "345", "346", "347", "349"),
    ),
    _e(
        "16",
        "Прочие расходы (КОСГУ 291, 292, 293, 295, 296, 297)",
        ("291", "292", "293", "295", "296", "297"),
        level=1,
    ),
    Row("17", "Кредиторская задолженность на конец года", source=src("payable", at="end"), section=S2),
    Row("18", "из неё просроченная", columns=("3",), manual=("3",), level=1),
)
DATA_ROWS = tuple(r.code for r in ROWS if r.code != "18")

RULES = (
    Rule("К01", "[{r}:3] = [{r}:4] + [{r}:5] + [{r}:9]", "Графа 3 равна сумме граф 4, 5 и 9", rows=DATA_ROWS),
    Rule("К02", "[{r}:5] = [{r}:6] + [{r}:7] + [{r}:8]", "Графа 5 равна сумме граф 6–8", rows=DATA_ROWS),
    Rule(
        "К03",
        "[02:{c}] = [03:{c}] + [07:{c}] + [11:{c}] + [12:{c}] + [16:{c}]",
        "Расходы всего равны сумме строк 03, 07, 11, 12, 16",
        columns=ALL_COLUMNS,
    ),
    Rule(
        "К04",
        "[03:{c}] = [04:{c}] + [05:{c}] + [06:{c}]",
        "Оплата труда с начислениями равна сумме строк 04–06",
        columns=ALL_COLUMNS,
    ),
    Rule(
        "К05",
        "[12:{c}] = [13:{c}] + [14:{c}] + [15:{c}]",
        "Материальные запасы равны сумме строк 13–15",
        columns=ALL_COLUMNS,
    ),
    Rule("К06", "[18:3] <= [17:3]", "Просроченная кредиторская задолженность больше общей"),
    Rule(
        "К07",
        "[02:{c}] <= [01:{c}]",
        "Расходы за год по источнику больше поступлений — проверьте остатки",
        "warning",
        columns=("4", "6", "7", "8", "9"),
    ),
    Rule(
        "М01",
        "[01:4] = [14F!02:4]",
        "Поступления средств ОМС (стр. 01 гр. 4) должны совпадать с формой 14-Ф (ОМС) за год (стр. 02 гр. 4)",
    ),
    Rule(
        "М02",
        "[02:4] = [14F!10:4]",
        "Расходы средств ОМС (стр. 02 гр. 4) должны совпадать с формой 14-Ф (ОМС) за год (стр. 10 гр. 4)",
    ),
)

VERSIONS = (
    FormVersion(
        form="62",
        version="2019",
        valid_from=date(2019, 1, 1),
        valid_to=None,
        title=TITLE,
        short="62",
        periodicity="year",
        deadline=Deadline(day=20, months_after=2),
        accepted_by="health_authority",
        acceptor_title="орган управления здравоохранением (учредитель)",
        unit="руб.",
        source=src(measure="actual", at="period"),
        columns=COLUMNS,
        rows=ROWS,
        rules=RULES,
        basis=BASIS,
        notes=("Годовая. Кассовые поступления и расходы по всем источникам финансового обеспечения.",),
    ),
)
