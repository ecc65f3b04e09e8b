"""Loading one version of a dictionary: the path every import takes, the API's job and the
demo seed alike. A version is written whole or not at all (one transaction), is immutable
afterwards, and identical content is never stored twice."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import NsiDictionary, NsiVersion
from registry.nsi.catalog import DEFINITIONS
from registry.nsi.errors import NothingToImport, VersionExists
from registry.nsi.mapping import MappedRows, RowError, content_hash
from registry.nsi.repository import NsiRepository

Progress = Callable[[int, int], Awaitable[None]]


@dataclass(frozen=True)
class ImportOutcome:
    dictionary: str
    version: str
    created: bool
    version_id: uuid.UUID
    rows_imported: int
    rows_rejected: int
    same_as: str | None = None  # the stored version with identical content, when not created
    previous_version: str | None = None
    previous_version_id: uuid.UUID | None = None
    diff: dict[str, int] | None = None

    def summary(self) -> dict[str, Any]:
        if self.created:
            message = f"Загружена версия {self.version}: записей {self.rows_imported}"
        else:
            message = f"Содержимое совпадает с версией {self.same_as}; новая версия не создана"
        if self.rows_rejected:
            message += f"; отклонено строк: {self.rows_rejected} (см. файл ошибок)"
        return {
            "dictionary": self.dictionary,
            "version": self.version,
            "version_id": str(self.version_id),
            "created": self.created,
            "same_as": self.same_as,
            "rows_imported": self.rows_imported,
            "rows_rejected": self.rows_rejected,
            "previous_version": self.previous_version,
            "diff": self.diff,
            "message": message,
        }


async def ensure_dictionary(session: AsyncSession, code: str) -> NsiDictionary | None:
    """The dictionary row, created from the catalog the first time; None for an unknown code."""
    repo = NsiRepository(session)
    found = await repo.dictionary(code)
    definition = DEFINITIONS.get(code)
    if found is not None or definition is None:
        return found
    return await repo.add_dictionary(
        NsiDictionary(
            code=definition.code,
            identifier=definition.identifier,
            name=definition.name,
            description=definition.description,
            owner=definition.owner,
            columns=definition.columns.as_json(),
        )
    )


async def load_version(
    session: AsyncSession,
    dictionary: NsiDictionary,
    mapped: MappedRows,
    *,
    version: str,
    valid_from: date,
    job_id: uuid.UUID | None = None,
    source_name: str | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    if not mapped.entries:
        raise NothingToImport("В файле нет ни одной корректной записи; новая версия не создана")
    repo = NsiRepository(session)
    digest = content_hash(mapped.entries)
    rejected = len(mapped.errors)
    same = await repo.version_with_content(dictionary.id, digest)
    if same is not None:
        return ImportOutcome(dictionary.code, version, False, same.id, 0, rejected, same_as=same.version)
    if await repo.version_named(dictionary.id, version) is not None:
        raise VersionExists(
            f"Версия {version} справочника «{dictionary.name}» уже загружена с другим содержимым; "
            "версии неизменяемы — укажите другой номер версии"
        )
    total = len(mapped.entries)
    row = NsiVersion(
        dictionary_id=dictionary.id,
        version=version,
        valid_from=valid_from,
        job_id=job_id,
        source_name=source_name,
        record_count=total,
        content_hash=digest,
    )

    async def on_batch(done: int) -> None:
        if progress is not None:
            await progress(done, total)

    await repo.add_version(row, mapped.entries, on_batch=on_batch)
    previous = await repo.version_before(row)
    if previous is None:  # the first version: everything is new, no need to compare
        counts = {"added": total, "removed": 0, "changed": 0, "unchanged": 0}
    else:
        counts = await repo.diff_counts(previous.id, row.id)
    return ImportOutcome(
        dictionary.code,
        version,
        True,
        row.id,
        total,
        rejected,
        previous_version=previous.version if previous else None,
        previous_version_id=previous.id if previous else None,
        diff=counts,
    )


def _csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """``;``-separated UTF-8 with BOM: what the portal exports and what Excel opens as is."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def error_report(errors: list[RowError]) -> bytes:
    return _csv(
        ["Строка", "Код", "Поле", "Ошибка"],
        ([e.row, e.code or "", e.field or "", e.message] for e in errors),
    )


async def diff_report(session: AsyncSession, old_id: uuid.UUID | None, new_id: uuid.UUID) -> bytes:
    rows = await NsiRepository(session).diff_rows(old_id, new_id, statuses=("added", "removed", "changed"))
    labels = {"added": "добавлена", "removed": "удалена", "changed": "изменена"}
    return _csv(
        ["Изменение", "Код", "Наименование (было)", "Наименование (стало)", "Изменённые поля"],
        (
            [labels[r.status], r.code, r.old_name or "", r.new_name or "", ", ".join(changed_fields(r))]
            for r in rows
        ),
    )


def changed_fields(row: Any) -> list[str]:
    """The fields that differ, attributes named one by one (``attributes.ACTUAL``)."""
    if row.status != "changed":
        return []
    fields = [f for f in row.changed_fields if f != "attributes"]
    if "attributes" in row.changed_fields:
        old, new = row.old_attributes or {}, row.new_attributes or {}
        fields += [f"attributes.{k}" for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    return fields
