"""The scan's SQL: pairs of persons worth scoring, produced block by block by the database.

A block is one month of birth dates. Within it every person is paired with those born the
same day or on the day with day and month exchanged whose full names are alike by trigrams
(or written in Latin letters), and with namesakes (equal normalised full name) born on
another day; identifiers shared by two persons are paired once for the whole register."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Low enough for a married surname with the same first name and patronymic (~0.4), high
# enough to drop the ~70 unrelated persons of the same birth date.
PAIR_SIMILARITY = 0.3

_BLOCK_PAIRS = text(
    """
    WITH block AS (
        SELECT s.person_id, s.birth_date, s.name_norm
        FROM person_search s JOIN person p ON p.id = s.person_id
        WHERE p.merged_into IS NULL AND s.birth_date >= :lo AND s.birth_date < :hi
    ), other AS (
        SELECT s.person_id, s.birth_date, s.name_norm
        FROM person_search s JOIN person p ON p.id = s.person_id
        WHERE p.merged_into IS NULL
    )
    SELECT a.person_id, b.person_id, a.birth_date, b.birth_date
    FROM block a JOIN other b ON b.birth_date = a.birth_date AND b.person_id > a.person_id
    WHERE similarity(a.name_norm, b.name_norm) >= :similarity
       OR a.name_norm ~ '[A-Z]' OR b.name_norm ~ '[A-Z]'
    UNION
    SELECT a.person_id, b.person_id, a.birth_date, b.birth_date
    FROM block a JOIN other b
      ON extract(day FROM a.birth_date) <= 12
     AND extract(day FROM a.birth_date) <> extract(month FROM a.birth_date)
     AND b.birth_date = make_date(
            extract(year FROM a.birth_date)::int,
            extract(day FROM a.birth_date)::int,
            extract(month FROM a.birth_date)::int)
     AND b.person_id > a.person_id
    WHERE similarity(a.name_norm, b.name_norm) >= :similarity
    UNION
    SELECT a.person_id, b.person_id, a.birth_date, b.birth_date
    FROM block a JOIN other b
      ON b.name_norm = a.name_norm AND b.person_id > a.person_id AND b.birth_date <> a.birth_date
    """
)

_SHARED_KEYS = text(
    """
    SELECT DISTINCT f1.person_id, f2.person_id
    FROM person_fact f1 JOIN person_fact f2
      ON f2.kind = f1.kind AND f2.key = f1.key AND f2.person_id > f1.person_id
    WHERE f1.kind IN ('snils', 'enp', 'document') AND f2.kind IN ('snils', 'enp', 'document')
      AND f1.key IS NOT NULL AND f2.key IS NOT NULL
      AND upper_inf(f1.recorded) AND upper_inf(f2.recorded)
    """
)

PairRow = tuple[uuid.UUID, uuid.UUID, date | None, date | None]


async def birth_date_range(session: AsyncSession) -> tuple[date | None, date | None]:
    row = (await session.execute(text("SELECT min(birth_date), max(birth_date) FROM person_search"))).one()
    return row[0], row[1]


async def block_pairs(session: AsyncSession, lo: date, hi: date) -> Sequence[PairRow]:
    rows = await session.execute(_BLOCK_PAIRS, {"lo": lo, "hi": hi, "similarity": PAIR_SIMILARITY})
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def shared_key_pairs(session: AsyncSession) -> Sequence[PairRow]:
    rows = await session.execute(_SHARED_KEYS)
    return [(r[0], r[1], None, None) for r in rows]
