"""Benefit categories and drug lists as data (the migration ``0002`` inserts them; the register
and the entitlement read them from the tables).

- **Federal, ОНЛС** (178-ФЗ «О государственной социальной помощи», ст. 6.1 and 6.2): the
  categories with the codes the federal register of beneficiaries (СФР, formerly ПФР) uses in
  its exchange with the regions. Covered drugs: the ОНЛС list (Распоряжение Правительства РФ
  № 2406-р, приложение 2, built on ЖНВЛП). Funded by the federal budget. A person who chose
  money instead of the in-kind set of social services (НСУ) for a year is not entitled to it
  in that year (``in_kind_refusable``).
- **Federal, ВЗН** (high-cost nosologies, Постановление Правительства РФ № 1416, 2406-р
  приложение 3): 14 nosologies with their ICD-10 codes; federal budget; not affected by the
  refusal of the НСУ.
- **Regional** (Постановление Правительства РФ от 30.07.1994 № 890, приложения 1 and 2): by
  disease (ICD-10 prefixes) and by social group, free (100 %) or at 50 % of the price; the
  regional list; the regional budget.

Codes: federal ones are the register's three digits; ВЗН ``vzn-01``…``vzn-14``; regional ones
``r-<name>``."""

from __future__ import annotations

from dataclasses import dataclass, field

FEDERAL = "federal"
REGIONAL = "regional"

ONLS_LIST = "onls"
VZN_LIST = "vzn"
REGIONAL_LIST = "regional"


@dataclass(frozen=True)
class DrugList:
    code: str
    name: str
    funding_source: str
    basis: str
    inns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    code: str
    kind: str  # onls | vzn | regional_disease | regional_social
    name: str
    drug_list: str
    discount_percent: int = 100
    icd10: tuple[str, ...] = field(default=())  # diagnosis prefixes the category needs (none: any)
    basis: str = ""

    @property
    def funding_source(self) -> str:
        return FEDERAL if self.kind in ("onls", "vzn") else REGIONAL

    @property
    def in_kind_refusable(self) -> bool:
        return self.kind == "onls"


DRUG_LISTS = (
    DrugList(
        ONLS_LIST,
        "Перечень ЛП для обеспечения отдельных категорий граждан (ОНЛС, на основе ЖНВЛП)",
        FEDERAL,
        "Распоряжение Правительства РФ № 2406-р, приложение 2",
        ("Метформин", "Эналаприл", "Бисопролол", "Аторвастатин", "Инсулин гларгин", "Сальбутамол"),
    ),
    DrugList(
        VZN_LIST,
        "Перечень ЛП для лиц с высокозатратными нозологиями (ВЗН)",
        FEDERAL,
        "Распоряжение Правительства РФ № 2406-р, приложение 3",
        ("Октоког альфа", "Дорназа альфа", "Соматропин", "Имиглюцераза", "Бортезомиб", "Окрелизумаб"),
    ),
    DrugList(
        REGIONAL_LIST,
        "Региональный перечень ЛП для льготного обеспечения (Постановление № 890)",
        REGIONAL,
        "Постановление Правительства РФ № 890; территориальная программа госгарантий",
        ("Метформин", "Инсулин аспарт", "Будесонид+формотерол", "Тамоксифен", "Леводопа+карбидопа"),
    ),
)

_ONLS_BASIS = "178-ФЗ, ст. 6.1"
_ONLS = (
    ("010", "Инвалиды войны"),
    ("011", "Участники Великой Отечественной войны, ставшие инвалидами"),
    (
        "012",
        "Военнослужащие и лица рядового и начальствующего состава, ставшие инвалидами вследствие "
        "ранения, контузии или увечья при исполнении обязанностей военной службы",
    ),
    ("020", "Участники Великой Отечественной войны"),
    ("030", "Ветераны боевых действий"),
    (
        "040",
        "Военнослужащие, проходившие службу в воинских частях, не входивших в состав действующей армии, "
        "с 22.06.1941 по 03.09.1945 не менее шести месяцев",
    ),
    ("050", "Лица, награждённые знаком «Жителю блокадного Ленинграда»"),
    ("060", "Члены семей погибших (умерших) инвалидов войны, участников ВОВ и ветеранов боевых действий"),
    ("081", "Инвалиды I группы"),
    ("082", "Инвалиды II группы"),
    ("083", "Инвалиды III группы"),
    ("084", "Дети-инвалиды"),
    ("085", "Инвалиды, не имеющие группы инвалидности (признанные до 01.01.2010)"),
    ("091", "Граждане, подвергшиеся воздействию радиации вследствие катастрофы на Чернобыльской АЭС"),
    ("092", "Граждане, подвергшиеся воздействию радиации вследствие аварии на ПО «Маяк»"),
    (
        "093",
        "Граждане, подвергшиеся воздействию радиации вследствие ядерных испытаний "
        "на Семипалатинском полигоне",
    ),
    ("094", "Граждане из подразделений особого риска"),
)

_VZN_BASIS = "Постановление Правительства РФ № 1416; 2406-р, приложение 3"
_VZN = (
    ("vzn-01", "Гемофилия", ("D66", "D67", "D68.0")),
    ("vzn-02", "Муковисцидоз", ("E84",)),
    ("vzn-03", "Гипофизарный нанизм", ("E23.0",)),
    ("vzn-04", "Болезнь Гоше", ("E75.2",)),
    (
        "vzn-05",
        "Злокачественные новообразования лимфоидной, кроветворной и родственных им тканей",
        ("C82", "C83", "C84", "C85", "C88", "C90", "C91", "C92", "C93", "C94", "C95", "C96"),
    ),
    ("vzn-06", "Рассеянный склероз", ("G35",)),
    ("vzn-07", "Лица после трансплантации органов и (или) тканей", ("Z94",)),
    ("vzn-08", "Гемолитико-уремический синдром", ("D59.3",)),
    ("vzn-09", "Юношеский артрит с системным началом", ("M08.2",)),
    ("vzn-10", "Мукополисахаридоз I типа", ("E76.0",)),
    ("vzn-11", "Мукополисахаридоз II типа", ("E76.1",)),
    ("vzn-12", "Мукополисахаридоз VI типа", ("E76.2",)),
    ("vzn-13", "Апластическая анемия неуточнённая", ("D61.9",)),
    ("vzn-14", "Наследственный дефицит факторов II, VII, X", ("D68.2",)),
)

_REGIONAL_BASIS = "Постановление Правительства РФ № 890, приложение 1"
_REGIONAL_DISEASES = (
    ("r-diabetes", "Сахарный диабет", ("E10", "E11", "E12", "E13", "E14")),
    ("r-asthma", "Бронхиальная астма", ("J45",)),
    ("r-oncology", "Онкологические заболевания", ("C",)),
    ("r-hematology", "Гематологические заболевания, гемобластозы, цитопения", ("D45", "D46", "D47", "D70")),
    ("r-tuberculosis", "Туберкулёз", ("A15", "A16", "A17", "A18", "A19")),
    ("r-hiv", "ВИЧ-инфекция, СПИД", ("B20", "B21", "B22", "B23", "B24", "Z21")),
    ("r-cerebral-palsy", "Детские церебральные параличи", ("G80",)),
    ("r-myocardial-infarction", "Инфаркт миокарда (первые шесть месяцев)", ("I21", "I22")),
    (
        "r-rheumatoid",
        "Ревматизм и ревматоидный артрит, системная красная волчанка, болезнь Бехтерева",
        ("I00", "I01", "I02", "M05", "M06", "M32", "M45"),
    ),
    ("r-parkinson", "Болезнь Паркинсона", ("G20",)),
    ("r-myasthenia", "Миастения", ("G70.0",)),
    ("r-glaucoma", "Глаукома, катаракта", ("H40", "H25", "H26")),
    ("r-epilepsy", "Эпилепсия", ("G40",)),
    ("r-schizophrenia", "Шизофрения и психические заболевания", ("F20", "F25")),
    ("r-addison", "Аддисонова болезнь", ("E27.1",)),
)

_REGIONAL_SOCIAL = (
    ("r-child-3", "Дети первых трёх лет жизни", 100),
    ("r-large-family-6", "Дети из многодетных семей в возрасте до 6 лет", 100),
    ("r-home-front", "Лица, работавшие в тылу в период Великой Отечественной войны", 50),
    ("r-min-pension", "Пенсионеры, получающие пенсию по старости в минимальном размере", 50),
    ("r-repressed", "Реабилитированные лица и лица, признанные пострадавшими от политических репрессий", 50),
)

CATEGORIES: tuple[Category, ...] = (
    tuple(Category(code, "onls", name, ONLS_LIST, basis=_ONLS_BASIS) for code, name in _ONLS)
    + tuple(Category(code, "vzn", name, VZN_LIST, icd10=icd, basis=_VZN_BASIS) for code, name, icd in _VZN)
    + tuple(
        Category(code, "regional_disease", name, REGIONAL_LIST, icd10=icd, basis=_REGIONAL_BASIS)
        for code, name, icd in _REGIONAL_DISEASES
    )
    + tuple(
        Category(code, "regional_social", name, REGIONAL_LIST, discount_percent=pct, basis=_REGIONAL_BASIS)
        for code, name, pct in _REGIONAL_SOCIAL
    )
)

BY_CODE = {c.code: c for c in CATEGORIES}
