"""The payloads of other services' events finance consumes, as tolerant readers: only the
fields read here (a field the publisher adds later is ignored). The publisher's model is the
contract (``contracts/asyncapi.yaml``); no other service's package is imported.

``pharmacy.prescription.dispensed`` has no publisher yet (issue 7): this model is the contract
pharmacy is to publish (docs/architecture.md, «Finance: the events it reads»)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from oms_kit.events import EventPayload


class MoSnapshotIn(BaseModel):
    """The MO after the change, as registry's ``registry.mo.updated`` carries it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    founder_id: uuid.UUID | None = None
    legal_form: str | None = None
    beds: int | None = None
    attached_persons: int | None = None
    territory_oktmo: str | None = None


class RegistryMoUpdated(EventPayload):
    """Registry's ``registry.mo.updated``; events without ``snapshot`` (older producers) are
    ignored here."""

    event_type = "registry.mo.updated"

    mo_id: uuid.UUID
    part: str
    snapshot: MoSnapshotIn | None = None


class VerificationRunCompleted(EventPayload):
    """Verification's ``verification.run.completed``: a payer's run over the non-working
    register, with the savings fields when verification computed them."""

    event_type = "verification.run.completed"

    run_id: uuid.UUID
    organization_id: uuid.UUID
    period_from: date
    period_to: date
    as_of: date
    excluded_by_reason: dict[str, int] = Field(default_factory=dict)
    months_excluded: int | None = None
    savings_amount: Decimal | None = None
    monthly_tariff: Decimal | None = None
    actual_register: int | None = None
    forecast_year: int | None = None
    appropriation_forecast: Decimal | None = None


class PharmacyPrescriptionDispensed(EventPayload):
    """A prescription of the benefit drug provision was dispensed: what it cost and who pays —
    ``federal`` (ОНЛС, federal budget) or ``regional`` (the region's benefit). ``mo_id`` is the
    MO whose doctor prescribed it: the spending is counted against that MO."""

    event_type = "pharmacy.prescription.dispensed"

    prescription_id: uuid.UUID
    pharmacy_id: uuid.UUID
    mo_id: uuid.UUID
    dispensed_at: datetime
    funding_source: Literal["federal", "regional"]
    amount: Decimal = Field(gt=0, max_digits=18, decimal_places=2)
    drug_inn: str | None = Field(default=None, max_length=300)
