"""Schemas of the MO card and its structure: branches, departments, rooms, the tree."""

from __future__ import annotations

import enum
import uuid

from pydantic import BaseModel, ConfigDict, Field


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LegalForm(enum.StrEnum):
    budget = "budget"  # бюджетное учреждение (ГБУЗ)
    autonomous = "autonomous"  # автономное учреждение (ГАУЗ)
    state = "state"  # казённое учреждение (ГКУЗ)
    private = "private"  # частная организация (ООО, АО)


class BranchKind(enum.StrEnum):
    branch = "branch"  # филиал
    separate_unit = "separate_unit"  # обособленное структурное подразделение


class TerritoryBrief(Read):
    id: uuid.UUID
    oktmo: str
    name: str


class MoSummary(Read):
    id: uuid.UUID
    name: str
    code: str | None
    territory: TerritoryBrief | None


class MoPassportUpdate(Input):
    """The MO card (name and code come from the organization directory of the gateway)."""

    territory_id: uuid.UUID | None = Field(default=None, description="Территория (район) размещения")
    address: str | None = Field(default=None, max_length=500)
    head_name: str | None = Field(default=None, max_length=300, description="Руководитель")
    phone: str | None = Field(default=None, max_length=40)
    # Left as they are when absent from the body (clients of the card before these fields).
    founder_id: uuid.UUID | None = Field(
        default=None,
        description="Учредитель (орган управления здравоохранением); не меняется, если не передан",
    )
    legal_form: LegalForm | None = Field(
        default=None, description="Организационно-правовая форма; не меняется, если не передана"
    )


class MoCounts(BaseModel):
    branches: int
    departments: int
    rooms: int
    areas: int
    licenses_in_force: int
    equipment: int
    equipment_working: int


class MoCard(MoSummary):
    address: str | None
    head_name: str | None
    phone: str | None
    founder_id: uuid.UUID | None = None
    legal_form: LegalForm | None = None
    counts: MoCounts


class BranchCreate(Input):
    kind: BranchKind
    name: str = Field(min_length=1, max_length=300)
    address: str | None = Field(default=None, max_length=500)
    territory_id: uuid.UUID | None = None


class BranchUpdate(Input):
    kind: BranchKind | None = None
    name: str | None = Field(default=None, min_length=1, max_length=300)
    address: str | None = Field(default=None, max_length=500)
    territory_id: uuid.UUID | None = None


class BranchRead(Read):
    id: uuid.UUID
    mo_id: uuid.UUID
    kind: BranchKind
    name: str
    address: str | None
    territory_id: uuid.UUID | None


class DepartmentCreate(Input):
    branch_id: uuid.UUID | None = Field(default=None, description="Филиал; пусто — основная площадка МО")
    name: str = Field(min_length=1, max_length=300)
    department_type: str = Field(
        description="Вид отделения из стандартов оснащения (GET /mo-register/standards)"
    )
    care_profiles: list[str] = Field(default_factory=list, description="Профили помощи (НСИ care_profile)")
    beds: int | None = Field(default=None, ge=0, le=5000, description="Коечный фонд")


class DepartmentUpdate(Input):
    branch_id: uuid.UUID | None = None
    name: str | None = Field(default=None, min_length=1, max_length=300)
    department_type: str | None = None
    care_profiles: list[str] | None = None
    beds: int | None = Field(default=None, ge=0, le=5000)


class DepartmentRead(Read):
    id: uuid.UUID
    mo_id: uuid.UUID
    branch_id: uuid.UUID | None
    name: str
    department_type: str
    care_profiles: list[str]
    beds: int | None


class RoomCreate(Input):
    number: str = Field(min_length=1, max_length=20, description="Номер кабинета")
    name: str = Field(min_length=1, max_length=300)
    floor: int | None = Field(default=None, ge=-5, le=100)
    area_m2: float | None = Field(default=None, gt=0, le=100_000)


class RoomUpdate(Input):
    number: str | None = Field(default=None, min_length=1, max_length=20)
    name: str | None = Field(default=None, min_length=1, max_length=300)
    floor: int | None = Field(default=None, ge=-5, le=100)
    area_m2: float | None = Field(default=None, gt=0, le=100_000)


class RoomRead(Read):
    id: uuid.UUID
    mo_id: uuid.UUID
    department_id: uuid.UUID
    number: str
    name: str
    floor: int | None
    area_m2: float | None


class DepartmentNode(DepartmentRead):
    rooms: list[RoomRead]


class BranchNode(BranchRead):
    departments: list[DepartmentNode]


class MoTree(BaseModel):
    """MO → (departments of the main site, branches → departments) → rooms."""

    mo: MoSummary
    departments: list[DepartmentNode]
    branches: list[BranchNode]
