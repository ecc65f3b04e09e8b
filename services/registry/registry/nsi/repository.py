"""All SQL of the NSI feature."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, and_, case, func, insert, literal, null, or_, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import NsiDictionary, NsiEntry, NsiVersion
from registry.nsi.mapping import EntryRow, search_key

DIFF_FIELDS = ("name", "parent_code", "valid_from", "valid_to", "attributes")


def valid_on(on: date) -> ColumnElement[bool]:
    return and_(
        or_(NsiEntry.valid_from.is_(None), NsiEntry.valid_from <= on),
        or_(NsiEntry.valid_to.is_(None), NsiEntry.valid_to >= on),
    )


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class NsiRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # dictionaries -----------------------------------------------------------------------
    async def dictionary(self, code: str) -> NsiDictionary | None:
        return await self.session.scalar(select(NsiDictionary).where(NsiDictionary.code == code))

    async def dictionaries(self) -> Sequence[NsiDictionary]:
        return (await self.session.scalars(select(NsiDictionary).order_by(NsiDictionary.code))).all()

    async def add_dictionary(self, dictionary: NsiDictionary) -> NsiDictionary:
        self.session.add(dictionary)
        await self.session.flush()
        return dictionary

    # versions ---------------------------------------------------------------------------
    @staticmethod
    def _versions(dictionary_id: uuid.UUID) -> Select[NsiVersion]:
        """Newest first: later ``valid_from``, then later import (the id keeps pages stable)."""
        return (
            select(NsiVersion)
            .where(NsiVersion.dictionary_id == dictionary_id)
            .order_by(NsiVersion.valid_from.desc(), NsiVersion.imported_at.desc(), NsiVersion.id)
        )

    async def versions(self, dictionary_id: uuid.UUID) -> Sequence[NsiVersion]:
        return (await self.session.scalars(self._versions(dictionary_id))).all()

    async def versions_page(
        self, dictionary_id: uuid.UUID, *, limit: int, offset: int
    ) -> tuple[Sequence[NsiVersion], int]:
        """A page of ``versions`` and how many there are in all."""
        total = await self.session.scalar(
            select(func.count()).select_from(NsiVersion).where(NsiVersion.dictionary_id == dictionary_id)
        )
        rows = await self.session.scalars(self._versions(dictionary_id).limit(limit).offset(offset))
        return rows.all(), int(total or 0)

    async def version_in_force(self, dictionary_id: uuid.UUID, on: date) -> NsiVersion | None:
        """The latest version whose ``valid_from`` is on or before ``on`` (one index range)."""
        stmt = (
            select(NsiVersion)
            .where(NsiVersion.dictionary_id == dictionary_id, NsiVersion.valid_from <= on)
            .order_by(NsiVersion.valid_from.desc(), NsiVersion.imported_at.desc())
            .limit(1)
        )
        return await self.session.scalar(stmt)

    async def version_named(self, dictionary_id: uuid.UUID, version: str) -> NsiVersion | None:
        return await self.session.scalar(
            select(NsiVersion).where(NsiVersion.dictionary_id == dictionary_id, NsiVersion.version == version)
        )

    async def version_with_content(self, dictionary_id: uuid.UUID, content_hash: str) -> NsiVersion | None:
        return await self.session.scalar(
            select(NsiVersion)
            .where(NsiVersion.dictionary_id == dictionary_id, NsiVersion.content_hash == content_hash)
            .limit(1)
        )

    async def version_before(self, version: NsiVersion) -> NsiVersion | None:
        """The version in force just before ``version`` began (what a diff compares it with)."""
        stmt = (
            select(NsiVersion)
            .where(
                NsiVersion.dictionary_id == version.dictionary_id,
                NsiVersion.id != version.id,
                or_(
                    NsiVersion.valid_from < version.valid_from,
                    and_(
                        NsiVersion.valid_from == version.valid_from,
                        NsiVersion.imported_at <= version.imported_at,
                    ),
                ),
            )
            .order_by(NsiVersion.valid_from.desc(), NsiVersion.imported_at.desc())
            .limit(1)
        )
        return await self.session.scalar(stmt)

    async def add_version(
        self,
        version: NsiVersion,
        entries: list[EntryRow],
        *,
        batch: int = 2000,
        on_batch: Callable[[int], Awaitable[None]] | None = None,
    ) -> None:
        self.session.add(version)
        await self.session.flush()
        await self.session.refresh(version)  # imported_at comes from the database
        for start in range(0, len(entries), batch):
            rows = [
                {
                    "version_id": version.id,
                    "code": e.code,
                    "name": e.name,
                    "search_name": search_key(e.name),
                    "parent_code": e.parent_code,
                    "attributes": e.attributes,
                    "valid_from": e.valid_from,
                    "valid_to": e.valid_to,
                }
                for e in entries[start : start + batch]
            ]
            await self.session.execute(insert(NsiEntry), rows)
            if on_batch is not None:
                await on_batch(start + len(rows))

    # entries ----------------------------------------------------------------------------
    def _entries(
        self,
        version_id: uuid.UUID,
        *,
        on: date | None,
        q: str | None,
        parent: str | None,
        top_level: bool = False,
    ) -> Select[NsiEntry]:
        stmt = select(NsiEntry).where(NsiEntry.version_id == version_id)
        if on is not None:
            stmt = stmt.where(valid_on(on))
        if parent is not None:
            stmt = stmt.where(NsiEntry.parent_code == parent)
        if top_level:
            stmt = stmt.where(NsiEntry.parent_code.is_(None))
        if q:
            prefix = _like_prefix(q.strip().upper()) + "%"
            contains = "%" + _like_prefix(search_key(q.strip())) + "%"
            stmt = stmt.where(
                or_(NsiEntry.code.like(prefix, escape="\\"), NsiEntry.search_name.like(contains, escape="\\"))
            )
        return stmt

    async def entries_page(
        self,
        version_id: uuid.UUID,
        *,
        on: date | None,
        q: str | None,
        parent: str | None,
        top_level: bool = False,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[NsiEntry], int]:
        base = self._entries(version_id, on=on, q=q, parent=parent, top_level=top_level)
        total = await self.session.scalar(select(func.count()).select_from(base.subquery()))
        rows = await self.session.scalars(base.order_by(NsiEntry.code).limit(limit).offset(offset))
        return rows.all(), int(total or 0)

    async def codes_valid_on(self, version_id: uuid.UUID, on: date) -> list[str]:
        stmt = select(NsiEntry.code).where(NsiEntry.version_id == version_id, valid_on(on))
        return list((await self.session.scalars(stmt)).all())

    async def entry(self, version_id: uuid.UUID, code: str, *, on: date | None) -> NsiEntry | None:
        stmt = select(NsiEntry).where(NsiEntry.version_id == version_id, NsiEntry.code == code)
        if on is not None:
            stmt = stmt.where(valid_on(on))
        return await self.session.scalar(stmt)

    # diff -------------------------------------------------------------------------------
    def _diff(self, old_id: uuid.UUID | None, new_id: uuid.UUID) -> Any:
        """old FULL JOIN new on code, with each pair's status and the fields that differ."""
        # With no previous version the old side is empty (no version has the nil id).
        old = select(NsiEntry).where(NsiEntry.version_id == (old_id or uuid.UUID(int=0))).subquery("o")
        new = select(NsiEntry).where(NsiEntry.version_id == new_id).subquery("n")
        differs = [old.c[f].is_distinct_from(new.c[f]) for f in DIFF_FIELDS]
        status = case(
            (old.c.code.is_(None), literal("added")),
            (new.c.code.is_(None), literal("removed")),
            (or_(*differs), literal("changed")),
            else_=literal("unchanged"),
        ).label("status")
        labels: list[ColumnElement[str]] = [
            case((d, literal(f)), else_=null()) for d, f in zip(differs, DIFF_FIELDS, strict=True)
        ]
        changed = func.array_remove(array[str](labels, type_=Text), null())  # type: ignore[arg-type]
        return (
            select(
                func.coalesce(new.c.code, old.c.code).label("code"),
                status,
                changed.label("changed_fields"),
                *[old.c[f].label(f"old_{f}") for f in DIFF_FIELDS],
                *[new.c[f].label(f"new_{f}") for f in DIFF_FIELDS],
            )
            .select_from(old.join(new, old.c.code == new.c.code, full=True))
            .subquery("d")
        )

    async def diff_counts(self, old_id: uuid.UUID | None, new_id: uuid.UUID) -> dict[str, int]:
        d = self._diff(old_id, new_id)
        rows = await self.session.execute(select(d.c.status, func.count()).group_by(d.c.status))
        counts = {"added": 0, "removed": 0, "changed": 0, "unchanged": 0}
        counts.update({str(status): int(n) for status, n in rows.all()})
        return counts

    async def diff_rows(
        self,
        old_id: uuid.UUID | None,
        new_id: uuid.UUID,
        *,
        statuses: Sequence[str],
        limit: int | None = None,
        offset: int = 0,
    ) -> Sequence[Any]:
        d = self._diff(old_id, new_id)
        stmt = select(d).where(d.c.status.in_(list(statuses))).order_by(d.c.code).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        return (await self.session.execute(stmt)).all()
