"""File names in and out: ``Content-Disposition`` of uploads and downloads."""

import pytest

from oms_kit.jobs.disposition import attachment, clean_name, filename_from


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("attachment; filename*=UTF-8''%D0%9D%D0%A1%D0%98%20%D0%9C%D0%9E.csv", "НСИ МО.csv"),
        ("attachment; filename=\"plain.csv\"; filename*=UTF-8''%D0%A4.xml", "Ф.xml"),
        ('attachment; filename="with \\"quotes\\".csv"', 'with "quotes".csv'),
        ("attachment; filename=token.xlsx", "token.xlsx"),
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ('attachment; filename="C:\\\\Users\\\\me\\\\отчёт.xlsx"', "отчёт.xlsx"),
        ("attachment; filename*=UTF-8''..", None),
        ("attachment; filename*=koi8-r''%F0%D2%C9%CD%C5%D2.txt", "Пример.txt"),
        ("inline", None),
        (None, None),
    ],
)
def test_the_upload_name_comes_from_content_disposition(header: str | None, name: str | None) -> None:
    assert filename_from(header) == name


def test_a_name_is_cut_to_255_characters_keeping_its_extension() -> None:
    cleaned = clean_name("а" * 300 + ".xlsx")
    assert cleaned is not None and len(cleaned) == 255 and cleaned.endswith(".xlsx")
    assert clean_name("bad\x00name\x1f.csv") == "badname.csv"


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("report.csv", "attachment; filename=\"report.csv\"; filename*=UTF-8''report.csv"),
        (
            "Отчёт 14-Ф.xlsx",
            "attachment; filename=\"Otchyot 14-F.xlsx\"; filename*=UTF-8''"
            "%D0%9E%D1%82%D1%87%D1%91%D1%82%2014-%D0%A4.xlsx",
        ),
        (
            "Реестр.xml",
            "attachment; filename=\"Reestr.xml\"; filename*=UTF-8''%D0%A0%D0%B5%D0%B5%D1%81%D1%82%D1%80.xml",
        ),
        ("報告.txt", "attachment; filename=\"file.txt\"; filename*=UTF-8''%E5%A0%B1%E5%91%8A.txt"),
        ('a"b;c.txt', "attachment; filename=\"a_b;c.txt\"; filename*=UTF-8''a%22b%3Bc.txt"),
    ],
)
def test_a_download_names_its_file_for_every_browser(name: str, header: str) -> None:
    assert attachment(name) == header
    assert filename_from(header) == name
