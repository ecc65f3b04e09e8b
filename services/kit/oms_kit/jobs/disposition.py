"""``Content-Disposition`` both ways (RFC 6266, with RFC 5987 ``filename*`` for Cyrillic
names): the name of an upload, and the header of a download."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, unquote

MAX_NAME = 255
_EXTENDED = re.compile(r"filename\*\s*=\s*([^']*)'[^']*'([^;\s]+)", re.IGNORECASE)
_QUOTED = re.compile(r'filename\s*=\s*"((?:[^"\\]|\\.)*)"', re.IGNORECASE)
_TOKEN = re.compile(r"filename\s*=\s*([^;\s\"]+)", re.IGNORECASE)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]')
# The ASCII fallback of a Russian name is readable, not a row of underscores.
_LOWER = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_TRANSLIT = {**_LOWER, **{k.upper(): v.capitalize() for k, v in _LOWER.items()}}


def clean_name(name: str) -> str | None:
    """A file name without directories or control characters, at most 255 characters."""
    base = re.split(r"[/\\]", name.strip())[-1]
    base = "".join(c for c in base if unicodedata.category(c) != "Cc").strip()
    if base in {"", ".", ".."}:
        return None
    if len(base) > MAX_NAME:
        stem, dot, suffix = base.rpartition(".")
        base = (
            base[:MAX_NAME]
            if not dot or len(suffix) > 20
            else stem[: MAX_NAME - len(suffix) - 1] + "." + suffix
        )
    return base


def filename_from(header: str | None) -> str | None:
    """The file name a ``Content-Disposition`` header gives (``filename*`` preferred)."""
    if not header:
        return None
    extended = _EXTENDED.search(header)
    if extended:
        charset = extended.group(1).strip() or "utf-8"
        try:
            return clean_name(unquote(extended.group(2), encoding=charset, errors="strict"))
        except (LookupError, UnicodeDecodeError):
            pass
    quoted = _QUOTED.search(header)
    if quoted:
        return clean_name(re.sub(r"\\(.)", r"\1", quoted.group(1)))
    token = _TOKEN.search(header)
    return clean_name(token.group(1)) if token else None


def _ascii_fallback(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""

    def ascii_part(text: str) -> str:
        latin = "".join(_TRANSLIT.get(c, c) for c in text)
        folded = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii")
        return _UNSAFE.sub("_", folded).strip()

    ascii_stem, ascii_suffix = ascii_part(stem), ascii_part(suffix)
    if not ascii_stem.strip("._ "):
        ascii_stem = "file"
    return f"{ascii_stem}.{ascii_suffix}" if ascii_suffix else ascii_stem


def attachment(name: str) -> str:
    """``attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>``."""
    return f"attachment; filename=\"{_ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
