"""Explicit classification rules, tried before the model. Each part (КВФО, КОСГУ) is decided on
its own; a rule names itself and its confidence:

- ``kosgu_text`` (1.0): the КОСГУ written in the purpose — «КОСГУ 341», «КВР 244 КОСГУ 226»,
  «ст. 226», «(341)», «(244/341)»; a code of the wrong section (an income code in a payment
  out) is ignored;
- ``kbk_tax`` (1.0): a tax or contribution КБК (ПоказательКБК or «КБК …» in the text):
  contributions (182 1 02…, 797 1 02…) → 213, НДФЛ (182 1 01 02…) → 211, property, land and
  transport taxes and duties (182 1 06…, 182 1 08…) → 291; the single tax payment КБК
  (182 01 06 12…) says nothing of the item;
- ``kbk_analytic`` (1.0): the analytic КБК of a budget institution's treasury payment — 20
  digits whose last three are a КОСГУ of the payment's section;
- ``kvfo_text`` (1.0): «КФО 7», «КВФО 4», «КФО: 2»;
- ``account`` (the row's confidence): the MO's treasury personal account (in its name) whose
  confirmed payments are all of one КВФО (learned at training: e.g. the account CMI funds are
  kept on);
- ``personal_account`` (0.9): 21…/31… personal accounts are those of subsidies for other
  purposes (КВФО 5) and investments (6, for capital items); equipment (310) is left to the model;
- ``cmi_income`` (0.99): money in from ТФОМС or an insurer (СМО) «по ОМС» → КВФО 7, КОСГУ 132;
- ``counterparty`` (the row's confidence): a known counterparty (by ИНН and direction) —
  the seeded list and the one learned from confirmed classifications;
- ``counterparty_name`` (0.95): utilities by the kind of company — energy sales, heat network,
  water utility, waste operator → 223."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from finance.budget.codes import EXPENSE_CODES, INCOME_CODES, KVFO


@dataclass(frozen=True)
class PaymentText:
    """What the rules and the model read of a payment order."""

    direction: str  # out | in
    purpose: str
    kbk: str | None
    payer_name: str
    payer_inn: str | None
    payee_name: str
    payee_inn: str | None

    @property
    def counterparty_name(self) -> str:
        return self.payee_name if self.direction == "out" else self.payer_name

    @property
    def counterparty_inn(self) -> str | None:
        return self.payee_inn if self.direction == "out" else self.payer_inn

    @property
    def own_name(self) -> str:
        """The MO's side (with the treasury personal account in it)."""
        return self.payer_name if self.direction == "out" else self.payee_name

    @property
    def personal_account(self) -> str | None:
        """The MO's treasury personal account written in its name («… л/с 20476Ц12340»)."""
        found = PERSONAL_ACCOUNT.search(self.own_name)
        return found.group(1).upper() if found else None


@dataclass(frozen=True)
class KnownCounterparty:
    kvfo: int | None
    kosgu: str | None
    confidence: float


@dataclass(frozen=True)
class RuleResult:
    kvfo: int | None = None
    kvfo_confidence: float = 0.0
    kvfo_rule: str | None = None
    kosgu: str | None = None
    kosgu_confidence: float = 0.0
    kosgu_rule: str | None = None

    @property
    def complete(self) -> bool:
        return self.kvfo is not None and self.kosgu is not None


_KOSGU_TEXT = (
    re.compile(r"КОСГУ\s*[:№=-]?\s*(\d{3})\b", re.IGNORECASE),
    re.compile(r"(?<![\w/])ст(?:\.|атья)\s*(\d{3})\b", re.IGNORECASE),
    re.compile(r"\(\s*(?:\d{3}\s*[/.,]\s*)?(\d{3})\s*\)"),
)
_KVFO_TEXT = re.compile(r"\bК(?:В)?ФО\s*[:№=-]?\s*(\d)\b", re.IGNORECASE)
_KBK_TEXT = re.compile(r"КБК\s*[:№]?\s*(\d{20})\b", re.IGNORECASE)
PERSONAL_ACCOUNT = re.compile(r"л/сч?\.?\s*(\d{5}[А-ЯA-Z]\d{5})", re.IGNORECASE)
_CMI_PAYER = re.compile(
    r"ТФОМС|фонд\w* обязательного медицинского страхования|медицинск\w* страхов|"
    r"страхов\w* медицинск|\bСМО\b|\bСМК\b",
    re.IGNORECASE,
)
_CMI_PURPOSE = re.compile(r"\bОМС\b|обязательно\w* медицинско\w* страховани", re.IGNORECASE)
_UTILITY_NAMES = (
    re.compile(r"энергосбыт|энергосбытов|энергоснаб", re.IGNORECASE),
    re.compile(r"тепл\w* сет|теплоснаб|теплоресурс|теплоэнерг", re.IGNORECASE),
    re.compile(r"водоканал|водоснаб|водоотвед", re.IGNORECASE),
    re.compile(r"оператор\w* по обращению с (ТКО|твердыми коммунальными)", re.IGNORECASE),
)
_CAPITAL_KOSGU = frozenset({"228", "347", "162"})
SINGLE_TAX_KBK = "18201061201010000510"


def _section(direction: str) -> frozenset[str]:
    return INCOME_CODES if direction == "in" else EXPENSE_CODES


def kosgu_in_text(purpose: str, direction: str) -> str | None:
    codes = _section(direction)
    for pattern in _KOSGU_TEXT:
        for match in pattern.finditer(purpose):
            if match.group(1) in codes:
                return match.group(1)
    return None


def kosgu_by_tax_kbk(kbk: str) -> str | None:
    """The item of a tax/contribution КБК; None for the single tax payment and other КБК."""
    if kbk == SINGLE_TAX_KBK or len(kbk) != 20:
        return None
    admin, group = kbk[:3], kbk[3:8]
    if admin in ("182", "797", "392", "393") and group.startswith("102"):
        return "213"  # insurance contributions
    if admin == "182" and group.startswith("10102"):
        return "211"  # НДФЛ withheld from wages
    if admin == "182" and group[:3] in ("106", "108", "104"):
        return "291"  # property, land, transport taxes, state duty
    if admin in ("048", "498") and group.startswith("112"):
        return "291"  # payment for the negative impact on the environment
    return None


def is_tax_kbk(kbk: str) -> bool:
    return kbk[:3] in ("182", "797", "392", "393", "048", "498") and kbk[3:4] == "1"


def kosgu_by_kbk(kbk: str | None, direction: str) -> tuple[str | None, str | None]:
    """(КОСГУ, rule) from a КБК."""
    if not kbk or len(kbk) != 20 or not kbk.isdigit():
        return None, None
    if is_tax_kbk(kbk) or kbk == SINGLE_TAX_KBK:
        code = kosgu_by_tax_kbk(kbk)
        return (code, "kbk_tax") if code else (None, None)
    if kbk[-3:] in _section(direction):
        return kbk[-3:], "kbk_analytic"
    return None, None


Known = Mapping[tuple[str, str, str], KnownCounterparty]  # (kind inn|account, key, direction)


def apply_rules(p: PaymentText, known: Known) -> RuleResult:
    kvfo: int | None = None
    kvfo_conf, kvfo_rule = 0.0, None
    kosgu: str | None = None
    kosgu_conf, kosgu_rule = 0.0, None

    # КОСГУ: the code written in the text, then the КБК
    code = kosgu_in_text(p.purpose, p.direction)
    if code:
        kosgu, kosgu_conf, kosgu_rule = code, 1.0, "kosgu_text"
    else:
        kbk = p.kbk
        if not kbk:
            found = _KBK_TEXT.search(p.purpose)
            kbk = found.group(1) if found else None
        code, rule = kosgu_by_kbk(kbk, p.direction)
        if code:
            kosgu, kosgu_conf, kosgu_rule = code, 1.0, rule

    # КВФО written in the text
    found_kvfo = _KVFO_TEXT.search(p.purpose)
    if found_kvfo and int(found_kvfo.group(1)) in KVFO:
        kvfo, kvfo_conf, kvfo_rule = int(found_kvfo.group(1)), 1.0, "kvfo_text"

    # money in from ТФОМС / an insurer for medical care under CMI
    if p.direction == "in" and _CMI_PAYER.search(p.payer_name) and _CMI_PURPOSE.search(p.purpose):
        if kvfo is None:
            kvfo, kvfo_conf, kvfo_rule = 7, 0.99, "cmi_income"
        if kosgu is None:
            kosgu, kosgu_conf, kosgu_rule = "132", 0.99, "cmi_income"

    # a known counterparty
    inn = p.counterparty_inn
    if inn and (kvfo is None or kosgu is None):
        hit = known.get(("inn", inn, p.direction))
        if hit is not None:
            if kosgu is None and hit.kosgu is not None and hit.kosgu in _section(p.direction):
                kosgu, kosgu_conf, kosgu_rule = hit.kosgu, hit.confidence, "counterparty"
            if kvfo is None and hit.kvfo is not None:
                kvfo, kvfo_conf, kvfo_rule = hit.kvfo, hit.confidence, "counterparty"
    if kosgu is None and p.direction == "out":
        name = p.counterparty_name
        if any(pattern.search(name) for pattern in _UTILITY_NAMES):
            kosgu, kosgu_conf, kosgu_rule = "223", 0.95, "counterparty_name"

    # the MO's personal account: learned, then the accounts of subsidies for other purposes
    account_number = p.personal_account if kvfo is None else None
    if account_number:
        hit = known.get(("account", account_number, p.direction))
        if hit is not None and hit.kvfo is not None:
            kvfo, kvfo_conf, kvfo_rule = hit.kvfo, hit.confidence, "account"
    if kvfo is None and account_number and account_number[:2] in ("21", "31"):
        if kosgu in _CAPITAL_KOSGU:
            kvfo, kvfo_conf, kvfo_rule = 6, 0.95, "personal_account"
        elif kosgu is not None and kosgu != "310":  # equipment: other purposes or investment
            kvfo, kvfo_conf, kvfo_rule = 5, 0.9, "personal_account"

    return RuleResult(kvfo, kvfo_conf, kvfo_rule, kosgu, kosgu_conf, kosgu_rule)
