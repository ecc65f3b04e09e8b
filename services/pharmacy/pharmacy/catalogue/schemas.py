"""Request and response bodies of the drug catalogue."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field


class DrugIn(BaseModel):
    inn: str = Field(min_length=1, max_length=300, description="МНН (или группировочное наименование)")
    trade_name: str = Field(min_length=1, max_length=300, description="Торговое наименование")
    dosage_form: str = Field(min_length=1, max_length=200, description="Лекарственная форма")
    dosage: str = Field(min_length=1, max_length=100, description="Дозировка, например «500 мг»")
    package_quantity: int = Field(gt=0, le=100000, description="Количество единиц в упаковке")
    gtins: list[str] = Field(default_factory=list, max_length=50, description="GTIN (14 цифр) упаковок")
    atc_code: str | None = Field(default=None, max_length=7, description="Код АТХ")
    vital: bool = Field(default=False, description="Входит в перечень ЖНВЛП")
    marked: bool = Field(default=True, description="Подлежит обязательной маркировке")
    drug_lists: list[str] = Field(default_factory=list, description="Коды перечней: onls, vzn, regional")
    valid_from: date
    valid_to: date | None = None


class DrugRead(BaseModel):
    id: uuid.UUID
    inn: str
    trade_name: str
    dosage_form: str
    dosage: str
    package_quantity: int
    gtins: list[str]
    atc_code: str | None
    vital: bool
    marked: bool
    drug_lists: list[str]
    valid_from: date
    valid_to: date | None


class LoadProblem(BaseModel):
    line: int = Field(description="Номер строки файла (заголовок — строка 1)")
    field: str | None = Field(description="Столбец")
    message: str


class CatalogueLoadRead(BaseModel):
    lines: int = Field(description="Строк с данными")
    created: int = Field(description="Новых препаратов")
    updated: int = Field(description="Изменённых препаратов (и новых GTIN у известных)")
    unchanged: int
    problems: list[LoadProblem]
