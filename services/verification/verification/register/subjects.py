"""Stable subjects and fingerprints of register rows.

A subject is a register person across runs. Its key is, in this order: the ЕНП
(``enp:<16 digits>``), the СНИЛС (``snils:<11 digits>``), or the normalised surname, first name,
patronymic and birth date (``name:ИВАНОВ|ИВАН|ИВАНОВИЧ|1980-01-31``); a register taken from
``registry`` keys by the registry person id (``person:<uuid>``). The same person in the next
run's file has the same key, so the same subject id. A second row of one file with a key an
earlier row has (the same ЕНП twice: a duplicate the run must find, not drop) gets the key
with ``#2`` (``#3`` …), in file order, so a reload of the same file gives the same subjects.

A person who gains an identifier keeps the subject: a row whose key no subject has yet is
looked up by its alternative keys (``alternative_keys``: for an ЕНП key the СНИЛС key, then the
name key; for a СНИЛС key the name key), and when one of them belongs to a subject, the new key
is recorded as that subject's alias (``subject_alias``), found directly by the next run. Rows
with a repeated key (``#n``) and registry persons have no alternative keys. A subject gets one
row of a file: a row reaching a subject another row of the file already holds becomes a
subject of its own (``register.repository``).

The fingerprint is a 16-byte hash of the person's fields (not the row number): an entry whose
fingerprint equals the previous run's entry of the subject has not changed."""

from __future__ import annotations

import functools
import hashlib
import re
import uuid

from verification.register.validation import RegisterRow

_NOT_LETTER = re.compile(r"[^A-ZА-Я]+")
_SEP = "\x1f"
# The cell of a row from the registry's extract holding the registry person id (a file's
# columns never have this code: unknown header names are kept as ``?name``).
REGISTRY_PERSON = "person_id"


def normalise_name_part(part: str | None) -> str:
    """Upper case, ё→е, everything but letters dropped: «Петрова-Водкина» → «ПЕТРОВАВОДКИНА»."""
    if not part:
        return ""
    return _normalised(part)


# Names repeat (first names and patronymics by the thousand): a later run computes the name key
# of every row (an alternative key), and a cached part costs a dict probe instead of a regex.
@functools.lru_cache(maxsize=1 << 16)
def _normalised(part: str) -> str:
    return _NOT_LETTER.sub("", part.upper().replace("Ё", "Е"))


def subject_key(row: RegisterRow, registry_person_id: uuid.UUID | None = None) -> str:
    """The subject key of a valid row (before the ``#n`` of repeats within one file)."""
    if registry_person_id is not None:
        return f"person:{registry_person_id}"
    if row.enp:
        return f"enp:{row.enp}"
    if row.snils:
        return f"snils:{row.snils}"
    return name_key(row)


def name_key(row: RegisterRow) -> str:
    """The key of a row by the normalised name and birth date (``name:…``)."""
    return (
        f"name:{normalise_name_part(row.surname)}|{normalise_name_part(row.first_name)}|"
        f"{normalise_name_part(row.patronymic)}|{row.birth_date.isoformat()}"
    )


def alternative_keys(row: RegisterRow, key: str) -> list[str] | None:
    """The keys the person of a row with the subject key ``key`` (as ``subject_key`` gave it,
    not repeated) may have had in an earlier run, most telling first: for an ЕНП key the СНИЛС
    key (if the row has one) and the name key, for a СНИЛС key the name key; none otherwise."""
    if key.startswith("enp:"):
        return [f"snils:{row.snils}", name_key(row)] if row.snils else [name_key(row)]
    if key.startswith("snils:"):
        return [name_key(row)]
    return None


def fingerprint(row: RegisterRow) -> bytes:
    """16 bytes that change when any field of the person changes (and only then)."""
    text = _SEP.join(
        (
            row.surname,
            row.first_name,
            row.patronymic or "",
            row.birth_date.isoformat(),
            row.sex,
            row.snils or "",
            row.enp or "",
            row.doc_type or "",
            row.doc_series or "",
            row.doc_number or "",
            row.address or "",
            row.district or "",
        )
    )
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class RepeatedKeys:
    """Numbers the repeats of a key within one file (``key``, ``key#2``, …). Remembers the
    64-bit hash of each key, not the key: a million rows cost tens of megabytes. The hash
    differs between processes, the numbering does not (it counts equal keys in file order)."""

    def __init__(self) -> None:
        self._seen: dict[int, int] = {}

    def unique(self, key: str) -> str:
        digest = hash(key)
        count = self._seen.get(digest, 0) + 1
        self._seen[digest] = count
        return key if count == 1 else f"{key}#{count}"
