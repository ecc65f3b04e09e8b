"""1C's «Стандарт обмена с системами «Клиент банка»» (``1CClientBankExchange``, versions 1.02
and 1.03): reading a file into its header, statement sections and documents, and writing one.

The reader keeps every document's keys as text (``fields``) with the line each key was on —
turning them into amounts, dates and accounts is ``finance.exchange.documents``'s job, so a
bad value is reported at its line and the rest of the file still reads. Plain ``str`` work,
one pass, no regular expressions per line: a 100 000-document statement (≈ 3 million lines)
reads in a few seconds.

What real files do and how it is taken:

- the encoding: windows-1251 (``Кодировка=Windows``) is the norm, UTF-8 (with or without a
  BOM) is common whatever the header says, ``Кодировка=DOS`` is cp866. A file that decodes as
  UTF-8 is read as UTF-8 (the declared value is noted as a warning when it differs); otherwise
  the declared encoding is used and must decode; and the keys must read as Russian words after
  decoding — otherwise the file is in another encoding than declared, or is mojibake (text
  re-encoded twice), and is refused naming the problem;
- CRLF or LF, trailing spaces, blank lines, spaces around ``=``, values that contain ``=``;
- several ``РасчСчет=`` lines (a statement over several accounts) and ``Документ=`` lines;
- keys this reader does not know are kept in ``fields`` (a bank's own additions);
- a file cut short (no ``КонецФайла``), a document or statement section never closed, an end
  without a start → ``ExchangeFormatError`` naming the line."""

from __future__ import annotations

import codecs
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

SIGNATURE = "1CClientBankExchange"
DOCUMENT_KINDS = (
    "Платежное поручение",
    "Банковский ордер",
    "Платежное требование",
    "Инкассовое поручение",
    "Мемориальный ордер",
    "Платежный ордер",
    "Аккредитив",
    "Прочее",
)
ENCODINGS = {"windows": "cp1251", "dos": "cp866", "utf-8": "utf-8", "utf8": "utf-8"}
ENCODING_NAMES = {"cp1251": "Windows (windows-1251)", "cp866": "DOS (cp866)", "utf-8": "UTF-8"}
# Keys every header or document has in some form: at least one must read after decoding.
KNOWN_KEYS = frozenset(
    {
        "ВерсияФормата", "Кодировка", "Отправитель", "Получатель", "ДатаСоздания", "ВремяСоздания",
        "ДатаНачала", "ДатаКонца", "РасчСчет", "Документ", "СекцияДокумент", "КонецДокумента",
        "СекцияРасчСчет", "КонецРасчСчет", "КонецФайла", "Номер", "Дата", "Сумма",
    }
)  # fmt: skip


class ExchangeFormatError(ValueError):
    """The file cannot be read as a 1C exchange file at all (the message says why and where,
    in Russian): nothing of it is imported."""

    def __init__(self, title: str, detail: str, *, line: int | None = None) -> None:
        super().__init__(f"{title}: {detail}")
        self.title = title
        self.detail = detail
        self.line = line


@dataclass(slots=True)
class Document:
    """One ``СекцияДокумент … КонецДокумента``: its kind, the line it starts on (1-based) and
    ends on, and its keys (the last value of a key given twice). Which line a key is on is
    found when asked (``key_lines``: only a document with a problem needs it)."""

    kind: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    end: int = 0
    source: list[str] | None = None  # the file's lines

    def get(self, key: str) -> str:
        return self.fields.get(key, "")

    def key_lines(self) -> dict[str, int]:
        found: dict[str, int] = {}
        if self.source is None:
            return found
        for number in range(self.line + 1, min(self.end, len(self.source) + 1)):
            key = self.source[number - 1].partition("=")[0].strip()
            if key:
                found[key] = number
        return found


@dataclass(slots=True)
class AccountSection:
    """One ``СекцияРасчСчет … КонецРасчСчет`` of a statement: the balances of an account over
    the period, as written (text)."""

    line: int
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def account(self) -> str:
        return self.fields.get("РасчСчет", "")


@dataclass(slots=True)
class ExchangeFile:
    header: dict[str, str]
    accounts: list[str]  # every РасчСчет of the header and the statement sections, in order
    sections: list[AccountSection]
    documents: list[Document]
    encoding: str  # the one the file was read in
    declared_encoding: str  # as the header says («Windows», «DOS», «UTF-8» or «»)
    lines: int
    warnings: list[str] = field(default_factory=list)

    @property
    def version(self) -> str:
        return self.header.get("ВерсияФормата", "")


# --- reading -------------------------------------------------------------------------------


def _declared(data: bytes) -> str:
    """The value of ``Кодировка=`` in the first lines, read without knowing the encoding (the
    key's bytes differ per encoding, so every candidate spelling is looked for)."""
    head = data[:4096]
    for encoding in ("cp1251", "utf-8", "cp866"):
        key = "Кодировка=".encode(encoding)
        at = head.find(key)
        if at >= 0:
            end = head.find(b"\n", at)
            raw = head[at + len(key) : end if end >= 0 else len(head)]
            return raw.decode("ascii", errors="replace").strip()
    return ""


def decode(data: bytes) -> tuple[str, str, str, list[str]]:
    """(text, encoding used, declared encoding, warnings) of a 1C exchange file, or
    ``ExchangeFormatError`` when its bytes are not in a readable encoding."""
    if not data.strip():
        raise ExchangeFormatError("Пустой файл", "Файл не содержит данных")
    warnings: list[str] = []
    declared = _declared(data)
    wanted = ENCODINGS.get(declared.lower())
    if declared and wanted is None:
        raise ExchangeFormatError(
            "Неизвестная кодировка",
            f"В заголовке Кодировка={declared}; допустимы Windows (windows-1251), DOS (cp866) и UTF-8",
        )
    if data.startswith(codecs.BOM_UTF8):
        text, used = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8"
    else:
        try:
            text, used = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            if wanted == "utf-8":
                line = data.count(b"\n", 0, error.start) + 1
                raise ExchangeFormatError(
                    "Файл не в объявленной кодировке",
                    f"Объявлена Кодировка={declared}, но строка {line} не является текстом UTF-8; "
                    "укажите Кодировка=Windows, если файл в windows-1251",
                    line=line,
                ) from error
            used = wanted or "cp1251"
            try:
                text = data.decode(used)
            except UnicodeDecodeError as exc:
                line = data.count(b"\n", 0, exc.start) + 1
                raise ExchangeFormatError(
                    "Файл не в объявленной кодировке",
                    f"Объявлена Кодировка={declared or 'Windows'}, но байты в строке {line} не являются "
                    f"текстом в кодировке {ENCODING_NAMES[used]}; сохраните файл заново в windows-1251 "
                    "или UTF-8",
                    line=line,
                ) from exc
    if used == "utf-8" and wanted and wanted != "utf-8" and not text.isascii():
        warnings.append(f"Файл в кодировке UTF-8, хотя в заголовке Кодировка={declared}: прочитан как UTF-8")
    _check_readable(text, used, declared)
    return text, used, declared, warnings


def _check_readable(text: str, used: str, declared: str) -> None:
    """After decoding, the keys must be the format's Russian words; when none is, the bytes
    are in another encoding than the one used (or re-encoded twice: «РџР»Р°С‚РµР¶…»)."""
    seen = 0
    for raw in text[:65536].splitlines()[1:60]:
        key = raw.partition("=")[0].strip()
        if not key:
            continue
        seen += 1
        if key in KNOWN_KEYS:
            return
    if seen == 0:
        return  # nothing but the signature: reported as a truncated file by the reader
    mojibake = "Р" in text[:4096] and ("С\u0402" in text[:4096] or "Рµ" in text[:4096] or "Р°" in text[:4096])
    reason = (
        "текст перекодирован дважды (вместо «СекцияДокумент» — «РЎРµРєС†РёСЏР”РѕРєСѓРјРµРЅС‚»)"
        if mojibake
        else f"ключи не читаются как русские слова в кодировке {ENCODING_NAMES[used]}"
    )
    raise ExchangeFormatError(
        "Файл в неверной кодировке",
        f"Объявлена Кодировка={declared or '(не указана)'}, но {reason}; сохраните файл заново "
        "в windows-1251 (Кодировка=Windows) или UTF-8",
    )


def parse(data: bytes) -> ExchangeFile:
    """The file's header, statement sections and documents (see the module docstring)."""
    text, used, declared, warnings = decode(data)
    with no_cyclic_gc():
        return parse_text(text, encoding=used, declared=declared, warnings=warnings)


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector off while millions of small dicts and strings are made
    (none of them in a cycle): it would otherwise walk them all again and again — a 100 000-
    document file read 3× slower than 20 000 five times."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_text(
    text: str, *, encoding: str = "utf-8", declared: str = "", warnings: list[str] | None = None
) -> ExchangeFile:
    lines = text.splitlines()
    if not lines or lines[0].strip().lstrip("\ufeff") != SIGNATURE:
        first = lines[0].strip()[:60] if lines else ""
        raise ExchangeFormatError(
            "Это не файл обмена 1С",
            f"Первая строка должна быть «{SIGNATURE}», а в файле «{first}»",
            line=1,
        )
    header: dict[str, str] = {}
    accounts: list[str] = []
    sections: list[AccountSection] = []
    documents: list[Document] = []
    doc: Document | None = None
    section: AccountSection | None = None
    ended = 0
    number = 1
    for number, raw in enumerate(lines[1:], start=2):
        key, sep, value = raw.partition("=")
        if sep:
            key = key.strip()
            value = value.strip()
        else:
            key = key.strip()
            if not key:
                continue
        if doc is not None:
            if sep and key != "СекцияДокумент":
                doc.fields[key] = value
                continue
            if key == "КонецДокумента":
                doc.end = number
                documents.append(doc)
                doc = None
                continue
            if key == "СекцияДокумент":
                raise ExchangeFormatError(
                    "Секция документа не закрыта",
                    f"Документ, начатый в строке {doc.line}, не закрыт строкой «КонецДокумента»: "
                    f"в строке {number} начинается следующий документ",
                    line=doc.line,
                )
            if key == "КонецФайла":
                raise ExchangeFormatError(
                    "Секция документа не закрыта",
                    f"Документ, начатый в строке {doc.line}, не закрыт строкой «КонецДокумента» "
                    f"до конца файла (строка {number})",
                    line=doc.line,
                )
            doc.fields[key] = ""
            continue
        if key == "СекцияДокумент":
            if section is not None:
                raise _unclosed_section(section, number)
            doc = Document(kind=value, line=number, source=lines)
            continue
        if section is not None:
            if key == "КонецРасчСчет":
                sections.append(section)
                if section.account and section.account not in accounts:
                    accounts.append(section.account)
                section = None
            elif key == "КонецФайла":
                raise _unclosed_section(section, number)
            elif sep:
                section.fields[key] = value
            continue
        if key == "СекцияРасчСчет":
            section = AccountSection(line=number)
            continue
        if key == "КонецФайла":
            ended = number
            break
        if key in ("КонецДокумента", "КонецРасчСчет"):
            raise ExchangeFormatError(
                "Конец секции без начала",
                f"Строка {number}: «{key}» без открывающей её секции",
                line=number,
            )
        if sep:
            if key == "РасчСчет":
                if value and value not in accounts:
                    accounts.append(value)
            elif key == "Документ":
                header.setdefault("Документ", value)
            else:
                header[key] = value
    if doc is not None:
        raise ExchangeFormatError(
            "Секция документа не закрыта",
            f"Документ «{doc.kind}», начатый в строке {doc.line}, не закрыт строкой «КонецДокумента»: "
            "файл обрывается внутри документа (передан не полностью?)",
            line=doc.line,
        )
    if section is not None:
        raise _unclosed_section(section, number)
    if not ended:
        raise ExchangeFormatError(
            "Файл обрывается",
            f"Нет строки «КонецФайла» (последняя строка — {number}): файл передан не полностью; "
            "выгрузите его из бухгалтерской программы заново",
            line=number,
        )
    return ExchangeFile(
        header=header,
        accounts=accounts,
        sections=sections,
        documents=documents,
        encoding=encoding,
        declared_encoding=declared,
        lines=len(lines),
        warnings=list(warnings or []),
    )


def _unclosed_section(section: AccountSection, number: int) -> ExchangeFormatError:
    return ExchangeFormatError(
        "Секция остатков не закрыта",
        f"Секция «СекцияРасчСчет», начатая в строке {section.line}, не закрыта строкой "
        f"«КонецРасчСчет» (строка {number})",
        line=section.line,
    )


# --- a document's fields as this service keeps them ----------------------------------------


def purpose_of(fields: Mapping[str, str]) -> str:
    """НазначениеПлатежа, or its lines НазначениеПлатежа1…6 (old exports split the text; some
    give both: the lines are added when they are not the same text again)."""
    main = fields.get("НазначениеПлатежа", "")
    parts = [fields[k] for k in _PURPOSE_LINES if fields.get(k)]
    if not parts:
        return main
    joined = " ".join(parts)
    if not main:
        return joined
    if "".join(main.split()) == "".join(joined.split()) or joined in main:
        return main
    if main.startswith(parts[0]) or "".join(main.split()).startswith("".join(parts[0].split())):
        return joined if len(joined) > len(main) else main
    return f"{main} {joined}"


_PURPOSE_LINES = tuple(f"НазначениеПлатежа{i}" for i in range(1, 7))


def party_name(fields: Mapping[str, str], role: str) -> str:
    """The payer's (``role`` «Плательщик») or payee's name: ``Плательщик1`` (the name alone)
    when given, else ``Плательщик`` without the «ИНН 7701234567 » 1C puts before the name."""
    name = fields.get(f"{role}1", "")
    if name:
        return name
    name = fields.get(role, "")
    if name.startswith("ИНН "):
        rest = name[4:].lstrip()
        digits = 0
        while digits < len(rest) and rest[digits].isdigit():
            digits += 1
        if digits:
            name = rest[digits:].strip()
    return name


def party_account(fields: Mapping[str, str], role: str) -> str:
    """The party's own account: ``ПлательщикРасчСчет`` (a payment through a correspondent
    bank puts the bank's account into ``ПлательщикСчет``), else ``ПлательщикСчет``."""
    return fields.get(f"{role}РасчСчет", "") or fields.get(f"{role}Счет", "")


# --- writing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutDocument:
    """A document to write: the fields of a payment order as this service keeps them."""

    kind: str
    number: str
    day: date
    amount: Decimal
    payer_name: str
    payer_inn: str | None
    payer_kpp: str | None
    payer_account: str | None
    payer_bik: str | None
    payee_name: str
    payee_inn: str | None
    payee_kpp: str | None
    payee_account: str | None
    payee_bik: str | None
    purpose: str
    kbk: str | None = None
    written_off: date | None = None
    received: date | None = None
    kvfo: int | None = None
    kosgu: str | None = None


def _d(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def _clean(value: str | None) -> str:
    """A value on one line (a line break would end the key)."""
    if not value:
        return ""
    return " ".join(value.split())


def write_lines(
    documents: Iterable[OutDocument],
    *,
    accounts: Sequence[str],
    period: tuple[date, date],
    created: date,
    sender: str = "ОМС Регион",
    receiver: str = "1С:Бухгалтерия",
    encoding_name: str = "Windows",
) -> Iterable[str]:
    """The lines of a version 1.03 file (no line ends): header, documents, ``КонецФайла``."""
    yield SIGNATURE
    yield "ВерсияФормата=1.03"
    yield f"Кодировка={encoding_name}"
    yield f"Отправитель={sender}"
    yield f"Получатель={receiver}"
    yield f"ДатаСоздания={_d(created)}"
    yield "ВремяСоздания=00:00:00"
    yield f"ДатаНачала={_d(period[0])}"
    yield f"ДатаКонца={_d(period[1])}"
    for account in accounts:
        yield f"РасчСчет={account}"
    kinds: list[str] = []
    body: list[str] = []
    for doc in documents:
        if doc.kind not in kinds:
            kinds.append(doc.kind)
        body.append(f"СекцияДокумент={doc.kind}")
        body.append(f"Номер={_clean(doc.number)}")
        body.append(f"Дата={_d(doc.day)}")
        body.append(f"Сумма={doc.amount:.2f}")
        sides: list[tuple[str, str, str | None, str | None, str | None, str | None]] = [
            ("Плательщик", doc.payer_name, doc.payer_inn, doc.payer_kpp, doc.payer_account, doc.payer_bik),
            ("Получатель", doc.payee_name, doc.payee_inn, doc.payee_kpp, doc.payee_account, doc.payee_bik),
        ]
        for role, party, inn, kpp, party_acc, bik in sides:
            body.append(f"{role}Счет={_clean(party_acc)}")
            if doc.written_off and role == "Плательщик":
                body.append(f"ДатаСписано={_d(doc.written_off)}")
            if doc.received and role == "Получатель":
                body.append(f"ДатаПоступило={_d(doc.received)}")
            body.append(f"{role}={('ИНН ' + inn + ' ') if inn else ''}{_clean(party)}")
            body.append(f"{role}ИНН={_clean(inn)}")
            body.append(f"{role}КПП={_clean(kpp)}")
            body.append(f"{role}1={_clean(party)}")
            body.append(f"{role}БИК={_clean(bik)}")
        body.append("ВидПлатежа=")
        body.append("ВидОплаты=01")
        body.append("Очередность=5")
        if doc.kbk:
            body.append(f"ПоказательКБК={_clean(doc.kbk)}")
        if doc.kvfo is not None:
            body.append(f"КВФО={doc.kvfo}")
        if doc.kosgu:
            body.append(f"КОСГУ={doc.kosgu}")
        body.append(f"НазначениеПлатежа={_clean(doc.purpose)}")
        body.append("КонецДокумента")
    for kind in kinds:
        yield f"Документ={kind}"
    yield from body
    yield "КонецФайла"


def write(documents: Iterable[OutDocument], *, encoding: str = "cp1251", **kwargs: object) -> bytes:
    """A whole file, CRLF line ends, in windows-1251 (as 1C loads it) or UTF-8. A character
    windows-1251 has not (a «№» has a code there; an emoji has not) becomes «?»."""
    name = "Windows" if encoding == "cp1251" else "UTF-8"
    lines = write_lines(documents, encoding_name=name, **kwargs)  # type: ignore[arg-type]
    return ("\r\n".join(lines) + "\r\n").encode(encoding, errors="replace")
