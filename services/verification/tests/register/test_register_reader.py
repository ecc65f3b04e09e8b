"""Reading the TFOMS register file: CSV in UTF-8 (with BOM) and Windows-1251, «;» and «,»,
XLSX, XML (UTF-8 and windows-1251 declared); header names by code, Russian title or FFOMS
element name; files that are no register fail with a Russian message."""

from pathlib import Path

import pytest
from tests.register.register_support import (
    CODES,
    person,
    write_csv,
    write_xlsx,
    xml_bytes,
)

from verification.register import NotATable, open_register
from verification.register.reader import RowShape


def _rows(path: Path) -> list[tuple[int, object]]:
    with open_register(path) as register:
        return list(register.rows())


def test_csv_utf8_with_bom_and_semicolons(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [person(1), person(2)])
    with open_register(path) as register:
        assert register.format == "csv"
        rows = list(register.rows())
    assert [n for n, _ in rows] == [2, 3]
    assert rows[0][1] == {c: str(person(1)[c]) for c in CODES}


def test_csv_windows_1251_with_commas_reads_the_same_cyrillic(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [person(5)], delimiter=",", encoding="cp1251")
    assert path.read_bytes()[:7] == "Фамилия".encode("cp1251")
    ((row_no, cells),) = _rows(path)
    assert row_no == 2
    assert isinstance(cells, dict)
    assert cells["surname"] == "Ёлкин" and cells["first_name"] == "Пётр"


def test_xlsx_first_sheet_streams_its_rows(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [person(1), person(2), person(3)])
    with open_register(path) as register:
        assert register.format == "xlsx"
        rows = list(register.rows())
    assert [n for n, _ in rows] == [2, 3, 4]
    assert isinstance(rows[2][1], dict) and rows[2][1]["enp"] == person(3)["enp"]


@pytest.mark.parametrize("encoding", ["utf-8", "windows-1251"])
def test_xml_pers_list_records_numbered_from_one(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "r.xml"
    path.write_bytes(xml_bytes([person(1), person(2, patronymic="")], encoding=encoding))
    with open_register(path) as register:
        assert register.format == "xml"
        rows = list(register.rows())
    assert [n for n, _ in rows] == [1, 2]
    first, second = rows[0][1], rows[1][1]
    assert isinstance(first, dict) and isinstance(second, dict)
    assert first["surname"] == "Петров" and first["birth_date"] == person(1)["birth_date"]
    assert "patronymic" not in second  # an element left out is an empty field


def test_header_by_code_by_ffoms_name_and_unknown_columns_ignored(tmp_path: Path) -> None:
    header = ["FAM", "IM", "OT", "DR", "W", "snils", "ЕНП", "№ п/п"]
    path = tmp_path / "r.csv"
    path.write_text(";".join(header) + "\nИванов;Иван;;01.02.1980;М;;;7\n", encoding="utf-8")
    with open_register(path) as register:
        assert register.ignored == ["№ п/п"]
        ((_, cells),) = list(register.rows())
    assert isinstance(cells, dict)
    assert cells["surname"] == "Иванов" and cells["birth_date"] == "01.02.1980" and cells["sex"] == "М"


def test_missing_required_columns_fail_the_file_naming_them(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Фамилия;Имя;СНИЛС\nИванов;Иван;\n", encoding="utf-8")
    with pytest.raises(NotATable) as failed:
        open_register(path)
    assert str(failed.value) == ("В файле нет обязательных колонок: Дата рождения (birth_date), Пол (sex)")


def test_a_file_without_a_register_header_or_not_a_table_fails(tmp_path: Path) -> None:
    text = tmp_path / "r.csv"
    text.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    with pytest.raises(NotATable, match="не похожа на заголовок реестра"):
        open_register(text)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(NotATable, match="принимаются файлы реестра неработающих"):
        open_register(pdf)
    repeated = tmp_path / "rep.csv"
    repeated.write_text("Фамилия;Имя;Дата рождения;Пол;FAM\n", encoding="utf-8")
    with pytest.raises(NotATable, match="Колонки повторяются: Фамилия"):
        open_register(repeated)


def test_xml_with_a_wrong_root_or_a_doctype_fails(tmp_path: Path) -> None:
    path = tmp_path / "r.xml"
    path.write_text('<?xml version="1.0"?><ZL_LIST><ZAP/></ZL_LIST>', encoding="utf-8")
    with pytest.raises(NotATable, match="ожидается «PERS_LIST»"):
        open_register(path)
    path.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><PERS_LIST/>', encoding="utf-8")
    with pytest.raises(NotATable, match="DOCTYPE"):
        open_register(path)


def test_xml_broken_midway_keeps_the_records_before_and_reports_the_break(tmp_path: Path) -> None:
    good = xml_bytes([person(1), person(2)]).decode()
    path = tmp_path / "r.xml"
    path.write_text(good.replace("</PERS_LIST>\n", "  <PERS><FAM>Обрыв</FAM>"), encoding="utf-8")
    rows = _rows(path)
    assert [n for n, _ in rows] == [1, 2, 3]
    assert isinstance(rows[2][1], RowShape) and "XML повреждён" in str(rows[2][1])


def test_broken_encoding_line_in_a_utf8_csv_is_a_rejected_row(tmp_path: Path) -> None:
    body = "".join(f"Иванов;Иван;;01.02.19{50 + i};М\n" for i in range(30)).encode()
    path = tmp_path / "r.csv"
    path.write_bytes(
        "Фамилия;Имя;Отчество;Дата рождения;Пол\n".encode()
        + body
        + "Петров;Пётр;;01.02.1990;М\n".encode("cp1251")
    )
    rows = _rows(path)
    assert len(rows) == 31
    assert isinstance(rows[-1][1], RowShape) and rows[-1][0] == 32
