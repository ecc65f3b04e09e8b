"""The font for PDFs printed with Cyrillic text (fpdf2, no browser): DejaVu Sans from Debian's
``fonts-dejavu-core`` (``make fonts`` installs it; nothing is downloaded at run time). Without
it a PDF is refused with a problem saying so and what to take instead."""

from __future__ import annotations

from pathlib import Path

from oms_kit.errors import DomainError

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"


class FontMissing(DomainError):
    status = 503
    code = "font-missing"
    title = "PDF недоступен"


def font_dir(instead: str) -> Path:
    """The folder holding ``FONT`` and ``BOLD``; ``instead`` ends the problem (e.g. «Форма
    доступна в XLSX.»)."""
    for folder in FONT_DIRS:
        if (folder / FONT).is_file() and (folder / BOLD).is_file():
            return folder
    raise FontMissing(
        "Не установлен шрифт DejaVu Sans (пакет fonts-dejavu-core, «make fonts»): без него PDF "
        f"не напечатать кириллицей. {instead}"
    )
