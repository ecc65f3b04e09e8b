"""Reading NSI portal files (CSV, the REST answer, a JSON array) and mapping rows to entries."""

from datetime import date

import pytest
from tests.nsi_samples import ICD_ROWS, icd_csv, icd_portal_json, icd_records_json

from registry.formats.nsi import NotATable, read_table
from registry.nsi.catalog import DOCUMENT_TYPE, ICD10
from registry.nsi.mapping import MissingColumn, content_hash, map_rows, parse_date

V = date(2024, 1, 1)


def test_portal_csv_with_bom_and_semicolons() -> None:
    table = read_table(icd_csv())
    assert table.format == "csv"
    assert table.columns[0] == "ID"  # the BOM is not part of the first column's name
    assert len(table.rows) == len(ICD_ROWS) and not table.problems
    cholera = table.rows[2]
    assert cholera.number == 4  # the line in the file (header is line 1)
    assert cholera.values["MKB_CODE"] == "A00" and cholera.values["MKB_NAME"] == "Холера"
    assert cholera.values["ADDL_CODE"] is None  # empty cells are absent values


def test_the_three_shapes_give_the_same_content() -> None:
    hashes = set()
    for data in (icd_csv(), icd_csv(bom=False), icd_portal_json(), icd_records_json()):
        mapped = map_rows(read_table(data), ICD10.columns, version_valid_from=V)
        assert not mapped.errors
        hashes.add(content_hash(mapped.entries))
    assert len(hashes) == 1


def test_portal_json_shape_and_parent_by_id() -> None:
    table = read_table(icd_portal_json())
    assert table.format == "json-portal"
    entries = {e.code: e for e in map_rows(table, ICD10.columns, version_valid_from=V).entries}
    assert entries["A00.0"].parent_code == "A00"  # ID_PARENT 3 is the row whose ID is 3
    assert entries["A00-A09"].parent_code == "I"
    assert entries["I"].parent_code is None
    assert entries["A09.0"].attributes["DATE"] == "01.01.2015"
    assert "MKB_CODE" not in entries["A00"].attributes and entries["A00"].attributes["REC_CODE"] == "0101A00"


def test_records_json_may_be_wrapped() -> None:
    wrapped = b'{"records": ' + icd_records_json() + b"}"
    assert read_table(wrapped).format == "json-records"
    assert len(read_table(wrapped).rows) == len(ICD_ROWS)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "двоичный"),
        (b"just some words in a text file\nand another line\n", "ни на CSV, ни на JSON"),
        (b'[{"ID": "1", "MKB_CODE": "A00"', "JSON повреждён"),
        (b'{"result": "ERROR", "resultText": "Unknown userKey"}', "Unknown userKey"),
        (b'{"total": 0}', "нет списка записей"),
        (b"   \n", "пуст"),
    ],
)
def test_not_a_table_is_refused_with_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(NotATable, match=message):
        read_table(data)


def test_bad_rows_are_reported_and_the_good_ones_kept() -> None:
    csv_text = (
        "IDDoc;DocName;DocSer;DocNum;DATEBEG;DATEEND\n"
        "21;Паспорт гражданина Российской Федерации;;;01.01.2011;\n"
        ";Без кода;;;;\n"  # line 3: no code
        "21;Повтор кода;;;;\n"  # line 4: duplicate
        "03;Свидетельство о рождении;;;31.02.2011;\n"  # line 5: no such date
        "10;Паспорт иностранного гражданина;;;2012-05-01;2011-01-01\n"  # line 6: ends before it begins
        "12;Вид на жительство;лишнее;поле;;;\n"  # line 7: one field too many
        "14;Временное удостоверение личности;;;;\n"
        "22;;;;;\n"  # line 9: no name
    ).encode("cp1251")  # FFOMS files are often Windows-1251
    table = read_table(csv_text)
    mapped = map_rows(table, DOCUMENT_TYPE.columns, version_valid_from=V)
    assert [e.code for e in mapped.entries] == ["21", "14"]
    assert mapped.entries[0].valid_from == date(2011, 1, 1)
    by_row = {e.row: e for e in mapped.errors}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 9]
    assert by_row[3].field == "IDDoc" and "Нет кода" in by_row[3].message
    assert "повторяется (впервые в строке 2)" in by_row[4].message
    assert by_row[5].field == "DATEBEG" and "31.02.2011" in by_row[5].message
    assert by_row[6].field == "DATEEND"
    assert "полей" in by_row[7].message
    assert by_row[9].field == "DocName"


def test_a_missing_required_column_is_named() -> None:
    table = read_table(b"CODE;TITLE\n1;x\n")
    with pytest.raises(MissingColumn, match="IDDoc"):
        map_rows(table, DOCUMENT_TYPE.columns, version_valid_from=V)


def test_columns_match_case_insensitively_and_inactive_rows_end_before_the_version() -> None:
    data = "id;mkb_code;mkb_name;id_parent;actual\n1;A00;Холера;;1\n2;A01;Тиф;;0\n".encode()
    entries = map_rows(read_table(data), ICD10.columns, version_valid_from=V).entries
    assert entries[0].valid_to is None
    assert entries[1].valid_to == date(2023, 12, 31)  # ACTUAL=0: kept, valid on no date of it


def test_dates_in_the_portal_spellings() -> None:
    assert parse_date("01.01.2015") == date(2015, 1, 1)
    assert parse_date("2015-01-01") == date(2015, 1, 1)
    assert parse_date("2015-01-01T00:00:00.000+03:00") == date(2015, 1, 1)
    assert parse_date("01.01.2015 00:00:00") == date(2015, 1, 1)
    with pytest.raises(ValueError, match="не распознана"):
        parse_date("вчера")
