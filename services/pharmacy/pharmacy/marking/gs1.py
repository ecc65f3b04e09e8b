"""Marking codes of drug packages: the GS1 DataMatrix of the Russian track-and-trace system.

Every package of a marked drug carries a GS1 DataMatrix (Честный ЗНАК / ФГИС МДЛП) holding
GS1 element strings, each an Application Identifier (AI) and its value:

====  ===========================  =======================================================
AI    field                        length
====  ===========================  =======================================================
01    GTIN                         14 digits, the last one a GS1 check digit
21    serial number                13 characters for drugs (GS1 82-character set)
91    verification key (ключ)      4 characters
92    crypto code (криптокод)      44 characters
17    expiry date (optional)       YYMMDD; day ``00`` means the last day of the month
10    batch / series (optional)    up to 20 characters
====  ===========================  =======================================================

21, 91, 92 and 10 are variable-length AIs in GS1: a group separator (FNC1, sent by scanners
as ``GS``, ``\\x1d``) ends them unless they are last. ``01`` + GTIN + ``21`` + serial is the
identification code (КИ, SGTIN): it identifies the package and is the stock identity here.
``91`` + ``92`` is the "crypto tail": it is kept exactly as received (it is checked by the
national system, not by us, and must be reported back unchanged).

What scanners really send, and what :func:`parse_marking_code` accepts:

- a leading symbology identifier ``]d2`` (GS1 DataMatrix; ``]C1`` GS1-128 and ``]Q3`` GS1 QR
  are accepted too, any other symbology is refused: it is not a GS1 code);
- separators as ``\\x1d``, a leading ``\\x1d`` (FNC1 in first position), or a visible
  placeholder some keyboard wedges are configured to type (:data:`SEPARATOR_PLACEHOLDERS`);
- separators lost entirely (a wedge cannot type ``\\x1d`` and drops it): the fields are then
  cut by the fixed lengths of 21/91/92 — a field longer than its length is split only where
  the rest is made of complete drug-code elements;
- the scan typed in the Russian keyboard layout (``ЙЦУКЕН`` letters for Latin ones), mapped
  back (:mod:`pharmacy.marking.keyboard`);
- a trailing Enter / spaces around the code.

Parsing of each element string (the AI table, the GTIN check digit, the date) is biip's
(https://github.com/kodemore/biip — a maintained GS1 library); this module cuts the scan into
element strings, applies the drug rules (which AIs, which lengths) and words the errors in
Russian (:class:`MarkingCodeError`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from biip import ParseError
from biip.checksums import gs1_standard_check_digit
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_element_strings import GS1ElementString
from biip.symbology import GS1Symbology, SymbologyIdentifier

from pharmacy.marking.keyboard import from_russian_layout

GS = "\x1d"
# Visible stand-ins for the group separator typed by keyboard wedges (compared case-insensitively).
SEPARATOR_PLACEHOLDERS = ("<GS>", "{GS}", "[GS]", "<FNC1>", "\\x1d", "\\u001d", "^]", "\u241d", "<0x1D>")
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in SEPARATOR_PLACEHOLDERS), re.IGNORECASE)
# Symbologies whose data is a GS1 element string message.
_GS1_SYMBOLOGIES = {GS1Symbology.GS1_DATAMATRIX, GS1Symbology.GS1_128, GS1Symbology.GS1_QR_CODE}

SERIAL_LENGTH = 13
VERIFICATION_KEY_LENGTH = 4
CRYPTO_LENGTH = 44
BATCH_MAX_LENGTH = 20

# The AIs of a drug marking code: predefined length (no separator needed) or the expected
# length of a separator-terminated field (None: variable, the batch).
_PREDEFINED = {"01": 14, "17": 6}
_TERMINATED: dict[str, int | None] = {
    "21": SERIAL_LENGTH,
    "91": VERIFICATION_KEY_LENGTH,
    "92": CRYPTO_LENGTH,
    "10": None,
}
_FIELD_NAMES = {
    "01": "GTIN (01)",
    "17": "срок годности (17)",
    "21": "серийный номер (21)",
    "91": "ключ проверки (91)",
    "92": "криптокод (92)",
    "10": "серия (партия) (10)",
}
# A run of complete drug-code elements with no separators: what may follow a field whose
# separator was lost.
_ELEMENTS_RUN = re.compile(
    rf"(?:01\d{{14}}|17\d{{6}}|21[^\x1d]{{{SERIAL_LENGTH}}}|91[^\x1d]{{{VERIFICATION_KEY_LENGTH}}}"
    rf"|92[^\x1d]{{{CRYPTO_LENGTH}}}|10[^\x1d]{{1,{BATCH_MAX_LENGTH}}})+"
)


class MarkingCodeError(ValueError):
    """The scan is not a usable drug marking code; the message (Russian) names what is wrong."""


@dataclass(frozen=True, slots=True)
class MarkingCode:
    """A parsed drug marking code."""

    gtin: str
    serial: str
    verification_key: str | None
    crypto: str | None
    expiry: date | None
    batch: str | None
    raw: str

    @property
    def identity(self) -> str:
        """``01<GTIN>21<serial>``: the identification code (КИ) without the crypto tail, the
        package's identity in stock."""
        return f"01{self.gtin}21{self.serial}"

    @property
    def sgtin(self) -> str:
        """GTIN + serial (27 characters): the package identifier of ФГИС МДЛП documents."""
        return self.gtin + self.serial

    @property
    def element_string(self) -> str:
        """The full code with ``\\x1d`` separators (01, 21, 17, 10, 91, 92), for reports."""
        parts = [f"01{self.gtin}", f"21{self.serial}{GS}"]
        if self.expiry_text is not None:
            parts.append(f"17{self.expiry_text}")
        if self.batch is not None:
            parts.append(f"10{self.batch}{GS}")
        if self.verification_key is not None:
            parts.append(f"91{self.verification_key}{GS}")
        if self.crypto is not None:
            parts.append(f"92{self.crypto}")
        return "".join(parts).rstrip(GS)

    def is_expired_on(self, day: date) -> bool:
        """The package's expiry (when the code carries one) is before ``day``; a package is
        usable through its expiry date."""
        return self.expiry is not None and self.expiry < day

    @property
    def expiry_text(self) -> str | None:
        """The expiry as YYMMDD (the real last day of the month where the code had ``00``)."""
        return None if self.expiry is None else self.expiry.strftime("%y%m%d")


def complete_gtin(body: str) -> str:
    """The 14-digit GTIN of 13 digits with its GS1 check digit appended (demo data, tests)."""
    if len(body) != 13 or not body.isascii() or not body.isdigit():
        raise ValueError("нужно 13 цифр GTIN без контрольной")
    return body + str(gs1_standard_check_digit(body))


def normalise_scan(raw: str) -> str:
    """The scan with the keyboard layout undone, the symbology identifier removed, separator
    placeholders turned into ``\\x1d`` and leading separators and surrounding whitespace dropped.
    """
    text = from_russian_layout(raw.strip())
    if text.startswith("]"):
        try:
            symbology = SymbologyIdentifier.extract(text)
        except ParseError as exc:
            raise MarkingCodeError(f"Неизвестный идентификатор символики «{text[:3]}» в начале кода") from exc
        if symbology.gs1_symbology not in _GS1_SYMBOLOGIES:
            raise MarkingCodeError(
                f"Код считан как символика «{symbology.value}», а не GS1 DataMatrix: это не код маркировки"
            )
        text = text[len(symbology) :]
    text = _PLACEHOLDER_RE.sub(GS, text)
    return text.strip().lstrip(GS)


def parse_marking_code(raw: str, *, require_crypto_tail: bool = True) -> MarkingCode:
    """Parse a scanned drug marking code (see the module docstring for the accepted forms).

    ``require_crypto_tail=False`` accepts a bare identification code (01 + 21) as typed from a
    document; a scan of a package must carry 91 and 92.

    Raises :class:`MarkingCodeError` naming the problem.
    """
    text = normalise_scan(raw)
    if not text:
        raise MarkingCodeError("Пустой код маркировки: сканер ничего не передал")
    values: dict[str, GS1ElementString] = {}
    for ai, value in _split(text):
        if ai in values:
            raise MarkingCodeError(f"Идентификатор применения ({ai}) встречается в коде дважды")
        values[ai] = _element(ai, value)

    gtin = _gtin(values.get("01"))
    serial = _fixed("21", values, SERIAL_LENGTH, required=True) or ""  # required: never None
    key = _fixed("91", values, VERIFICATION_KEY_LENGTH, required=require_crypto_tail)
    crypto = _fixed("92", values, CRYPTO_LENGTH, required=require_crypto_tail)
    if (key is None) != (crypto is None):
        missing = "ключ проверки (91)" if key is None else "криптокод (92)"
        raise MarkingCodeError(f"Неполный криптохвост: нет поля {missing}")
    expiry = values["17"].date if "17" in values else None
    batch = values["10"].value if "10" in values else None
    return MarkingCode(
        gtin=gtin, serial=serial, verification_key=key, crypto=crypto, expiry=expiry, batch=batch, raw=raw
    )


def _split(text: str) -> list[tuple[str, str]]:
    """Cut the normalised scan into (AI, value) pairs, restoring lost separators."""
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        if text[i] == GS:
            i += 1
            continue
        ai = text[i : i + 2]
        start = i + 2
        next_gs = text.find(GS, start)
        segment = text[start : len(text) if next_gs < 0 else next_gs]
        if ai in _PREDEFINED:
            value = segment[: _PREDEFINED[ai]]
        elif ai in _TERMINATED:
            value = segment[: _field_end(segment, _TERMINATED[ai])]
        else:
            raise MarkingCodeError(_unknown_ai_message(text[i:], i))
        if not value:
            raise MarkingCodeError(f"Пустое поле: {_FIELD_NAMES[ai]} без значения")
        pairs.append((ai, value))
        i = start + len(value)
    return pairs


def _field_end(segment: str, expected: int | None) -> int:
    """Where a separator-terminated field ends inside ``segment`` (the text up to the next
    separator): the whole segment, unless it only fits as this field followed by complete
    elements whose separator was lost; then the expected length if that works, else the
    shortest cut that does (so a wrong length is reported as the length it really has)."""
    limit = expected if expected is not None else BATCH_MAX_LENGTH
    if len(segment) <= limit:
        return len(segment)
    if expected is not None and _ELEMENTS_RUN.fullmatch(segment, expected):
        return expected
    for cut in range(1, len(segment)):
        if _ELEMENTS_RUN.fullmatch(segment, cut):
            return cut
    return len(segment)


def _unknown_ai_message(rest: str, position: int) -> str:
    try:
        known = GS1ApplicationIdentifier.extract(rest)
    except ParseError:
        return f"Неизвестный идентификатор применения (AI) «{rest[:2]}» в позиции {position + 1}"
    return (
        f"Идентификатор применения ({known.ai}) «{known.description}» не используется "
        "в коде маркировки лекарственного препарата"
    )


# The GTIN, the verification key, the expiry and the batch repeat over many packages of a
# series: their parse (biip) is kept; the serial and the crypto code are new with every scan.
_REPEATING = frozenset({"01", "91", "17", "10"})


def _element(ai: str, value: str) -> GS1ElementString:
    if ai in _REPEATING:
        return _known_element(ai, value)
    return _parse_element(ai, value)


@functools.lru_cache(maxsize=4096)
def _known_element(ai: str, value: str) -> GS1ElementString:
    return _parse_element(ai, value)  # a failure is not kept: raised every time


def _parse_element(ai: str, value: str) -> GS1ElementString:
    try:
        return GS1ElementString.parse(ai + value)
    except ParseError as exc:
        if ai == "17":
            raise MarkingCodeError(f"Неверный срок годности (17) «{value}»: ожидается дата ГГММДД") from exc
        if ai == "01":
            raise MarkingCodeError(f"GTIN (01) должен состоять из 14 цифр, в коде «{value}»") from exc
        raise MarkingCodeError(
            f"Недопустимые символы в поле {_FIELD_NAMES[ai]}: «{value}» "
            "(допустимы латинские буквы, цифры и знаки набора GS1)"
        ) from exc


def _gtin(element: GS1ElementString | None) -> str:
    if element is None:
        raise MarkingCodeError("Нет GTIN (01): код маркировки начинается с (01) и 14 цифр")
    if element.gtin is None:
        expected = gs1_standard_check_digit(element.value[:-1])
        raise MarkingCodeError(
            f"Неверная контрольная цифра GTIN {element.value}: "
            f"ожидалась {expected}, в коде {element.value[-1]}"
        )
    return element.value


def _fixed(ai: str, values: dict[str, GS1ElementString], length: int, *, required: bool) -> str | None:
    element = values.get(ai)
    name = _FIELD_NAMES[ai]
    if element is None:
        if required:
            raise MarkingCodeError(f"Нет поля {name}")
        return None
    if len(element.value) != length:
        raise MarkingCodeError(
            f"Поле {name} должно быть из {length} символов, в коде {len(element.value)}: «{element.value}»"
        )
    return element.value
