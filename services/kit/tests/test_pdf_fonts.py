"""The PDF font: found where Debian puts it, else a 503 problem naming the package and what to
take instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from oms_kit import pdf_fonts


def test_the_folder_with_both_faces_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    half, full = tmp_path / "half", tmp_path / "full"
    half.mkdir()
    full.mkdir()
    (half / pdf_fonts.FONT).write_bytes(b"")
    for name in (pdf_fonts.FONT, pdf_fonts.BOLD):
        (full / name).write_bytes(b"")
    monkeypatch.setattr(pdf_fonts, "FONT_DIRS", (half, full))
    assert pdf_fonts.font_dir("Форма доступна в XLSX.") == full


def test_without_the_font_a_problem_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_fonts, "FONT_DIRS", (tmp_path,))
    with pytest.raises(pdf_fonts.FontMissing) as caught:
        pdf_fonts.font_dir("Отчёт доступен в XLSX.")
    assert caught.value.status == 503
    assert "fonts-dejavu-core" in caught.value.detail
    assert caught.value.detail.endswith("Отчёт доступен в XLSX.")
