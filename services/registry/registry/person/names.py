"""Normalised Russian names for matching: one spelling per name however it was typed."""

from __future__ import annotations

import re

_NOT_LETTER = re.compile(r"[^A-ZА-Я ]+")
_SPACES = re.compile(r"\s+")


def normalize_name(*parts: str | None) -> str:
    """Upper case, ё→е, hyphens and other separators as one space: «Петрова-Водкина Алёна» and
    «ПЕТРОВА ВОДКИНА АЛЕНА» normalise the same. Parts that are None or empty are skipped."""
    text = " ".join(p for p in parts if p)
    text = text.upper().replace("Ё", "Е")
    text = _NOT_LETTER.sub(" ", text)
    return _SPACES.sub(" ", text).strip()
