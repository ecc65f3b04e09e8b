"""Reading NSI: dictionaries, the version in force on a date, entries, diffs between versions,
and ``require_code`` for the other registry features. No SQL here (see repository.py).

Every read resolves what its answer is fixed by (the dictionary, the version or versions, the
date, the query) before it reads any entry, and tags it: the endpoints answer 304 to a client
that already holds the tag, or send the body with the tag (see caching.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.errors import InvalidInput
from oms_kit.pagination import Page, PageParams
from registry.models import NsiDictionary, NsiEntry, NsiVersion
from registry.nsi.caching import MAX_AGE_CURRENT, MAX_AGE_PINNED, etag_of
from registry.nsi.errors import EntryNotFound, UnknownCode, UnknownDictionary, VersionExists, VersionNotFound
from registry.nsi.imports import changed_fields, ensure_dictionary
from registry.nsi.repository import DIFF_FIELDS, NsiRepository
from registry.nsi.schemas import (
    ColumnsRead,
    DictionaryDetail,
    DictionaryRead,
    DiffPage,
    DiffRow,
    DiffStatus,
    DiffSummary,
    EntryDetail,
    EntryPage,
    EntryRead,
    EntrySnapshot,
    VersionRead,
)

T = TypeVar("T")
DIFF_STATUSES: tuple[DiffStatus, ...] = ("added", "removed", "changed")


@dataclass(frozen=True)
class CacheTag:
    """The strong ETag of an answer and how long a client may reuse it without asking."""

    etag: str
    max_age: int = MAX_AGE_CURRENT


@dataclass(frozen=True)
class Tagged(Generic[T]):
    """An answer read whole, tagged by its content."""

    body: T
    tag: CacheTag


@dataclass(frozen=True)
class ResolvedRead:
    """What a read of entries answers from: the version (named, or in force on the date), the
    date the entries must be in force on (None: every row of a pinned version) and the tag."""

    dictionary: NsiDictionary
    version: NsiVersion
    on: date | None
    tag: CacheTag


@dataclass(frozen=True)
class ResolvedDiff:
    """What a diff answers from: the two versions (no old one: compared with nothing), the
    statuses asked for and the tag."""

    dictionary: NsiDictionary
    old: NsiVersion | None
    new: NsiVersion
    statuses: tuple[DiffStatus, ...]
    tag: CacheTag


async def get_dictionary(session: AsyncSession, code: str, *, create: bool = False) -> NsiDictionary:
    """``create``: make a catalog dictionary's row on its first import (reads never write)."""
    if create:
        dictionary = await ensure_dictionary(session, code)
    else:
        dictionary = await NsiRepository(session).dictionary(code)
    if dictionary is None:
        raise UnknownDictionary(f"Справочника «{code}» нет")
    return dictionary


async def _summary(
    repo: NsiRepository, dictionary: NsiDictionary, today: date
) -> tuple[DictionaryRead, Sequence[NsiVersion]]:
    versions = await repo.versions(dictionary.id)
    current = next((v for v in versions if v.valid_from <= today), None)
    read = DictionaryRead(
        code=dictionary.code,
        identifier=dictionary.identifier,
        name=dictionary.name,
        description=dictionary.description,
        owner=dictionary.owner,
        current_version=VersionRead.model_validate(current) if current else None,
        record_count=current.record_count if current else 0,
        version_count=len(versions),
    )
    return read, versions


async def list_dictionaries(session: AsyncSession, today: date) -> Tagged[list[DictionaryRead]]:
    repo = NsiRepository(session)
    items = [(await _summary(repo, d, today))[0] for d in await repo.dictionaries()]
    return Tagged(items, CacheTag(etag_of("dictionaries", today, *(d.model_dump_json() for d in items))))


async def dictionary_detail(session: AsyncSession, code: str, today: date) -> Tagged[DictionaryDetail]:
    dictionary = await get_dictionary(session, code)
    read, versions = await _summary(NsiRepository(session), dictionary, today)
    detail = DictionaryDetail(
        **read.model_dump(),
        columns=ColumnsRead.model_validate(dictionary.columns),
        versions=[VersionRead.model_validate(v) for v in versions],
    )
    return Tagged(detail, CacheTag(etag_of("dictionary", detail.model_dump_json())))


async def versions_page(session: AsyncSession, code: str, paging: PageParams) -> Tagged[Page[VersionRead]]:
    """The versions of a dictionary, newest (by the date they come into force) first."""
    dictionary = await get_dictionary(session, code)
    rows, total = await NsiRepository(session).versions_page(
        dictionary.id, limit=paging.limit, offset=paging.offset
    )
    page = Page[VersionRead](
        items=[VersionRead.model_validate(v) for v in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )
    return Tagged(page, CacheTag(etag_of("versions", code, page.model_dump_json())))


async def resolve_version(
    session: AsyncSession, dictionary: NsiDictionary, *, version: str | None, on: date
) -> NsiVersion:
    """The named version, or else the one in force on ``on``."""
    repo = NsiRepository(session)
    if version is not None:
        found = await repo.version_named(dictionary.id, version)
        if found is None:
            raise VersionNotFound(f"У справочника «{dictionary.name}» нет версии {version}")
        return found
    found = await repo.version_in_force(dictionary.id, on)
    if found is None:
        raise VersionNotFound(f"Справочник «{dictionary.name}» не действовал на {on:%d.%m.%Y}: версий нет")
    return found


async def resolve_read(
    session: AsyncSession,
    code: str,
    *,
    kind: str,
    version: str | None,
    on: date | None,
    today: date,
    query: Sequence[object] = (),
) -> ResolvedRead:
    """The version a read of entries answers from and its tag, before any entry is read.

    A pinned version without a date shows all its rows; otherwise rows in force on ``on``
    (today by default). Only a pinned version on a pinned date never changes. ``kind`` and
    ``query`` (the read's other parameters) go into the tag."""
    dictionary = await get_dictionary(session, code)
    when = on if on is not None or version is not None else today
    resolved = await resolve_version(session, dictionary, version=version, on=when or today)
    max_age = MAX_AGE_PINNED if version is not None and on is not None else MAX_AGE_CURRENT
    tag = CacheTag(etag_of(kind, code, resolved.id, when, *query), max_age)
    return ResolvedRead(dictionary, resolved, when, tag)


async def resolve_diff(
    session: AsyncSession,
    code: str,
    *,
    from_version: str | None,
    to_version: str | None,
    change: Sequence[DiffStatus] | None,
    today: date,
    query: Sequence[object] = (),
) -> ResolvedDiff:
    """The two versions a diff compares (see ``diff_sides``) and its tag."""
    dictionary = await get_dictionary(session, code)
    statuses = tuple(dict.fromkeys(change)) if change else DIFF_STATUSES
    old, new = await diff_sides(
        session, dictionary, from_version=from_version, to_version=to_version, today=today
    )
    pinned = from_version is not None and to_version is not None
    etag = etag_of("diff", code, old.id if old else None, new.id, statuses, *query)
    return ResolvedDiff(
        dictionary, old, new, statuses, CacheTag(etag, MAX_AGE_PINNED if pinned else MAX_AGE_CURRENT)
    )


async def entries_page(
    session: AsyncSession,
    version: NsiVersion,
    paging: PageParams,
    *,
    on: date | None,
    q: str | None,
    parent: str | None,
    top_level: bool = False,
) -> EntryPage:
    """``top_level``: only entries without a parent (the chapters of ICD-10)."""
    if top_level and parent is not None:
        raise InvalidInput(
            "Укажите либо родительскую запись (parent), либо только записи верхнего уровня (top_level)",
            field="query.top_level",
        )
    rows, total = await NsiRepository(session).entries_page(
        version.id,
        on=on,
        q=q,
        parent=parent,
        top_level=top_level,
        limit=paging.limit,
        offset=paging.offset,
    )
    return EntryPage(
        items=[EntryRead.model_validate(r) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
        version=VersionRead.model_validate(version),
    )


async def get_entry(
    session: AsyncSession, dictionary: NsiDictionary, version: NsiVersion, code: str, *, on: date | None
) -> EntryDetail:
    entry = await NsiRepository(session).entry(version.id, code, on=on)
    if entry is None:
        when = f" на {on:%d.%m.%Y}" if on else f" в версии {version.version}"
        raise EntryNotFound(f"В справочнике «{dictionary.name}» нет действующей записи «{code}»{when}")
    return EntryDetail(
        **EntryRead.model_validate(entry).model_dump(), version=VersionRead.model_validate(version)
    )


async def diff_sides(
    session: AsyncSession,
    dictionary: NsiDictionary,
    *,
    from_version: str | None,
    to_version: str | None,
    today: date,
) -> tuple[NsiVersion | None, NsiVersion]:
    """``to``: named or in force today; ``from``: named or the version in force before ``to``."""
    new = await resolve_version(session, dictionary, version=to_version, on=today)
    if from_version is not None:
        return await resolve_version(session, dictionary, version=from_version, on=today), new
    return await NsiRepository(session).version_before(new), new


async def diff_page(
    session: AsyncSession,
    old: NsiVersion | None,
    new: NsiVersion,
    paging: PageParams,
    *,
    statuses: Sequence[DiffStatus] = DIFF_STATUSES,
) -> DiffPage:
    repo = NsiRepository(session)
    old_id = old.id if old else None
    counts = await repo.diff_counts(old_id, new.id)
    rows = await repo.diff_rows(old_id, new.id, statuses=statuses, limit=paging.limit, offset=paging.offset)
    return DiffPage(
        items=[_diff_row(r) for r in rows],
        total=sum(counts[s] for s in statuses),
        limit=paging.limit,
        offset=paging.offset,
        from_version=VersionRead.model_validate(old) if old else None,
        to_version=VersionRead.model_validate(new),
        summary=DiffSummary(**counts),
    )


async def ensure_new_version(session: AsyncSession, dictionary: NsiDictionary, version: str) -> None:
    """Refuse at once (409) an import under a version number that is already stored."""
    if await NsiRepository(session).version_named(dictionary.id, version) is not None:
        raise VersionExists(f"Версия {version} справочника «{dictionary.name}» уже загружена")


def _snapshot(row: Any, side: str) -> EntrySnapshot | None:
    values = {f: getattr(row, f"{side}_{f}") for f in DIFF_FIELDS}
    if values["name"] is None:
        return None
    values["attributes"] = values["attributes"] or {}
    return EntrySnapshot(**values)


def _diff_row(row: Any) -> DiffRow:
    return DiffRow(
        code=row.code,
        status=row.status,
        changed_fields=changed_fields(row),
        old=_snapshot(row, "old"),
        new=_snapshot(row, "new"),
    )


async def require_code(
    session: AsyncSession, dictionary_code: str, code: str, *, on: date, field: str
) -> NsiEntry:
    """The entry ``code`` of the dictionary valid on ``on``; otherwise a 422 naming ``field``.

    For other registry features: ``await require_code(session, "document_type", "14",
    on=issue_date, field="id_document.type")``."""
    repo = NsiRepository(session)
    dictionary = await repo.dictionary(dictionary_code)
    version = await repo.version_in_force(dictionary.id, on) if dictionary is not None else None
    if dictionary is None or version is None:
        raise UnknownCode(
            f"Поле «{field}»: справочник «{dictionary_code}» не загружен на {on:%d.%m.%Y}", field=field
        )
    entry = await repo.entry(version.id, code, on=on)
    if entry is None:
        raise UnknownCode(
            f"Поле «{field}»: кода «{code}» нет в справочнике «{dictionary.name}» "
            f"(версия {version.version}) на {on:%d.%m.%Y}",
            field=field,
        )
    return entry
