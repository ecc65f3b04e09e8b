"""Parsing of drug marking codes (GS1 DataMatrix) in the forms scanners really send."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharmacy.marking import MarkingCodeError, complete_gtin, parse_marking_code
from pharmacy.marking.gs1 import GS, normalise_scan
from pharmacy.marking.keyboard import from_russian_layout, to_russian_layout

GTIN = complete_gtin("0460700001234")  # a Russian (460) EAN-13 as GTIN-14
SERIAL = "5HDMvXTq4R2K8"  # 13 characters, mixed case
KEY = "EE06"
CRYPTO = "dGhpcyBpcyBhIGNyeXB0byB0YWlsIGZvciB0ZXN0cy+/"  # 44 characters with + and /
TAIL = f"{GS}91{KEY}{GS}92{CRYPTO}"
CODE = f"01{GTIN}21{SERIAL}{TAIL}"


def test_test_data_is_real_shaped() -> None:
    assert len(GTIN) == 14 and GTIN.startswith("0460") and GTIN[-1] == "5"
    assert len(SERIAL) == 13 and len(KEY) == 4 and len(CRYPTO) == 44


def test_complete_gtin_adds_the_gs1_check_digit() -> None:
    assert complete_gtin("0460123456789") == "04601234567893"  # 3×sum of odd + even rule
    with pytest.raises(ValueError, match="13 цифр"):
        complete_gtin("46012345678")


def test_a_standard_code_with_group_separators() -> None:
    code = parse_marking_code(CODE)
    assert code.gtin == GTIN and code.serial == SERIAL
    assert code.verification_key == KEY and code.crypto == CRYPTO
    assert code.expiry is None and code.batch is None
    assert code.identity == f"01{GTIN}21{SERIAL}"
    assert code.sgtin == GTIN + SERIAL and len(code.sgtin) == 27
    assert code.raw == CODE
    assert code.element_string == CODE


@pytest.mark.parametrize(
    "scan",
    [
        f"]d2{CODE}",  # symbology identifier
        f"]d2{CODE}\r\n",  # the wedge's Enter
        f"{GS}{CODE}",  # FNC1 in first position sent as GS
        CODE.replace(GS, "<GS>"),
        CODE.replace(GS, "<gs>"),
        CODE.replace(GS, "{GS}"),
        CODE.replace(GS, "\\x1d"),
        CODE.replace(GS, "\\u001d"),
        CODE.replace(GS, "\u241d"),
        CODE.replace(GS, ""),  # separators lost entirely
        "]d2" + CODE.replace(GS, ""),
        CODE.replace(GS, "", 1),  # only the first one lost
    ],
)
def test_the_forms_scanners_send_give_the_same_code(scan: str) -> None:
    code = parse_marking_code(scan)
    assert (code.gtin, code.serial, code.verification_key, code.crypto) == (GTIN, SERIAL, KEY, CRYPTO)
    assert code.raw == scan  # the scan itself is kept


def test_crypto_tail_is_kept_exactly_as_received() -> None:
    crypto = "AbC+/=0123456789abcdefghijklmnopqrstuvwxyzAB"
    assert len(crypto) == 44
    code = parse_marking_code(f"01{GTIN}21{SERIAL}{GS}91ab+/{GS}92{crypto}")
    assert code.crypto == crypto and code.verification_key == "ab+/"  # case and symbols untouched


def test_expiry_and_batch() -> None:
    scan = f"01{GTIN}21{SERIAL}{GS}1727050010AB-123{TAIL}"
    code = parse_marking_code(scan)
    assert code.expiry == date(2027, 5, 31)  # day 00 = the last day of the month
    assert code.batch == "AB-123"
    assert code.expiry_text == "270531"
    assert not code.is_expired_on(date(2027, 5, 31)) and code.is_expired_on(date(2027, 6, 1))
    assert not parse_marking_code(CODE).is_expired_on(date(2099, 1, 1))  # no expiry in the code
    again = parse_marking_code(code.element_string)  # the report form parses to the same package
    assert (again.identity, again.expiry, again.batch, again.crypto) == (
        code.identity,
        code.expiry,
        code.batch,
        code.crypto,
    )


def test_expiry_and_batch_without_any_separator() -> None:
    scan = f"01{GTIN}21{SERIAL}1728021510B7781{'91'}{KEY}92{CRYPTO}"
    code = parse_marking_code(scan)
    assert code.expiry == date(2028, 2, 15)
    assert code.batch == "B7781"
    assert code.verification_key == KEY and code.crypto == CRYPTO


def test_batch_and_serial_in_another_order_without_separators() -> None:
    code = parse_marking_code(f"01{GTIN}10X1{GS}21{SERIAL}91{KEY}92{CRYPTO}")
    assert code.batch == "X1" and code.serial == SERIAL


def test_scanner_typing_in_the_russian_layout() -> None:
    scan = to_russian_layout(f"]d2{CODE.replace(GS, '<GS>')}")
    assert "]" not in scan and "ъв2" in scan and "БПЫЮ" in scan  # what such a wedge really sends
    assert any("а" <= ch <= "я" for ch in scan)
    code = parse_marking_code(scan)
    assert (code.serial, code.crypto) == (SERIAL, CRYPTO)  # '/' came as '.', '+' unchanged


def test_russian_layout_without_separators() -> None:
    code = parse_marking_code(to_russian_layout(CODE.replace(GS, "")))
    assert code.crypto == CRYPTO and code.verification_key == KEY


def test_latin_text_is_not_remapped() -> None:
    assert from_russian_layout("ab.,;") == "ab.,;"
    assert from_russian_layout("фи.") == "ab/"


def test_a_bare_identification_code_when_the_tail_is_not_required() -> None:
    code = parse_marking_code(f"01{GTIN}21{SERIAL}", require_crypto_tail=False)
    assert code.crypto is None and code.verification_key is None
    assert code.identity == f"01{GTIN}21{SERIAL}"
    with pytest.raises(MarkingCodeError, match=r"Нет поля ключ проверки \(91\)"):
        parse_marking_code(f"01{GTIN}21{SERIAL}")


def test_normalise_scan() -> None:
    assert normalise_scan(f"  ]d2{GS}01{GTIN}<GS>x\n") == f"01{GTIN}{GS}x"


@pytest.mark.parametrize(
    ("scan", "message"),
    [
        ("", "Пустой код"),
        ("]d2\r\n", "Пустой код"),
        (f"21{SERIAL}{TAIL}", r"Нет GTIN \(01\)"),
        (
            f"01{GTIN[:-1]}921{SERIAL}{TAIL}",
            "контрольная цифра GTIN .*ожидалась 5, в коде 9",
        ),
        (f"0104607{GS}21{SERIAL}{TAIL}", r"GTIN \(01\) должен состоять из 14 цифр"),
        (
            f"01{GTIN}21ABC{TAIL}",
            r"серийный номер \(21\) .*из 13 символов, в коде 3",
        ),
        (f"01{GTIN}21{SERIAL}X{TAIL}", "из 13 символов, в коде 14"),
        (f"01{GTIN}21{SERIAL}X91{KEY}92{CRYPTO}", "из 13 символов, в коде 14"),  # separators lost too
        (
            f"01{GTIN}21{SERIAL}{GS}91EE0{GS}92{CRYPTO}",
            r"ключ проверки \(91\) .*из 4 символов, в коде 3",
        ),
        (
            f"01{GTIN}21{SERIAL}{GS}91{KEY}{GS}92{CRYPTO[:40]}",
            r"криптокод \(92\) .*из 44 символов, в коде 40",
        ),
        (f"01{GTIN}{TAIL}", r"Нет поля серийный номер \(21\)"),
        (f"01{GTIN}21{SERIAL}{GS}92{CRYPTO}", r"Нет поля ключ проверки \(91\)"),
        (f"01{GTIN}21{SERIAL}{GS}91{KEY}", r"Нет поля криптокод \(92\)"),
        (f"01{GTIN}21{SERIAL}{GS}93ABCD", r"\(93\).*не используется в коде маркировки лекарственного"),
        (f"01{GTIN}21{SERIAL}{GS}3103000123", r"\(3103\).*не используется"),
        (f"01{GTIN}21{SERIAL}{GS}XY12", "Неизвестный идентификатор применения .*«XY» в позиции 33"),
        (f"01{GTIN}17271301{GS}21{SERIAL}", r"Неверный срок годности \(17\) «271301»"),
        (f"01{GTIN}21{SERIAL}{GS}21{SERIAL}", r"\(21\) встречается в коде дважды"),
        (
            f"01{GTIN}21ABC DEF GHIJ{TAIL}",
            r"Недопустимые символы .*\(21\)",
        ),
        (f"]Q1{CODE}", "символика «]Q1», а не GS1 DataMatrix"),
        (f"]d1{CODE}", "символика «]d1»"),
        (f"]!{CODE}", "Неизвестный идентификатор символики"),
        (f"]z0{CODE}", "символика «]z0»"),
        (f"01{GTIN}21{GS}91{KEY}", r"Пустое поле: серийный номер \(21\)"),
    ],
)
def test_bad_codes_are_named_in_russian(scan: str, message: str) -> None:
    with pytest.raises(MarkingCodeError, match=message):
        parse_marking_code(scan)


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
BASE64 = ALNUM + "+/="


@settings(max_examples=150, deadline=None)
@given(
    body=st.text("0123456789", min_size=12, max_size=12),
    serial=st.text(ALNUM + "-_.%", min_size=13, max_size=13),
    key=st.text(ALNUM, min_size=4, max_size=4),
    crypto=st.text(BASE64, min_size=44, max_size=44),
    expiry=st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2040, 12, 31))),
    batch=st.one_of(st.none(), st.text(ALNUM, min_size=1, max_size=20)),
)
def test_any_valid_code_reads_the_same_in_every_scanner_form(
    body: str, serial: str, key: str, crypto: str, expiry: date | None, batch: str | None
) -> None:
    gtin = complete_gtin("0" + body)
    code = f"01{gtin}21{serial}{GS}"
    code += "" if expiry is None else f"17{expiry:%y%m%d}"
    code += "" if batch is None else f"10{batch}{GS}"
    code += f"91{key}{GS}92{crypto}"
    scans = [code, f"]d2{code}\n", code.replace(GS, "<GS>")]
    if batch is None:  # a batch has no fixed length: without separators only the rest can end it
        scans.append(code.replace(GS, ""))
    if any(ch.isalpha() for ch in serial + key + crypto):  # the layout shows only through letters
        scans.append(to_russian_layout(code.replace(GS, "<GS>")))
    for scan in scans:
        parsed = parse_marking_code(scan)
        assert (parsed.gtin, parsed.serial, parsed.verification_key, parsed.crypto) == (
            gtin,
            serial,
            key,
            crypto,
        )
        assert (parsed.expiry, parsed.batch) == (expiry, batch)
