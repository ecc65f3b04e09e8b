"""The 1C exchange reader and writer on files shaped like real ones, with their quirks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from tests.exchange.samples import MO_ACCOUNT, MO_ACCOUNT_2, SUPPLIER_ACCOUNT, Doc, onec_bytes, onec_lines

from finance.exchange import onec
from finance.exchange.documents import check_document
from finance.exchange.onec import ExchangeFormatError
from finance.exchange.service import (
    PaymentFileError,
    TruncatedFile,
    UnclosedSection,
    WrongEncoding,
    read_file,
)


def rows_of(data: bytes) -> list[dict[str, object]]:
    parsed = read_file(data)
    assert all(c.row is not None for c in parsed.checked), [c.problems for c in parsed.checked]
    return [c.row for c in parsed.checked if c.row is not None]


def test_a_windows_1251_statement_reads_with_header_balances_and_documents() -> None:
    data = onec_bytes(
        [Doc(), Doc(number="16", out=False, amount="500000", counterparty="ООО «СМО «Приозёрье-Мед»")]
    )
    exchange = onec.parse(data)
    assert exchange.encoding == "cp1251"
    assert exchange.version == "1.03"
    assert exchange.accounts == [MO_ACCOUNT]
    assert exchange.sections[0].fields["НачальныйОстаток"] == "1 500 000,00"
    assert [d.kind for d in exchange.documents] == ["Платежное поручение"] * 2
    first, second = rows_of(data)
    assert first["direction"] == "out" and first["account"] == MO_ACCOUNT
    assert first["amount"] == Decimal("12345.50")
    assert first["doc_date"] == date(2026, 3, 3)
    assert first["written_off"] == date(2026, 3, 3)
    assert first["payee_name"] == "ООО «Фарм-Снаб»"
    assert first["payer_name"].startswith("ГБУЗ «Приозёрская")
    assert first["kbk"] is None  # «0» is 1C's «not given»
    assert second["direction"] == "in" and second["account"] == MO_ACCOUNT
    assert second["payer_name"] == "ООО «СМО «Приозёрье-Мед»"
    assert second["received"] == date(2026, 3, 3)


@pytest.mark.parametrize("bom", [False, True])
def test_utf8_with_or_without_bom_declared_windows_reads_with_a_warning(bom: bool) -> None:
    parsed = read_file(onec_bytes([Doc()], encoding="utf-8", bom=bom))
    assert parsed.header["encoding"] == "UTF-8"
    assert any("UTF-8" in w and "Кодировка=Windows" in w for w in parsed.warnings)
    assert parsed.checked[0].row is not None
    assert parsed.checked[0].row["payee_name"] == "ООО «Фарм-Снаб»"


def test_dos_encoding_is_cp866() -> None:
    parsed = read_file(
        onec_bytes([Doc(counterparty='ООО "Фарм-Снаб"')], encoding="cp866", encoding_name="DOS")
    )
    assert parsed.header["encoding"] == "DOS (cp866)"
    assert parsed.checked[0].row is not None and parsed.checked[0].row["payee_name"] == 'ООО "Фарм-Снаб"'


def test_lf_line_ends_trailing_spaces_blank_lines_and_spaces_around_the_equals_sign() -> None:
    lines = onec_lines([Doc()])
    lines = [f"{line}   " for line in lines]
    lines.insert(5, "")
    at = next(i for i, line in enumerate(lines) if line.startswith("Сумма="))
    lines[at] = "Сумма = 1 234,50  "
    data = ("\n".join(lines) + "\n").encode("cp1251")
    (row,) = rows_of(data)
    assert row["amount"] == Decimal("1234.50")


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("1234.50", "1234.50"),
        ("1234,50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,5", "1234.50"),
        ("7", "7.00"),
    ],
)
def test_amounts_as_accounting_systems_write_them(written: str, amount: str) -> None:
    (row,) = rows_of(onec_bytes([Doc(amount=written)]))
    assert row["amount"] == Decimal(amount)


def test_purpose_continuation_lines_are_joined_and_a_repeat_of_the_text_is_not_doubled() -> None:
    only_lines = Doc(
        purpose="",
        extra=["НазначениеПлатежа1=Оплата за электроэнергию", "НазначениеПлатежа2=за февраль 2026 г."],
    )
    both_same = Doc(number="2", purpose="Оплата услуг связи", extra=["НазначениеПлатежа1=Оплата услуг связи"])
    continued = Doc(
        number="3", purpose="Оплата по счёту № 7", extra=["НазначениеПлатежа1=за вывоз ТКО в марте"]
    )
    rows = rows_of(onec_bytes([only_lines, both_same, continued]))
    assert [r["purpose"] for r in rows] == [
        "Оплата за электроэнергию за февраль 2026 г.",
        "Оплата услуг связи",
        "Оплата по счёту № 7 за вывоз ТКО в марте",
    ]


def test_unknown_keys_are_kept_and_do_not_disturb_the_document() -> None:
    data = onec_bytes([Doc(extra=["КодНазПлатежа=1", "ИдентификаторПлатежа=abc=def"])])
    exchange = onec.parse(data)
    assert exchange.documents[0].fields["ИдентификаторПлатежа"] == "abc=def"
    assert rows_of(data)[0]["doc_number"] == "15"


def test_a_statement_over_two_accounts_and_a_transfer_between_them() -> None:
    transfer = Doc(
        number="9",
        counterparty="ГБУЗ «Приозёрская городская больница № 1»",
        counterparty_account=MO_ACCOUNT_2,
    )
    receipt_on_second = Doc(number="10", out=False, mo_account=MO_ACCOUNT_2)
    rows = rows_of(onec_bytes([transfer, receipt_on_second], accounts=(MO_ACCOUNT, MO_ACCOUNT_2)))
    assert [(r["direction"], r["account"]) for r in rows] == [("out", MO_ACCOUNT), ("in", MO_ACCOUNT_2)]


def test_a_document_of_neither_account_is_a_bad_line_naming_the_accounts() -> None:
    parsed = read_file(onec_bytes([Doc(mo_account="03224643500000009999")]))
    (checked,) = parsed.checked
    assert checked.row is None
    (problem,) = checked.problems
    assert problem.field == "ПлательщикСчет"
    assert MO_ACCOUNT in problem.message and "03224643500000009999" in problem.message


def test_bad_values_are_reported_at_their_line_and_field() -> None:
    doc = Doc(amount="12,345.50", day="31.02.2026", counterparty_inn="12345", counterparty_kpp="5008")
    doc.extra = ["КОСГУ=999", "КВФО=7"]
    data = onec_bytes([doc])
    lines = data.decode("cp1251").split("\r\n")
    parsed = read_file(data)
    (checked,) = parsed.checked
    found = {p.field: (p.line, p.message) for p in checked.problems}
    assert set(found) == {"Сумма", "Дата", "ДатаСписано", "ПолучательИНН", "ПолучательКПП", "КОСГУ"}
    assert lines[found["Сумма"][0] - 1].startswith("Сумма=")
    assert lines[found["Дата"][0] - 1] == "Дата=31.02.2026"
    assert "и запятая, и точка" in found["Сумма"][1]
    assert "неизвестный код КОСГУ «999»" in found["КОСГУ"][1]


def test_explicit_codes_must_fit_the_side_of_the_document() -> None:
    income_code_on_payment = Doc(extra=["КОСГУ=132", "КВФО=7"])
    good = Doc(number="2", extra=["КОСГУ=341", "КВФО=7"])
    first, second = read_file(onec_bytes([income_code_on_payment, good])).checked
    assert first.row is None and "код доходов" in first.problems[0].message
    assert second.row is not None
    assert (second.row["kvfo"], second.row["kosgu"], second.row["classified_by"]) == (7, "341", "user")


def test_required_fields() -> None:
    checked = check_document(
        "Платежное поручение", {"Номер": "", "Сумма": "0"}, line=40, accounts=[MO_ACCOUNT]
    )
    fields = {p.field for p in checked.problems}
    assert {"Номер", "Дата", "Сумма", "ПлательщикСчет"} <= fields
    assert all(p.line == 40 for p in checked.problems)


def test_a_file_cut_short_is_refused_naming_the_missing_end() -> None:
    with pytest.raises(TruncatedFile, match="КонецФайла"):
        read_file(onec_bytes([Doc()], end=False))


def test_a_file_ending_inside_a_document_names_its_line() -> None:
    lines = onec_lines([Doc(), Doc(number="16")], end=False)
    cut = "\r\n".join(lines[:-5]).encode("cp1251")
    start = next(i for i, line in enumerate(lines) if line == "Номер=16")  # the line after СекцияДокумент
    with pytest.raises(UnclosedSection, match=f"строке {start}"):
        read_file(cut)


def test_a_document_never_closed_before_the_next_one() -> None:
    lines = onec_lines([Doc(), Doc(number="16")])
    lines.remove("КонецДокумента")
    with pytest.raises(UnclosedSection, match="следующий документ"):
        read_file("\r\n".join(lines).encode("cp1251"))


def test_an_end_without_a_start_and_an_unclosed_balance_section() -> None:
    lines = onec_lines([Doc()])
    lines.insert(3, "КонецДокумента")
    with pytest.raises(UnclosedSection, match="без открывающей"):
        read_file("\r\n".join(lines).encode("cp1251"))
    lines = onec_lines([Doc()])
    lines.remove("КонецРасчСчет")
    with pytest.raises(UnclosedSection, match="КонецРасчСчет"):
        read_file("\r\n".join(lines).encode("cp1251"))


def test_declared_windows_but_bytes_are_not_windows_1251() -> None:
    data = onec_bytes([Doc()]).replace("Фарм".encode("cp1251"), b"\x98\x98\x98\x98")
    with pytest.raises(WrongEncoding, match="не являются текстом в кодировке Windows"):
        read_file(data)


def test_a_dos_file_declared_windows_is_refused() -> None:
    data = onec_bytes([Doc()], encoding="cp866")
    with pytest.raises(WrongEncoding, match="ключи не читаются"):
        read_file(data)


def test_mojibake_text_encoded_twice_is_refused() -> None:
    data = onec_bytes([Doc()], encoding="utf-8").decode("cp1251", errors="replace").encode("utf-8")
    with pytest.raises(WrongEncoding, match="перекодирован дважды"):
        read_file(data)


def test_not_a_1c_file_and_an_unknown_encoding() -> None:
    with pytest.raises(PaymentFileError, match="не CSV и не XLSX"):
        read_file(b"%PDF-1.4 binary")
    with pytest.raises(ExchangeFormatError, match="Кодировка=KOI8"):
        onec.parse("\r\n".join(onec_lines([Doc()], encoding_name="KOI8")).encode("cp1251"))


def test_the_writer_round_trips_through_the_reader() -> None:
    rows = rows_of(
        onec_bytes(
            [
                Doc(),
                Doc(number="16", out=False, amount="500000"),
                Doc(number="17", extra=["КОСГУ=341", "КВФО=7"]),
            ]
        )
    )
    docs = [
        onec.OutDocument(
            kind=r["doc_kind"],
            number=r["doc_number"],
            day=r["doc_date"],
            amount=r["amount"],
            payer_name=r["payer_name"],
            payer_inn=r["payer_inn"],
            payer_kpp=r["payer_kpp"],
            payer_account=r["payer_account"],
            payer_bik=r["payer_bik"],
            payee_name=r["payee_name"],
            payee_inn=r["payee_inn"],
            payee_kpp=r["payee_kpp"],
            payee_account=r["payee_account"],
            payee_bik=r["payee_bik"],
            purpose=r["purpose"],
            kbk=r["kbk"],
            written_off=r["written_off"],
            received=r["received"],
            kvfo=r["kvfo"],
            kosgu=r["kosgu"],
        )
        for r in rows
    ]
    written = onec.write(
        docs, accounts=[MO_ACCOUNT], period=(date(2026, 3, 1), date(2026, 3, 5)), created=date(2026, 3, 5)
    )
    assert written.startswith(
        b"1CClientBankExchange\r\nVersion".replace(b"Version", "ВерсияФормата=1.03".encode("cp1251"))
    )
    assert "Кодировка=Windows".encode("cp1251") in written
    again = rows_of(written)
    keep = ("direction", "doc_number", "doc_date", "amount", "account", "payer_name", "payee_name")
    keep += ("payee_inn", "payee_kpp", "purpose", "written_off", "received", "kvfo", "kosgu")
    assert [{k: r[k] for k in keep} for r in again] == [{k: r[k] for k in keep} for r in rows]
    assert rows[1]["payer_account"] == SUPPLIER_ACCOUNT


def test_other_document_kinds_and_old_short_dates_are_read() -> None:
    docs = [
        Doc(kind="Банковский ордер", number="1", day="04.03.26"),
        Doc(kind="Платежное требование", number="2", out=False),
        Doc(kind="Инкассовое поручение", number="3"),
    ]
    rows = rows_of(onec_bytes(docs))
    assert [r["doc_kind"] for r in rows] == [
        "Банковский ордер",
        "Платежное требование",
        "Инкассовое поручение",
    ]
    assert rows[0]["doc_date"] == date(2026, 3, 4)


def test_a_csv_with_commas_and_a_bom_reads_by_the_template() -> None:
    header = "Номер,Дата,Сумма,Плательщик,Счёт плательщика,Получатель,Назначение платежа"
    line = f'7,05.03.2026,"1 500,00",ГБУЗ ПГБ № 1,{MO_ACCOUNT},ООО «Водоканал»,"Оплата, водоснабжение"'
    parsed = read_file(("\ufeff" + header + "\r\n" + line + "\r\n").encode())
    assert parsed.file_format.value == "csv"
    (checked,) = parsed.checked
    assert checked.row is not None
    assert (checked.row["amount"], checked.row["direction"], checked.row["purpose"]) == (
        Decimal("1500.00"),
        "out",
        "Оплата, водоснабжение",
    )


def test_declared_utf8_but_bytes_are_windows_1251() -> None:
    with pytest.raises(WrongEncoding, match="Кодировка=UTF-8, но строка 2 не является текстом UTF-8"):
        read_file(onec_bytes([Doc()], encoding_name="UTF-8"))


def test_the_statement_totals_are_reconciled_with_its_documents() -> None:
    matching = read_file(onec_bytes([Doc()]))  # one payment of 12 345,50: ВсегоСписано=12345,50
    assert not [w for w in matching.warnings if "Счёт" in w]
    missing = read_file(onec_bytes([Doc(amount="100")]))
    (warning,) = [w for w in missing.warnings if "Счёт" in w]
    assert (
        f"Счёт {MO_ACCOUNT}: ВсегоСписано=12345.50 в секции остатков, а документов файла на 100.00" in warning
    )
    lines = onec_lines([Doc()])
    lines[lines.index("КонечныйОстаток=1487654,50")] = "КонечныйОстаток=1487654,00"
    broken = read_file("\r\n".join(lines).encode("cp1251"))
    assert any("≠ конечный остаток 1487654.00" in w for w in broken.warnings)
