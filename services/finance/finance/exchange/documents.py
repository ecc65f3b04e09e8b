"""A document's keys (as 1C names them, whatever file they came from) checked and turned into
a ``payment_order`` row — or the list of what is wrong with it, each at its line and field.

Rules: ``Номер``, ``Дата``, ``Сумма`` (above zero, at most two decimals, «1 234,50» or
«1234.50»), the names of both parties, the MO's account; ИНН of 10 or 12 digits, КПП of 9
characters, БИК of 9 digits, an account of 20 digits; dates ``ДД.ММ.ГГГГ`` (CSV/XLSX also
``ГГГГ-ММ-ДД`` or a date cell); ``ПоказательКБК`` of 20 characters; an explicit ``КВФО`` /
``КОСГУ`` must be in the catalogue (``finance.budget.codes``) and of the document's side
(expense codes for a payment out, income codes for a receipt). «0» in ИНН, КПП or КБК is 1C's
«not given»."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from finance.amounts import AmountError, parse_amount
from finance.budget.codes import KOSGU, KVFO, check_code
from finance.exchange.onec import party_account, party_name, purpose_of

DEFAULT_KIND = "Платежное поручение"
OUT_WORDS = frozenset({"out", "списание", "расход", "оплата", "исходящий", "списано", "-"})
IN_WORDS = frozenset({"in", "поступление", "приход", "входящий", "поступило", "+"})
MIN_YEAR = 2000


@dataclass(slots=True)
class Problem:
    line: int
    field: str
    message: str
    document: str = ""  # «№ 15 от 03.02.2026», to find it in the file


@dataclass(slots=True)
class Checked:
    line: int
    row: dict[str, Any] | None  # payment_order's columns but id, mo_id, import_id
    problems: list[Problem] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, date, Decimal, str]:
        assert self.row is not None
        return (self.row["doc_number"], self.row["doc_date"], self.row["amount"], self.row["account"])


def text_of(value: Any) -> str:
    """A cell or a 1C value as text (XLSX gives numbers and dates as such)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_day(value: Any) -> date:
    """``ДД.ММ.ГГГГ`` (1C), ``ГГГГ-ММ-ДД`` or a date cell; ``ValueError`` in Russian."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = text_of(value)
    try:
        if len(text) == 10 and text[2] == "." and text[5] == ".":
            day = date(int(text[6:]), int(text[3:5]), int(text[:2]))
        elif len(text) == 10 and text[4] == "-" and text[7] == "-":
            day = date.fromisoformat(text)
        elif len(text) == 8 and text[2] == "." and text[5] == ".":  # ДД.ММ.ГГ of old exports
            day = date(2000 + int(text[6:]), int(text[3:5]), int(text[:2]))
        else:
            raise ValueError(text)
    except ValueError:
        raise ValueError(f"дата «{text}» — не дата в виде ДД.ММ.ГГГГ") from None
    if day.year < MIN_YEAR:
        raise ValueError(f"дата «{text}» раньше {MIN_YEAR} года")
    return day


def _digits(text: str, sizes: Collection[int]) -> bool:
    return len(text) in sizes and text.isdigit() and text.isascii()


def _kpp(text: str) -> bool:
    return (
        len(text) == 9
        and text.isascii()
        and text[:4].isdigit()
        and text[4:6].isalnum()
        and text[6:].isdigit()
        and text[4:6].upper() == text[4:6]
    )


Labels = Mapping[str, str]
# The line of each key: a mapping, or a function making it (called only for a bad document).
KeyLines = Mapping[str, int] | Callable[[], Mapping[str, int]]


class _Check:
    """Collects the problems of one document."""

    def __init__(self, lines: KeyLines, start: int, labels: Labels, document: str) -> None:
        self._lines = lines
        self.lines: Mapping[str, int] | None = None
        self.start = start
        self.labels = labels
        self.document = document
        self.problems: list[Problem] = []

    def line_of(self, key: str) -> int:
        if self.lines is None:
            self.lines = self._lines() if callable(self._lines) else self._lines
        return self.lines.get(key, self.start)

    def add(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.line_of(key), self.labels.get(key, key), message, self.document))


def check_document(
    kind: str,
    fields: Mapping[str, str],
    *,
    line: int,
    accounts: Collection[str],
    lines: KeyLines | None = None,
    labels: Labels | None = None,
    now: Callable[[], datetime] | None = None,
) -> Checked:
    """``fields`` by 1C key, as text (``Направление`` too, from a table); ``accounts`` the MO's
    accounts the file names (its ``РасчСчет``), empty for a table (then ``Направление``, by
    default a payment out, tells the side)."""
    get = fields.get
    number = get("Номер", "")
    raw_day = get("Дата", "")
    raw_amount = get("Сумма", "")
    check = _Check(lines or {}, line, labels or {}, f"№ {number or '?'} от {raw_day or '?'}")
    if not number:
        check.add("Номер", "не указан номер документа")
    elif len(number) > 40:
        check.add("Номер", "номер документа длиннее 40 символов")
    doc_date: date | None = None
    if not raw_day:
        check.add("Дата", "не указана дата документа")
    else:
        try:
            doc_date = parse_day(raw_day)
        except ValueError as exc:
            check.add("Дата", str(exc))
    amount: Decimal | None = None
    try:
        amount = parse_amount(raw_amount)
        if amount <= 0:
            check.add("Сумма", f"сумма «{raw_amount}» должна быть больше нуля")
            amount = None
    except AmountError as exc:
        check.add("Сумма", str(exc))

    parties: dict[str, dict[str, str | None]] = {}
    for role in ("Плательщик", "Получатель"):
        party: dict[str, str | None] = {
            "name": party_name(fields, role),
            "account": party_account(fields, role) or None,
        }
        inn = get(f"{role}ИНН", "")
        kpp = get(f"{role}КПП", "")
        bik = get(f"{role}БИК", "")
        account = party["account"]
        if inn in ("", "0"):
            inn = ""
        elif not _digits(inn, (10, 12)):
            check.add(f"{role}ИНН", f"ИНН «{inn}» должен состоять из 10 или 12 цифр")
        if kpp in ("", "0"):
            kpp = ""
        elif not _kpp(kpp):
            check.add(f"{role}КПП", f"КПП «{kpp}» должен состоять из 9 знаков (ЦЦЦЦXXЦЦЦ)")
        if bik and not _digits(bik, (9,)):
            check.add(f"{role}БИК", f"БИК «{bik}» должен состоять из 9 цифр")
        if account and not _digits(account, (20,)):
            key = f"{role}РасчСчет" if get(f"{role}РасчСчет") else f"{role}Счет"
            check.add(key, f"счёт «{account}» должен состоять из 20 цифр")
        if len(party["name"] or "") > 500:
            check.add(role, "наименование длиннее 500 символов")
        party.update(inn=inn or None, kpp=kpp or None, bik=bik or None)
        parties[role] = party

    payer, payee = parties["Плательщик"], parties["Получатель"]
    direction, account = _side(fields, accounts, payer["account"], payee["account"], check)
    if direction == "out" and not payee["name"]:
        check.add("Получатель", "не указан получатель платежа")
    if direction == "in" and not payer["name"]:
        check.add("Плательщик", "не указан плательщик")

    kbk = get("ПоказательКБК", "")
    if kbk in ("0", ""):
        kbk = ""
    elif len(kbk) != 20 or not kbk.isalnum() or not kbk.isascii():
        check.add("ПоказательКБК", f"КБК «{kbk}» должен состоять из 20 знаков")
    kvfo, kosgu = _classification(fields, direction, check)
    dates: dict[str, date | None] = {}
    for key in ("ДатаСписано", "ДатаПоступило"):
        value = get(key, "")
        dates[key] = None
        if value:
            try:
                dates[key] = parse_day(value)
            except ValueError as exc:
                check.add(key, str(exc))
    if check.problems:
        return Checked(line, None, check.problems)
    assert doc_date is not None and amount is not None and direction is not None and account
    explicit = kvfo is not None and kosgu is not None
    row: dict[str, Any] = {
        "direction": direction,
        "doc_kind": (kind or DEFAULT_KIND)[:60],
        "doc_number": number,
        "doc_date": doc_date,
        "amount": amount,
        "account": account,
        "payer_name": payer["name"] or "",
        "payer_inn": payer["inn"],
        "payer_kpp": payer["kpp"],
        "payer_account": payer["account"],
        "payer_bik": payer["bik"],
        "payee_name": payee["name"] or "",
        "payee_inn": payee["inn"],
        "payee_kpp": payee["kpp"],
        "payee_account": payee["account"],
        "payee_bik": payee["bik"],
        "purpose": " ".join(purpose_of(fields).split()),
        "kbk": kbk or None,
        "written_off": dates["ДатаСписано"],
        "received": dates["ДатаПоступило"],
        "kvfo": kvfo,
        "kosgu": kosgu,
        "classified_by": "user" if explicit else None,
        "confidence": 1.0 if explicit else None,
        "needs_review": False,
        "classified_at": (now() if now else datetime.now().astimezone()) if explicit else None,
    }
    return Checked(line, row)


def _side(
    fields: Mapping[str, str],
    accounts: Collection[str],
    payer_account: str | None,
    payee_account: str | None,
    check: _Check,
) -> tuple[str | None, str | None]:
    if accounts:
        if payer_account and payer_account in accounts:
            return "out", payer_account
        if payee_account and payee_account in accounts:
            return "in", payee_account
        listed = ", ".join(accounts)
        check.add(
            "ПлательщикСчет",
            f"ни счёт плательщика ({payer_account or 'не указан'}), ни счёт получателя "
            f"({payee_account or 'не указан'}) не является счётом МО из файла ({listed})",
        )
        return None, None
    word = fields.get("Направление", "").lower()
    if not word or word in OUT_WORDS:
        direction, account, key = "out", payer_account, "ПлательщикСчет"
    elif word in IN_WORDS:
        direction, account, key = "in", payee_account, "ПолучательСчет"
    else:
        check.add("Направление", f"направление «{word}»: укажите «списание» или «поступление»")
        return None, None
    if not account:
        whose = (
            "плательщика (счёт МО при списании)"
            if direction == "out"
            else "получателя (счёт МО при поступлении)"
        )
        check.add(key, f"не указан счёт {whose}")
        return None, None
    return direction, account


def _classification(
    fields: Mapping[str, str], direction: str | None, check: _Check
) -> tuple[int | None, str | None]:
    raw_kvfo = fields.get("КВФО") or fields.get("КФО") or ""
    raw_kosgu = fields.get("КОСГУ", "")
    kvfo: int | None = None
    kosgu: str | None = None
    if raw_kvfo:
        if raw_kvfo.isdigit() and int(raw_kvfo) in KVFO:
            kvfo = int(raw_kvfo)
        else:
            allowed = ", ".join(map(str, KVFO))
            check.add("КВФО", f"неизвестный КВФО «{raw_kvfo}» (допустимы: {allowed})")
    if raw_kosgu:
        if raw_kosgu not in KOSGU:
            check.add("КОСГУ", f"неизвестный код КОСГУ «{raw_kosgu}»")
        elif direction is not None:
            reason = check_code("expense" if direction == "out" else "income", kvfo or 7, raw_kosgu)
            if reason:
                check.add("КОСГУ", reason)
            else:
                kosgu = raw_kosgu
    return kvfo, kosgu
