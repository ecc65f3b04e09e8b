# ruff: noqa: E501, S311  -- a text generator: long templates, non-cryptographic randomness by design
"""Synthetic, labelled payment orders of a budget (or autonomous) medical organization of the
Приозёрская область, written the way accountants write them — for the demo's payment orders
(H1's ``demo/payments.py``), for the classifier's tests and for the classification bench.

Deterministic: every function takes a ``random.Random``; the same seed gives the same
payments. No I/O, no database.

Use:

- ``payments_for_cell(kvfo, kosgu, total, month, rng)`` — the payment orders behind one
  budget cell (КВФО × КОСГУ × month): amounts split the way such a cell is paid (wages in an
  advance and the rest, utilities by supplier, medicines in many deliveries…) summing exactly
  to ``total``; expense codes give ``direction='out'``, income codes ``direction='in'``.
- ``synthetic_payment(kvfo, kosgu, amount, day, rng)`` — one payment.
- ``labelled_sample(n, rng, months)`` — ``n`` payments drawn from the demo distribution of
  cells (КВФО 7 dominates, wages/medicines/utilities most frequent) for training and benches.
- ``SyntheticPayment.order_fields(mo_name=…, mo_inn=…, mo_kpp=…, mo_account=…)`` — the
  ``PaymentOrder`` columns (without ids and classification) with the MO on its side (payer of
  an ``out`` payment, payee of an ``in`` one); the treasury personal account (л/с 20…/21…/30…/31…)
  is written into the MO's name as the treasury does: «УФК по Приозёрской области (ГБУЗ … л/с 20476Ц12340)».

What is in the text (the noise is deliberate, the share of each is in ``NOISE``):

- a purpose per КОСГУ in several wordings: contract/invoice numbers and dates, a subject
  (drug INN, food kind, fuel grade, the service), «В т.ч. НДС …» or «НДС не облагается»;
- the КОСГУ written in the purpose only sometimes («КОСГУ 341», «(341)», «ст. 226»,
  «КВР 244 КОСГУ 226»), the КВФО sometimes («КФО 7», «средства ОМС», «субсидия на ГЗ»,
  «ПДД»); an analytic КБК in ``kbk`` (20 digits: zeros, the КВР, the КОСГУ last) for a part
  of the treasury payments; the tax КБК (182…/797…) for taxes and contributions;
- abbreviations («опл.», «сч.», «дог.», «з/п», «эл/энергия»), typos (swapped/dropped letters),
  upper case, and ambiguous payments («Оплата по счёту № 45 от 03.02.2025», no subject) to a
  supplier of several kinds of goods;
- recurring counterparties per category (energy sales company, heat network, water utility,
  waste operator, telecom, pharma distributors, food suppliers, fuel, banks for wages, UFK for
  taxes (Межрайонная ИФНС) and for СФР contributions), each with a valid-checksum ИНН and a КПП;
- income: CMI payments from the insurers (СМО) and ТФОМС (КВФО 7, КОСГУ 132), the founder's
  subsidies (КВФО 4 → 131, КВФО 5 → 152, КВФО 6 → 162), paid services and rent (КВФО 2 →
  131/121/133)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from finance.budget.codes import CMI_KVFO, INCOME_CODES, KOSGU

REGION = "Приозёрской области"
REGION_TAX_CODE = "50"

MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
MONTHS_NOMINATIVE = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip

# the share of each kind of noise (probabilities per payment)
NOISE = {
    "kosgu_in_text": 0.14,  # «КОСГУ 341» and the like
    "kvfo_in_text": 0.6,  # «КФО 7», «средства ОМС» …
    "analytic_kbk": 0.20,  # ПоказательКБК ending with the КОСГУ (treasury payments)
    "typo": 0.12,
    "abbreviate": 0.35,
    "upper": 0.05,
    "ambiguous": 0.03,  # «Оплата по счёту № 45» to a supplier of several kinds of goods
}


# ---------------------------------------------------------------- identifiers


def inn10(rng: random.Random, region: str = REGION_TAX_CODE) -> str:
    """A legal entity's ИНН (10 digits) with a valid check digit."""
    digits = [int(c) for c in region] + [rng.randrange(10) for _ in range(7)]
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


def inn_valid(inn: str) -> bool:
    """Check digits of a 10- or 12-digit ИНН."""
    if not inn.isdigit():
        return False
    d = [int(c) for c in inn]

    def check(weights: Sequence[int]) -> int:
        return sum(a * b for a, b in zip(d, weights, strict=False)) % 11 % 10

    if len(d) == 10:
        return check((2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[9]
    if len(d) == 12:
        return (
            check((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[10]
            and check((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[11]
        )
    return False


def kpp(inn: str, rng: random.Random, reason: str = "01") -> str:
    return inn[:4] + reason + f"{rng.randrange(1, 3):03d}"


def bank_account(rng: random.Random, prefix: str = "40702810") -> str:
    return prefix + "".join(str(rng.randrange(10)) for _ in range(20 - len(prefix)))


@dataclass(frozen=True)
class Counterparty:
    name: str
    inn: str
    kpp: str
    account: str
    bik: str


def _counterparty(name: str, seed: str, *, treasury: bool = False) -> Counterparty:
    rng = random.Random(f"counterparty:{seed}")
    inn = inn10(rng)
    account = "03100643000000014800" if treasury else bank_account(rng)
    bik = "014525000" if treasury else "04" + REGION_TAX_CODE + f"{rng.randrange(10**5):05d}"
    return Counterparty(name, inn, kpp(inn, rng), account, bik)


def _parties(*names: str) -> tuple[Counterparty, ...]:
    return tuple(_counterparty(n, n) for n in names)


# since 2023 the single tax payment (ЕНП) goes to the Federal Treasury for the FNS
UFK_TAX = _counterparty("Казначейство России (ФНС России)", "ufk-fns", treasury=True)
UFK_SFR = _counterparty(
    f"УФК по {REGION} (Отделение Фонда пенсионного и социального страхования РФ по {REGION})",
    "ufk-sfr",
    treasury=True,
)
UFK_FOUNDER = _counterparty(
    f"УФК по {REGION} (Министерство здравоохранения {REGION})", "ufk-minzdrav", treasury=True
)
TFOMS = _counterparty(f"УФК по {REGION} (ТФОМС {REGION})", "tfoms", treasury=True)
INSURERS = _parties(
    "ООО «Капитал Медицинское Страхование» (филиал в Приозёрской области)",
    "АО «Страховая компания «СОГАЗ-Мед» Приозёрский филиал",
    "ООО «СМК «Приозёрье-Мед»",
)
BANKS = _parties("ПАО «Приозёрский народный банк»", "АО «Северный кредитный банк»")
ENERGY = _parties("АО «Приозёрская энергосбытовая компания»")
HEAT = _parties("МУП «Приозёрские тепловые сети»", "ООО «Теплоресурс»")
WATER = _parties("МУП «Водоканал г. Приозёрска»")
WASTE = _parties("ООО «Региональный оператор по обращению с ТКО «Чистый край»")
TELECOM = _parties("ПАО «Телеком-Регион»", "ООО «Приозёр-Связь»")
PHARMA = _parties(
    "ООО «Фармдистрибуция Плюс»", "АО «Северная фармацевтическая компания»",
    "ООО «МедСнаб»", "ООО «Протек-Приозёрье»",
)  # fmt: skip
MED_SUPPLIES = _parties("ООО «Медтехника-Сервис»", "ООО «ЛабРеагент»", "ООО «МедСнаб»")
FOOD = _parties(
    "ООО «Приозёрский молочный комбинат»", "ИП Глебова Н.А.", "ООО «Продснаб»",
    "АО «Хлебозавод № 2»", "ООО «Овощная база «Заречье»",
)  # fmt: skip
FUEL = _parties("ООО «Лукойл-Приозёрьенефтепродукт»", "АО «Топливная компания «Север»")
BUILDING = _parties("ООО «СтройМаркет»", "ООО «Леруа-Опт»")
TEXTILE = _parties("ООО «Медтекстиль»", "ИП Савельева О.В.")
OFFICE = _parties("ООО «Канцлер»", "ООО «Хозторг»", "ООО «Картридж-Сервис»")
GENERAL = _parties("ООО «Торговый дом «Альянс»", "ООО «Снабженец»")  # several kinds of goods
EQUIPMENT = _parties("ООО «МедТехИмпорт»", "ООО «Компьютерный центр «Мегабайт»", "ООО «Мебель-Мед»")
MAINTENANCE = _parties(
    "ООО «Медтехника-Сервис»", "ООО «Лифтсервис»", "ООО «Пожбезопасность»",
    "ООО «ДезСтанция»", "ООО «РемСтройСервис»",
)  # fmt: skip
SERVICES = _parties(
    "ООО ЧОП «Барс»", "ООО «ЭкоМедУтилизация»", "ООО «Софт-Сопровождение»",
    "ФБУЗ «Центр гигиены и эпидемиологии в Приозёрской области»", "АНО ДПО «Учебный центр «Медик»",
)  # fmt: skip
TRANSPORT = _parties("ООО «Транспортная компания «Вектор»", "ИП Кузнецов А.П.")
LANDLORDS = _parties("ООО «Бизнес-центр «Озёрный»", "Администрация г. Приозёрска")
INSURANCE = _parties("АО «СК «Гайде»")
ASSOCIATIONS = _parties("Ассоциация медицинских организаций Приозёрской области")
CONSTRUCTION = _parties("ООО «СтройИнвест»", "ООО «Стройконтроль-Проект»")
PERSONS = ("Иванова Мария Петровна", "Смирнов Олег Викторович", "Кузьмина Анна Сергеевна")
PAYERS_PAID = _parties("ООО «Приозёрский машиностроительный завод»", "АО «Агрофирма «Заря»")
ACQUIRING = BANKS[:1]
TENANTS = _parties("ООО «Аптека «Здоровье»", "ИП Морозов В.И.")


# ---------------------------------------------------------------- texts


@dataclass(frozen=True)
class Ctx:
    """What a template may mention."""

    rng: random.Random
    day: date
    month: date  # the month paid for (previous month for utilities, wages…)
    amount: Decimal

    def num(self, lo: int = 1, hi: int = 999) -> int:
        return self.rng.randint(lo, hi)

    def date_before(self, days: int = 40) -> str:
        return (self.day - timedelta(days=self.rng.randint(1, days))).strftime("%d.%m.%Y")

    def month_name(self) -> str:
        return MONTHS_NOMINATIVE[self.month.month - 1]

    def period(self) -> str:
        forms = (
            f"за {self.month_name()} {self.month.year} г.",
            f"за {self.month_name()} {self.month.year}",
            f"за {self.month.month:02d}.{self.month.year}",
            f"за {self.month_name()}",
        )
        return self.rng.choice(forms)

    def contract(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.4:
            reg = f"03{r.randint(10**15, 10**16 - 1)}{r.randint(10, 99)}"[:19]
            return f"по контракту № {reg} от {self.date_before(200)}"
        if kind < 0.7:
            return f"по договору № {r.randint(1, 400)}{r.choice(['', '/24', '-ОМС', '/Э'])} от {self.date_before(300)}"
        return f"по дог. № {r.randint(1, 400)} от {self.date_before(300)}"

    def invoice(self) -> str:
        return self.rng.choice(
            (
                f"по счёту № {self.num()} от {self.date_before()}",
                f"по счету № {self.num()} от {self.date_before()}",
                f"сч. {self.num()} от {self.date_before()}",
                f"по счету-фактуре № {self.num()} от {self.date_before()}",
                f"по УПД № {self.num()} от {self.date_before()}",
            )
        )

    def vat(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            return "НДС не облагается"
        if r < 0.6:
            return "Без налога (НДС)"
        tax = (self.amount * Decimal(20) / Decimal(120)).quantize(Decimal("0.01"))
        if r < 0.9:
            return f"В т.ч. НДС (20%) {str(tax).replace('.', '-')}"
        return f"в том числе НДС 20% - {tax} руб."


MEDICINES = (
    "Эноксапарин натрия", "Цефтриаксон", "Амоксициллин+клавулановая кислота", "Омепразол",
    "Натрия хлорид р-р 0,9%", "Инсулин гларгин", "Гепарин натрия", "Метронидазол",
    "Дексаметазон", "Аторвастатин", "Левофлоксацин", "Меропенем", "Кеторолак", "Парацетамол",
)  # fmt: skip
MED_MATERIALS = (
    "шприцев одноразовых", "перчаток медицинских нитриловых", "систем для инфузий",
    "реагентов для биохимического анализатора", "тест-систем ИФА", "перевязочного материала",
    "катетеров внутривенных", "рентгеновской плёнки", "расходных материалов для гемодиализа",
)  # fmt: skip
FOODS = (
    "молочная продукция", "мясо говядина", "мясо птицы", "хлеб и хлебобулочные изделия",
    "овощи свежие", "крупы", "рыба мороженая", "фрукты", "масло сливочное", "яйцо куриное",
)  # fmt: skip
FUELS = ("бензин АИ-92", "бензин АИ-95", "дизельное топливо", "масло моторное")
BUILDING_MATERIALS = (
    "краска ВД", "плитка керамическая", "линолеум коммерческий", "сантехнические материалы",
    "цемент, смеси сухие", "пиломатериалы", "электротовары (кабель, автоматы)",
)  # fmt: skip
TEXTILES = (
    "халаты медицинские", "костюмы хирургические", "постельное бельё", "полотенца",
    "одеяла", "матрацы", "спецодежда", "бахилы многоразовые",
)  # fmt: skip
OTHER_STOCK = (
    "канцелярские товары", "хозяйственные товары", "моющие и дезинфицирующие средства",
    "картриджи для принтеров", "запасные части к автомобилям", "бумага для офисной техники",
    "посуда", "электролампы",
)  # fmt: skip
EQUIPMENT_ITEMS = (
    "аппарата ИВЛ", "электрокардиографа", "кровати функциональной", "компьютеров в сборе",
    "МФУ", "мебели медицинской", "холодильника фармацевтического", "облучателя-рециркулятора",
    "автомобиля скорой медицинской помощи класса В",
)  # fmt: skip


def _goods(ctx: Ctx, what: str, noun: str = "поставку") -> str:
    r = ctx.rng
    head = r.choice(("Оплата", "Оплата", "Опл."))
    forms = (
        f"{head} {ctx.contract()} за {noun} {what} {ctx.invoice()}",
        f"{head} {ctx.invoice()} за {what}",
        f"{head} за {noun} {what} {ctx.contract()}",
        f"{what[:1].upper() + what[1:]} {ctx.invoice()}",
    )
    return f"{r.choice(forms)}. {ctx.vat()}"


def _t211(ctx: Ctx) -> str:
    r = ctx.rng
    return r.choice(
        (
            f"Перечисление заработной платы {ctx.period()} по реестру № {ctx.num(1, 60)}",
            f"Заработная плата {ctx.period()} согласно реестру № {ctx.num(1, 60)} (зарплатный проект)",
            f"Аванс {ctx.period()} по реестру {ctx.num(1, 60)}",
            f"Перечисление з/п {ctx.period()} на карты сотрудников, реестр № {ctx.num(1, 60)}",
            f"Для зачисления на счета сотрудников заработной платы {ctx.period()} по договору № {ctx.num(1, 30)}",
            f"ЕНП: НДФЛ с заработной платы {ctx.period()}",
            f"Отпускные {ctx.period()} по реестру № {ctx.num(1, 60)}",
        )
    )


def _t212(ctx: Ctx) -> str:
    return ctx.rng.choice(
        (
            f"Компенсация стоимости проезда к месту использования отпуска по авансовому отчёту № {ctx.num()}",
            f"Суточные при служебной командировке по приказу № {ctx.num()}-к",
            f"Возмещение расходов по командировке (суточные), авансовый отчёт № {ctx.num()}",
        )
    )


def _t213(ctx: Ctx) -> str:
    r = ctx.rng
    return r.choice(
        (
            f"Единый налоговый платеж (страховые взносы {ctx.period()})",
            f"Страховые взносы на ОПС, ОМС, ВНиМ {ctx.period()}",
            f"ЕНП: страховые взносы по единому тарифу {ctx.period()}",
            f"Страховые взносы на обязательное социальное страхование от несчастных случаев на производстве {ctx.period()}",
            f"Взносы на страхование от НС и ПЗ {ctx.period()}",
        )
    )


def _t221(ctx: Ctx) -> str:
    r = ctx.rng
    what = r.choice(
        (
            "услуги связи", "услуги местной телефонной связи", "услуги доступа к сети Интернет",
            "абонентскую плату за телефон", "услуги связи (интернет, телефония)",
            "услуги защищенной сети передачи данных (VipNet)",
        )
    )  # fmt: skip
    return r.choice(
        (
            f"Оплата за {what} {ctx.period()} {ctx.contract()}. {ctx.vat()}",
            f"Оплата за {what} {ctx.invoice()} {ctx.period()}. {ctx.vat()}",
            f"Опл. {what} {ctx.period()}",
        )
    )


def _t222(ctx: Ctx) -> str:
    return ctx.rng.choice(
        (
            f"Оплата транспортных услуг по перевозке пациентов на гемодиализ {ctx.period()} {ctx.contract()}",
            f"Транспортные услуги (доставка медицинского персонала) {ctx.invoice()}",
            f"Услуги по перевозке биоматериала в лабораторию {ctx.period()}. {ctx.vat()}",
        )
    )


def _t223(ctx: Ctx, kind: str) -> str:
    r = ctx.rng
    subject = {
        "energy": r.choice(("электроэнергию", "электрическую энергию", "эл/энергию", "электроэнергия")),
        "heat": r.choice(("тепловую энергию", "теплоснабжение", "отопление и ГВС", "теплоэнергию")),
        "water": r.choice(
            (
                "холодное водоснабжение и водоотведение",
                "водоснабжение",
                "ХВС и водоотведение",
                "водоотведение",
            )
        ),
        "waste": r.choice(("услуги по обращению с ТКО", "вывоз ТКО", "вывоз твердых коммунальных отходов")),
    }[kind]
    return r.choice(
        (
            f"Оплата за {subject} {ctx.contract()} {ctx.period()}. {ctx.vat()}",
            f"Оплата за {subject} {ctx.period()} {ctx.invoice()}. {ctx.vat()}",
            f"Опл. за {subject} {ctx.period()}",
            f"Оплата {ctx.invoice()} за {subject}. {ctx.vat()}",
        )
    )


def _t224(ctx: Ctx) -> str:
    return ctx.rng.choice(
        (
            f"Арендная плата за нежилое помещение {ctx.contract()} {ctx.period()}. {ctx.vat()}",
            f"Аренда помещения под ФАП {ctx.period()} {ctx.invoice()}",
            f"Оплата аренды {ctx.period()} по дог. аренды № {ctx.num(1, 50)}",
        )
    )


def _t225(ctx: Ctx) -> str:
    r = ctx.rng
    what = r.choice(
        (
            "техническое обслуживание медицинского оборудования", "ТО лифтов",
            "обслуживание автоматической пожарной сигнализации", "дезинсекцию и дератизацию помещений",
            "текущий ремонт кровли", "ремонт рентгеновского аппарата", "поверку средств измерений",
            "стирку белья", "техническое обслуживание автомобилей", "заправку картриджей",
            "текущий ремонт помещений поликлиники", "обслуживание системы вентиляции",
        )
    )  # fmt: skip
    return r.choice(
        (
            f"Оплата за {what} {ctx.contract()} {ctx.period()}. {ctx.vat()}",
            f"Оплата {ctx.invoice()} за {what}. {ctx.vat()}",
            f"Опл. {what} {ctx.invoice()}",
        )
    )


def _t226(ctx: Ctx) -> str:
    r = ctx.rng
    what = r.choice(
        (
            "услуги охраны (физическая охрана объекта)", "вывоз и утилизацию медицинских отходов класса Б",
            "лабораторные исследования", "сопровождение программы 1С:Бухгалтерия",
            "предварительный медицинский осмотр работников", "обучение по программе повышения квалификации",
            "услуги по проведению специальной оценки условий труда", "подписку на периодические издания",
            "неисключительные права на ПО (антивирус)", "услуги по обработке персональных данных",
            "экспертизу качества медицинской помощи", "услуги пультовой охраны",
        )
    )  # fmt: skip
    return r.choice(
        (
            f"Оплата за {what} {ctx.contract()}. {ctx.vat()}",
            f"Оплата за {what} {ctx.period()} {ctx.invoice()}. {ctx.vat()}",
            f"Опл. {what} {ctx.invoice()}",
        )
    )


def _t227(ctx: Ctx) -> str:
    return ctx.rng.choice(
        (
            f"Страховая премия по полису ОСАГО ХХХ № {ctx.num(10**9, 10**10 - 1)}",
            f"ОСАГО автомобиля скорой помощи {ctx.invoice()}. НДС не облагается",
        )
    )


def _t266(ctx: Ctx) -> str:
    return ctx.rng.choice(
        (
            f"Пособие по временной нетрудоспособности за первые три дня {ctx.period()} по реестру № {ctx.num(1, 40)}",
            f"Оплата больничных листов за счёт работодателя {ctx.period()}",
        )
    )


def _t291(ctx: Ctx) -> str:
    r = ctx.rng
    quarter = (ctx.month.month - 1) // 3 + 1
    return r.choice(
        (
            f"ЕНП: налог на имущество организаций за {quarter} кв. {ctx.month.year} г.",
            f"Единый налоговый платеж (земельный налог за {quarter} квартал {ctx.month.year})",
            f"Транспортный налог за {quarter} кв. {ctx.month.year}",
            "Государственная пошлина за регистрацию транспортного средства",
            f"Плата за негативное воздействие на окружающую среду за {quarter} кв.",
        )
    )


def _t292(ctx: Ctx) -> str:
    return f"Пени по налогу на имущество по требованию № {ctx.num(1000, 99999)} от {ctx.date_before()}"


def _t293(ctx: Ctx) -> str:
    return f"Оплата неустойки (пени) за просрочку исполнения обязательств {ctx.contract()} по претензии № {ctx.num(1, 90)}"


def _t295(ctx: Ctx) -> str:
    return f"Штраф по постановлению Роспотребнадзора № {ctx.num(100, 9999)} от {ctx.date_before(90)}"


def _t296(ctx: Ctx) -> str:
    return f"Возмещение расходов на проезд донору крови по реестру № {ctx.num(1, 90)}"


def _t297(ctx: Ctx) -> str:
    return (
        f"Членский взнос в Ассоциацию медицинских организаций за {ctx.month.year} г. по счёту № {ctx.num()}"
    )


def _t310(ctx: Ctx) -> str:
    return _goods(ctx, ctx.rng.choice(EQUIPMENT_ITEMS)) + ctx.rng.choice(("", " Основные средства."))


def _t341(ctx: Ctx) -> str:
    r = ctx.rng
    if r.random() < 0.65:
        drug = r.choice(MEDICINES)
        what = r.choice(
            (
                f"лекарственных препаратов ({drug})", f"лекарственного препарата {drug}",
                f"лек. препаратов ({drug})", f"медикаментов ({drug})", f"ЛП {drug}",
            )
        )  # fmt: skip
    else:
        what = r.choice(MED_MATERIALS)
        what = r.choice((what, f"медицинских изделий ({what})", f"изделий медицинского назначения: {what}"))
    return _goods(ctx, what)


def _t342(ctx: Ctx) -> str:
    r = ctx.rng
    food = r.choice(FOODS)
    return r.choice(
        (
            _goods(ctx, f"продуктов питания ({food})"),
            f"Продукты питания ({food}) {ctx.invoice()}. {ctx.vat()}",
            f"Оплата за продукты питания: {food} {ctx.contract()}",
            f"Опл. за {food} для пищеблока {ctx.invoice()}",
        )
    )


def _t343(ctx: Ctx) -> str:
    r = ctx.rng
    fuel = r.choice(FUELS)
    return r.choice(
        (
            f"ГСМ: {fuel} по талонам {ctx.invoice()}. {ctx.vat()}",
            f"Оплата за {fuel} по топливным картам {ctx.period()} {ctx.contract()}",
            f"Оплата за ГСМ ({fuel}) {ctx.invoice()}. {ctx.vat()}",
            f"Горюче-смазочные материалы ({fuel}) {ctx.period()}",
        )
    )


def _t344(ctx: Ctx) -> str:
    return _goods(ctx, f"строительных материалов ({ctx.rng.choice(BUILDING_MATERIALS)})")


def _t345(ctx: Ctx) -> str:
    r = ctx.rng
    item = r.choice(TEXTILES)
    return r.choice(
        (
            _goods(ctx, f"мягкого инвентаря ({item})"),
            f"Мягкий инвентарь: {item} {ctx.invoice()}. {ctx.vat()}",
            _goods(ctx, item),
        )
    )


def _t346(ctx: Ctx) -> str:
    return _goods(ctx, ctx.rng.choice(OTHER_STOCK))


def _t349(ctx: Ctx) -> str:
    return ctx.rng.choice(
        (
            f"Приобретение бланков строгой отчётности (листки, бланки рецептов) {ctx.invoice()}. НДС не облагается",
            f"Оплата за почётные грамоты и цветы к профессиональному празднику {ctx.invoice()}",
            f"Бланки рецептурные {ctx.invoice()}",
        )
    )


def _t228(ctx: Ctx) -> str:
    return f"Оплата услуг строительного контроля на объекте капитального строительства (поликлиника) {ctx.contract()}. {ctx.vat()}"


def _t347(ctx: Ctx) -> str:
    return _goods(ctx, "строительных материалов для строительства нового корпуса (капитальные вложения)")


# income


def _t132(ctx: Ctx) -> str:
    r = ctx.rng
    return r.choice(
        (
            f"Оплата медицинской помощи по ОМС {ctx.period()} по счёту № {ctx.num()} реестр № {ctx.num(1, 999)}",
            f"Оплата за оказанную медицинскую помощь по ОМС {ctx.period()}, счет {ctx.num()}, реестр счетов {ctx.num()}",
            f"Аванс на оплату медицинской помощи по ОМС {ctx.period()} по договору на оказание и оплату медпомощи № {ctx.num(1, 300)}",
            f"Окончательный расчет за мед. помощь по ОМС {ctx.period()}",
            f"Оплата медицинской помощи лицам, застрахованным за пределами субъекта, {ctx.period()} (межтерриториальные расчеты)",
        )
    )


def _t131(ctx: Ctx, kvfo: int) -> str:
    r = ctx.rng
    if kvfo == 4:
        return r.choice(
            (
                f"Субсидия на финансовое обеспечение выполнения государственного задания на {ctx.month.year} год {ctx.period()} по соглашению № {ctx.num(1, 300)}",
                f"Перечисление субсидии на выполнение гос. задания {ctx.period()}",
                f"Субсидия на ГЗ {ctx.period()} согласно соглашению № {ctx.num(1, 300)}-С",
            )
        )
    return r.choice(
        (
            f"Зачисление средств по операциям эквайринга за {ctx.date_before(5)} (платные медицинские услуги)",
            f"Оплата по договору № {ctx.num()} на оказание платных медицинских услуг (периодический медосмотр работников)",
            f"Оплата за платные мед. услуги {ctx.invoice()}",
            f"Оплата за медицинское освидетельствование {ctx.invoice()}. НДС не облагается",
        )
    )


def _t121(ctx: Ctx) -> str:
    return f"Арендная плата {ctx.period()} {ctx.contract()}. {ctx.vat()}"


def _t133(ctx: Ctx) -> str:
    return f"Возмещение коммунальных расходов арендатором {ctx.period()} {ctx.invoice()}"


def _t135(ctx: Ctx) -> str:
    return f"Возмещение расходов на выплату пособий (ФСС) {ctx.period()} по заявлению № {ctx.num()}"


def _t141(ctx: Ctx) -> str:
    return f"Неустойка (пени) за просрочку поставки {ctx.contract()} по претензии № {ctx.num(1, 90)}"


def _t152(ctx: Ctx) -> str:
    return ctx.rng.choice(
        (
            f"Субсидия на иные цели (приобретение медицинского оборудования) по соглашению № {ctx.num(1, 200)}-ИЦ",
            f"Целевая субсидия на проведение капитального ремонта, соглашение № {ctx.num(1, 200)}",
            f"Субсидия на иные цели: выплаты медицинским работникам {ctx.period()}",
        )
    )


def _t162(ctx: Ctx) -> str:
    return f"Субсидия на осуществление капитальных вложений (строительство поликлиники) по соглашению № {ctx.num(1, 90)}-КВ"


def _t124(ctx: Ctx) -> str:
    return f"Проценты на остаток денежных средств {ctx.period()}"


def _t189(ctx: Ctx) -> str:
    return f"Прочие поступления: возврат излишне уплаченных средств {ctx.invoice()}"


# which counterparties and which template per КОСГУ


@dataclass(frozen=True)
class Kind:
    parties: tuple[Counterparty, ...]
    template: Any  # (Ctx) -> str
    parts: tuple[int, int] = (1, 4)  # payments per month and cell
    kbk: str | None = None  # a tax КБК


def _utility(kind: str) -> Any:
    return lambda ctx: _t223(ctx, kind)


EXPENSE_KINDS: dict[str, tuple[Kind, ...]] = {
    "211": (Kind(BANKS, _t211, (2, 3)),),
    "212": (Kind(BANKS, _t212, (1, 2)),),
    "213": (
        Kind((UFK_TAX,), _t213, (1, 2), kbk="18201061201010000510"),
        Kind((UFK_SFR,), _t213, (1, 1), kbk="79710212000061000160"),
    ),
    "221": (Kind(TELECOM, _t221, (1, 2)),),
    "222": (Kind(TRANSPORT, _t222, (1, 2)),),
    "223": (
        Kind(ENERGY, _utility("energy"), (1, 2)),
        Kind(HEAT, _utility("heat"), (1, 1)),
        Kind(WATER, _utility("water"), (1, 1)),
        Kind(WASTE, _utility("waste"), (1, 1)),
    ),
    "224": (Kind(LANDLORDS, _t224, (1, 1)),),
    "225": (Kind(MAINTENANCE, _t225, (1, 4)),),
    "226": (Kind(SERVICES, _t226, (1, 5)),),
    "227": (Kind(INSURANCE, _t227, (1, 1)),),
    "228": (Kind(CONSTRUCTION, _t228, (1, 2)),),
    "266": (Kind(BANKS, _t266, (1, 1)),),
    "291": (Kind((UFK_TAX,), _t291, (1, 2), kbk="18201061201010000510"),),
    "292": (Kind((UFK_TAX,), _t292, (1, 1), kbk="18201061201010000510"),),
    "293": (Kind(PHARMA + FOOD, _t293, (1, 1)),),
    "295": (Kind((UFK_FOUNDER,), _t295, (1, 1)),),
    "296": (Kind(BANKS, _t296, (1, 1)),),
    "297": (Kind(ASSOCIATIONS, _t297, (1, 1)),),
    "310": (Kind(EQUIPMENT, _t310, (1, 3)),),
    "341": (Kind(PHARMA, _t341, (3, 12)), Kind(MED_SUPPLIES, _t341, (1, 4))),
    "342": (Kind(FOOD, _t342, (3, 8)),),
    "343": (Kind(FUEL, _t343, (1, 3)),),
    "344": (Kind(BUILDING, _t344, (1, 3)),),
    "345": (Kind(TEXTILE, _t345, (1, 3)),),
    "346": (Kind(OFFICE + GENERAL, _t346, (1, 5)),),
    "347": (Kind(CONSTRUCTION, _t347, (1, 1)),),
    "349": (Kind(OFFICE, _t349, (1, 1)),),
}


def _income_kind(kvfo: int, kosgu: str) -> Kind:
    if kosgu == "132" or kvfo == 7:
        return Kind((TFOMS, *INSURERS), _t132, (2, 5))
    if kosgu == "131":
        if kvfo == 4:
            return Kind((UFK_FOUNDER,), lambda ctx: _t131(ctx, 4), (1, 2))
        return Kind(ACQUIRING + PAYERS_PAID, lambda ctx: _t131(ctx, kvfo), (2, 6))
    templates = {
        "121": _t121,
        "124": _t124,
        "133": _t133,
        "135": _t135,
        "141": _t141,
        "152": _t152,
        "162": _t162,
    }
    if kosgu in ("152", "162"):
        return Kind((UFK_FOUNDER,), templates[kosgu], (1, 2))
    if kosgu in ("121", "133"):
        return Kind(TENANTS, templates[kosgu], (1, 2))
    if kosgu == "135":
        return Kind((UFK_SFR,), templates[kosgu], (1, 1))
    if kosgu == "124":
        return Kind(BANKS, templates[kosgu], (1, 1))
    if kosgu == "141":
        return Kind(PHARMA, templates[kosgu], (1, 1))
    return Kind(GENERAL, _t189, (1, 1))


def _fallback(kosgu: str) -> Kind:
    name = KOSGU[kosgu].name.lower() if kosgu in KOSGU else "прочие расходы"
    return Kind(GENERAL, lambda ctx: f"Оплата {ctx.invoice()} ({name}). {ctx.vat()}", (1, 2))


def kinds_for(kvfo: int, kosgu: str) -> tuple[Kind, ...]:
    if kosgu in INCOME_CODES:
        return (_income_kind(kvfo, kosgu),)
    return EXPENSE_KINDS.get(kosgu) or (_fallback(kosgu),)


# ---------------------------------------------------------------- noise

KVFO_MARKS: dict[int, tuple[str, ...]] = {
    7: ("КФО 7", "КВФО 7", "средства ОМС", "за счет средств ОМС", "(ОМС)", "ср-ва ОМС", "ОМС"),
    4: (
        "КФО 4",
        "КВФО 4",
        "субсидия на ГЗ",
        "за счет субсидии на выполнение гос. задания",
        "(ГЗ)",
        "гос.задание",
    ),
    5: ("КФО 5", "КВФО 5", "субсидия на иные цели", "(целевая субсидия)", "иные цели"),
    6: ("КФО 6", "КВФО 6", "бюджетные инвестиции", "(кап. вложения)"),
    2: ("КФО 2", "КВФО 2", "ПДД", "за счет приносящей доход деятельности", "внебюджет", "(платные услуги)"),
}
ABBREVIATIONS = (
    ("Оплата", "Опл."), ("оплата", "опл."), ("по договору", "по дог."), ("по счёту", "по сч."),
    ("по счету", "по сч."), ("заработной платы", "з/пл"), ("электроэнергию", "эл.энергию"),
    ("медицинских", "мед."), ("медицинского", "мед."), ("лекарственных препаратов", "лек.преп."),
    ("в том числе", "в т.ч."), ("техническое обслуживание", "тех.обслуживание"),
    ("Без налога (НДС)", "Без НДС"), ("НДС не облагается", "без НДС"),
)  # fmt: skip
LETTERS = "абвгдежзиклмнопрстуфхцчшщыэюя"


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) > 5 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    kind = rng.random()
    if kind < 0.4:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # swapped letters
    elif kind < 0.7:
        w = w[:j] + w[j + 1 :]  # dropped letter
    else:
        w = w[:j] + rng.choice(LETTERS) + w[j + 1 :]  # wrong letter
    words[i] = w
    return " ".join(words)


def _abbreviate(text: str, rng: random.Random) -> str:
    for long, short in ABBREVIATIONS:
        if long in text and rng.random() < 0.6:
            text = text.replace(long, short, 1)
    return text


def _kosgu_mark(kosgu: str, rng: random.Random) -> str:
    return rng.choice(
        (
            f"КОСГУ {kosgu}", f"({kosgu})", f"ст. {kosgu}", f"КВР 244 КОСГУ {kosgu}", f"косгу {kosgu}",
            f"КОСГУ:{kosgu}", f"(244/{kosgu})",
        )
    )  # fmt: skip


def analytic_kbk(kosgu: str, kvfo: int, rng: random.Random) -> str:
    """The analytic КБК a budget institution writes into ПоказательКБК of a treasury payment:
    20 digits ending with the КОСГУ (the code of the kind of expense before it)."""
    kvr = "000" if kosgu in INCOME_CODES else rng.choice(("244", "111", "119", "851", "247"))
    return "0" * 14 + kvr + kosgu


# ---------------------------------------------------------------- payments


def personal_account(kvfo: int, autonomous: bool = False, mo_name: str = "") -> str:
    """The MO's treasury personal account for a КВФО: 20…/30… its own funds (КВФО 2, 4), a
    separate one of the same kind for CMI funds (КВФО 7), 21…/31… subsidies for other purposes
    and investments (КВФО 5, 6). The number after «Ц» is the MO's (from its name)."""
    own = kvfo in (2, 4, 7)
    prefix = ("30" if own else "31") if autonomous else ("20" if own else "21")
    number = sum(ord(c) * (i + 1) for i, c in enumerate(mo_name)) % 9000 + 1000
    suffix = {7: "7"}.get(kvfo, "0" if own else "1")
    return f"{prefix}476Ц{number}{suffix}"


def treasury_party_name(mo_name: str, kvfo: int, autonomous: bool = False) -> str:
    """The MO as the payer (payee) of a treasury payment: «УФК по … (ГБУЗ … л/с 20476Ц12340)»."""
    return f"УФК по {REGION} ({mo_name} л/с {personal_account(kvfo, autonomous, mo_name)})"


@dataclass(frozen=True)
class SyntheticPayment:
    kvfo: int
    kosgu: str
    direction: str  # out | in
    doc_number: str
    doc_date: date
    amount: Decimal
    purpose: str
    counterparty: Counterparty  # payee of an out payment, payer of an in one
    kbk: str | None
    ambiguous: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def order_fields(
        self,
        *,
        mo_name: str,
        mo_inn: str | None = None,
        mo_kpp: str | None = None,
        mo_account: str = "03234643500000004800",
        mo_bik: str = "014525000",
        autonomous: bool = False,
    ) -> dict[str, Any]:
        """The ``PaymentOrder`` columns (no id/mo_id/import_id/classification)."""
        mo_party = {
            "name": treasury_party_name(mo_name, self.kvfo, autonomous),
            "inn": mo_inn,
            "kpp": mo_kpp,
            "account": mo_account,
            "bik": mo_bik,
        }
        cp = self.counterparty
        other = {"name": cp.name, "inn": cp.inn, "kpp": cp.kpp, "account": cp.account, "bik": cp.bik}
        payer, payee = (mo_party, other) if self.direction == "out" else (other, mo_party)
        return {
            "direction": self.direction,
            "doc_kind": "Платежное поручение",
            "doc_number": self.doc_number,
            "doc_date": self.doc_date,
            "amount": self.amount,
            "account": mo_account,
            **{f"payer_{k}": v for k, v in payer.items()},
            **{f"payee_{k}": v for k, v in payee.items()},
            "purpose": self.purpose,
            "kbk": self.kbk,
            "written_off": self.doc_date if self.direction == "out" else None,
            "received": self.doc_date if self.direction == "in" else None,
        }


def synthetic_payment(
    kvfo: int,
    kosgu: str,
    amount: Decimal,
    day: date,
    rng: random.Random,
    *,
    kind: Kind | None = None,
    doc_number: str | None = None,
) -> SyntheticPayment:
    """One labelled payment of ``amount`` on ``day`` for the cell (КВФО, КОСГУ)."""
    kind = kind or rng.choice(kinds_for(kvfo, kosgu))
    direction = "in" if kosgu in INCOME_CODES else "out"
    # wages, utilities, taxes are paid for the previous month
    paid_for = (day.replace(day=1) - timedelta(days=1)).replace(day=1) if day.day < 20 else day.replace(day=1)
    ctx = Ctx(rng, day, paid_for, amount)
    party = rng.choice(kind.parties)
    ambiguous = (
        direction == "out"
        and kosgu in ("341", "344", "345", "346", "310")
        and rng.random() < NOISE["ambiguous"] * 4
    )
    if ambiguous:
        party = rng.choice(GENERAL)
        text = rng.choice(
            (
                f"Оплата {ctx.invoice()}",
                f"Оплата {ctx.invoice()}. {ctx.vat()}",
                f"Опл. {ctx.contract()} {ctx.invoice()}",
                f"Оплата по счету № {ctx.num(1, 99)}",
            )
        )
    else:
        text = kind.template(ctx)
    if rng.random() < NOISE["abbreviate"]:
        text = _abbreviate(text, rng)
    if rng.random() < NOISE["typo"]:
        text = _typo(text, rng)
    if rng.random() < NOISE["kvfo_in_text"] and kvfo in KVFO_MARKS and not (direction == "in" and kvfo == 7):
        mark = rng.choice(KVFO_MARKS[kvfo])
        text = f"{mark}. {text}" if rng.random() < 0.4 else f"{text.rstrip('.')} {mark}"
    kbk = kind.kbk
    if kbk is None and direction == "out" and rng.random() < NOISE["analytic_kbk"]:
        kbk = analytic_kbk(kosgu, kvfo, rng)
    if rng.random() < NOISE["kosgu_in_text"] and direction == "out":
        mark = _kosgu_mark(kosgu, rng)
        text = f"{mark} {text}" if rng.random() < 0.3 else f"{text.rstrip('.')}. {mark}"
    if rng.random() < NOISE["upper"]:
        text = text.upper()
    number = doc_number or str(rng.randint(1, 9999))
    return SyntheticPayment(
        kvfo=kvfo,
        kosgu=kosgu,
        direction=direction,
        doc_number=number,
        doc_date=day,
        amount=amount,
        purpose=text[:210],  # 1C's НазначениеПлатежа is 210 characters
        counterparty=party,
        kbk=kbk,
        ambiguous=ambiguous,
    )


def split_amount(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """``total`` in ``parts`` positive amounts (kopecks) that sum to it exactly."""
    total = total.quantize(Decimal("0.01"))
    kopecks = int(total * 100)
    parts = max(1, min(parts, kopecks))
    weights = [rng.uniform(0.3, 1.7) for _ in range(parts)]
    scale = sum(weights)
    shares = [max(1, int(kopecks * w / scale)) for w in weights]
    shares[-1] = kopecks - sum(shares[:-1])
    while shares[-1] <= 0:  # only when kopecks is tiny
        shares.pop()
        shares[-1] = kopecks - sum(shares[:-1])
    return [Decimal(s).scaleb(-2).quantize(Decimal("0.01"), rounding=ROUND_DOWN) for s in shares]


CMI_FIXED_ASSET_UNIT = Decimal("100000")


def split_capped(total: Decimal, cap: Decimal, rng: random.Random) -> list[Decimal]:
    """``total`` in near-equal amounts (±10 %) none over ``cap``, summing to it exactly."""
    kopecks = int(total.quantize(Decimal("0.01")) * 100)
    n = max(1, math.ceil(kopecks / int(cap * 80)))  # parts of ~80 % of the cap
    base, rest = divmod(kopecks, n)
    shares = [base + (1 if i < rest else 0) for i in range(n)]
    for i in range(0, n - 1, 2):
        shift = rng.randint(0, base // 10)
        shares[i] += shift
        shares[i + 1] -= shift
    return [Decimal(s).scaleb(-2).quantize(Decimal("0.01")) for s in shares]


def payments_for_cell(
    kvfo: int, kosgu: str, total: Decimal, month: date, rng: random.Random
) -> list[SyntheticPayment]:
    """The payment orders behind a budget cell's actual ``total`` in ``month`` (sum exact)."""
    if total <= 0:
        return []
    kinds = kinds_for(kvfo, kosgu)
    plan: list[tuple[Kind, Decimal]] = []
    if len(kinds) > 1:  # e.g. 223: every utility every month; 213: ФНС and СФР
        amounts = split_amount(total, len(kinds), rng)
        plan = list(zip(kinds, amounts, strict=False))
    else:
        plan = [(kinds[0], total)]
    out: list[SyntheticPayment] = []
    last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    for kind, amount in plan:
        lo, hi = kind.parts
        # bigger cells are paid in more payments, small ones in one
        n = rng.randint(lo, hi)
        n = max(1, min(n, int(amount // 5000) or 1))
        if kvfo == CMI_KVFO and kosgu == "310":
            # CMI funds buy fixed assets up to 100 000 ₽ a unit (the tariff's structure): paid
            # unit by unit, so no demo order crosses the limit the deviation rules watch
            parts = split_capped(amount, CMI_FIXED_ASSET_UNIT, rng)
        else:
            parts = split_amount(amount, n, rng)
        for part in parts:
            day = month + timedelta(days=rng.randint(0, last.day - 1))
            if day.weekday() >= 5:
                day -= timedelta(days=day.weekday() - 4)
                if day < month:
                    day = month
            out.append(synthetic_payment(kvfo, kosgu, part, day, rng, kind=kind))
    out.sort(key=lambda p: p.doc_date)
    return out


# the demo distribution of cells a payment falls into (weights ~ how many payments per year)
DEMO_CELLS: tuple[tuple[int, str, float], ...] = (
    (7, "211", 6), (7, "213", 4), (7, "221", 2), (7, "222", 1), (7, "223", 8), (7, "224", 0.8),
    (7, "225", 5), (7, "226", 7), (7, "227", 0.4), (7, "266", 1), (7, "291", 1.2), (7, "310", 1.5),
    (7, "341", 20), (7, "342", 9), (7, "343", 2.5), (7, "344", 1), (7, "345", 1.5), (7, "346", 6),
    (7, "349", 0.6), (7, "212", 0.8),
    (4, "211", 2), (4, "213", 1.5), (4, "223", 2), (4, "225", 1.5), (4, "226", 2), (4, "341", 3),
    (4, "346", 1.5), (4, "291", 0.8),
    (5, "310", 1.2), (5, "225", 0.8), (5, "211", 0.8), (5, "341", 0.8),
    (6, "228", 0.3), (6, "310", 0.4), (6, "347", 0.2),
    (2, "211", 1), (2, "226", 1.2), (2, "341", 1), (2, "346", 0.8), (2, "291", 0.3), (2, "292", 0.2),
    (2, "293", 0.2), (2, "295", 0.2), (2, "297", 0.3),
    (7, "132", 4), (4, "131", 1), (5, "152", 0.5), (6, "162", 0.2), (2, "131", 2.5), (2, "121", 0.6),
    (2, "133", 0.4),
)  # fmt: skip


def labelled_sample(
    n: int, rng: random.Random, months: Sequence[date] | None = None
) -> list[SyntheticPayment]:
    """``n`` labelled payments drawn from ``DEMO_CELLS`` over ``months`` (default: the 12
    months of 2025)."""
    months = list(months or [date(2025, m, 1) for m in range(1, 13)])
    cells = [(kvfo, kosgu) for kvfo, kosgu, _ in DEMO_CELLS]
    weights = [w for _, _, w in DEMO_CELLS]
    out: list[SyntheticPayment] = []
    for _ in range(n):
        kvfo, kosgu = rng.choices(cells, weights)[0]
        month = rng.choice(months)
        day = month + timedelta(days=rng.randint(0, 27))
        amount = Decimal(str(round(rng.lognormvariate(11, 1.3), 2))).quantize(Decimal("0.01"))
        amount = max(amount, Decimal("100.00"))
        out.append(synthetic_payment(kvfo, kosgu, amount, day, rng))
    return out
