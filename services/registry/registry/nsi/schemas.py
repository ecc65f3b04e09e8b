import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from oms_kit.pagination import Page


class VersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    version: str = Field(description="Номер версии, как на портале НСИ (например, 2.21)")
    valid_from: date = Field(description="Дата, с которой версия действует")
    imported_at: datetime
    job_id: uuid.UUID | None = Field(
        description="Задание, загрузившее версию (нет — загружена при установке)"
    )
    source_name: str | None = Field(description="Имя загруженного файла или источник")
    record_count: int
    content_hash: str = Field(description="SHA-256 содержимого версии")


class DictionaryRead(BaseModel):
    code: str = Field(description="Короткий код справочника в адресах API (icd10, document_type, …)")
    identifier: str | None = Field(description="OID на портале НСИ Минздрава или код классификатора ФФОМС")
    name: str
    description: str | None
    owner: str = Field(description="Кто ведёт справочник")
    current_version: VersionRead | None = Field(description="Версия, действующая сегодня")
    record_count: int = Field(description="Записей в действующей версии")
    version_count: int


class ColumnsRead(BaseModel):
    code: str
    name: str
    id: str | None = None
    parent: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    active: str | None = None


class DictionaryDetail(DictionaryRead):
    columns: ColumnsRead = Field(description="Колонки файла импорта: что код, наименование, родитель, даты")
    versions: list[VersionRead] = Field(description="Все версии, новые первыми")


class EntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    parent_code: str | None
    attributes: dict[str, Any] = Field(description="Прочие колонки записи, как в файле портала")
    valid_from: date | None
    valid_to: date | None


class EntryPage(Page[EntryRead]):
    version: VersionRead = Field(description="Версия, из которой взяты записи")


class EntryDetail(EntryRead):
    version: VersionRead


DiffStatus = Literal["added", "removed", "changed"]


class EntrySnapshot(BaseModel):
    name: str
    parent_code: str | None
    attributes: dict[str, Any]
    valid_from: date | None
    valid_to: date | None


class DiffRow(BaseModel):
    code: str
    status: DiffStatus
    changed_fields: list[str] = Field(description="Изменённые поля; атрибуты — как attributes.<колонка>")
    old: EntrySnapshot | None
    new: EntrySnapshot | None


class DiffSummary(BaseModel):
    added: int
    removed: int
    changed: int
    unchanged: int


class DiffPage(Page[DiffRow]):
    from_version: VersionRead | None = Field(description="Прежняя версия (нет — сравнение с пустым)")
    to_version: VersionRead
    summary: DiffSummary
