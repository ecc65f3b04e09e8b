"""oms_kit.tables: encoding and separator detection, the caller's header rule, row shapes."""

from pathlib import Path
from typing import Any

import pytest

from oms_kit.tables import CsvTable, NotATable, RowShape, detect_encoding, open_table


def _header(raw: list[Any]) -> list[str]:
    names = [str(c).strip().lower() for c in raw]
    if "name" not in names:
        raise NotATable("Нет колонки name")
    return names


def test_windows_1251_and_utf8_with_bom_read_the_same(tmp_path: Path) -> None:
    text = "name;city\nЁжиков;Тверь\nПетров;Омск\n"
    cp = tmp_path / "cp.csv"
    cp.write_bytes(text.encode("cp1251"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    for path, encoding in ((cp, "cp1251"), (bom, "utf-8")):
        table = open_table(path, _header)
        assert isinstance(table, CsvTable)
        assert table.encoding == encoding
        assert table.delimiter == ";"
        assert list(table.rows()) == [
            (2, {"name": "Ёжиков", "city": "Тверь"}),
            (3, {"name": "Петров", "city": "Омск"}),
        ]
        table.close()


def test_a_utf8_file_with_one_broken_line_stays_utf8_and_reports_that_line(tmp_path: Path) -> None:
    good = "".join(f"Иванов{i},Москва\n" for i in range(20)).encode()
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"name,city\n" + good + "Сидоров,Тула\n".encode("cp1251") + "Котов,Орёл\n".encode())
    table = open_table(path, _header)
    rows = list(table.rows())
    table.close()
    assert table.encoding == "utf-8" and table.delimiter == ","
    broken = [(n, r) for n, r in rows if isinstance(r, RowShape)]
    assert [n for n, _ in broken] == [22]
    assert "кодировке" in str(broken[0][1])
    assert rows[-1] == (23, {"name": "Котов", "city": "Орёл"})


def test_detect_encoding_of_plain_windows_1251() -> None:
    assert detect_encoding("Фамилия;Имя\nИванов;Иван\n".encode("cp1251")) == "cp1251"
    assert detect_encoding("Фамилия;Имя\n".encode()) == "utf-8"


def test_too_many_values_is_a_row_shape_and_the_file_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("name;city\na;b;c\nd;e\n", encoding="utf-8")
    table = open_table(path, _header)
    rows = list(table.rows())
    table.close()
    assert isinstance(rows[0][1], RowShape) and rows[0][0] == 2
    assert rows[1] == (3, {"name": "d", "city": "e"})


def test_the_callers_header_rule_and_binary_files_fail_the_file(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("title;city\nx;y\n", encoding="utf-8")
    with pytest.raises(NotATable, match="Нет колонки name"):
        open_table(path, _header)
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(b"%PDF-1.4 ...")
    with pytest.raises(NotATable, match="принимаются выписки в формате CSV или XLSX"):
        open_table(pdf, _header, what="выписки")
