"""Request and response bodies of the MO–pharmacy attachment."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field


class OrganizationBrief(BaseModel):
    """An MO or a pharmacy as the service's copy of the organization directory knows it (name and
    code empty when the copy has not heard of it yet)."""

    id: uuid.UUID
    code: str | None = None
    name: str | None = None


class StockSummary(BaseModel):
    """What the pharmacy holds on ``on``: unexpired batches only."""

    on: date
    drugs: int = Field(description="Препаратов с остатком, свободным от резерва")
    packages: int = Field(description="Упаковок в наличии (с резервом)")
    reserved: int = Field(description="Упаковок в резерве под рецепты")
    expiring_30_days: int = Field(description="Упаковок, срок годности которых истекает в ближайшие 30 дней")
    expired: int = Field(description="Упаковок с истёкшим сроком годности, ещё не списанных")


class PharmacyRead(OrganizationBrief):
    mos: list[OrganizationBrief] = Field(description="МО, рецепты которых аптека обслуживает")
    stock: StockSummary | None = Field(default=None, description="Остатки (если запрошены: with_stock=true)")


class MoPharmaciesIn(BaseModel):
    pharmacy_ids: list[uuid.UUID] = Field(
        max_length=200, description="Аптеки, обслуживающие рецепты МО (весь список: прежний заменяется)"
    )


class MoPharmacies(BaseModel):
    mo: OrganizationBrief
    pharmacies: list[PharmacyRead]
