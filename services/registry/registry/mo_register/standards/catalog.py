"""The equipping standards (порядки оснащения): for each department type, the equipment it must
have, and the monthly work norm of each equipment type. A data file of the project
(``data/equipping_standards.json``, see docs/formats.md), read once per process."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, Field

DATA_FILE = "data/equipping_standards.json"


class RequiredEquipment(BaseModel):
    type: str = Field(description="Вид оборудования (НСИ equipment_type)")
    quantity: int = Field(ge=1, description="Количество единиц на одно отделение")


class DepartmentStandard(BaseModel):
    code: str = Field(description="Вид отделения")
    name: str
    basis: str | None = Field(
        description="Нормативный акт, по образцу приложения к которому составлен перечень"
    )
    equipment: list[RequiredEquipment]


class EquippingStandards(BaseModel):
    version: str
    note: str
    department_types: list[DepartmentStandard]
    work_norms: dict[str, int] = Field(description="Норма часов работы в месяц по видам оборудования")

    def department_type(self, code: str) -> DepartmentStandard | None:
        return next((d for d in self.department_types if d.code == code), None)


@lru_cache(maxsize=1)
def standards() -> EquippingStandards:
    raw = resources.files("registry.mo_register.standards").joinpath(DATA_FILE).read_bytes()
    return EquippingStandards.model_validate_json(raw)


def department_type_codes() -> list[str]:
    return [d.code for d in standards().department_types]
