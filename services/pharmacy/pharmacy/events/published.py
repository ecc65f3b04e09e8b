"""Events the pharmacy service publishes (payload models, exported to contracts/asyncapi.yaml)."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from oms_kit.events import EventPayload


class PrescriptionIssued(EventPayload):
    """A doctor issued (and signed) a benefit prescription. ``series`` is the region's two digits
    and the MO's five, ``number`` sequential per series; ``quantity`` in packages;
    ``pharmacy_id`` where stock was reserved for it (none — not reserved)."""

    event_type = "pharmacy.prescription.issued"

    prescription_id: uuid.UUID
    series: str
    number: int
    form: str
    mo_id: uuid.UUID
    person_id: uuid.UUID
    category_code: str
    inn: str
    dosage_form: str
    dosage: str
    quantity: int
    funding_source: str
    issued_on: date
    valid_until: date
    pharmacy_id: uuid.UUID | None = None


class PrescriptionCancelled(EventPayload):
    """An open prescription (issued or deferred) cancelled: by its doctor (``reason`` as given)
    or because the person died (``cause`` ``death``); its reservations were released."""

    event_type = "pharmacy.prescription.cancelled"

    prescription_id: uuid.UUID
    series: str
    number: int
    mo_id: uuid.UUID
    person_id: uuid.UUID
    cause: str  # 'doctor' | 'death'
    reason: str
    cancelled_at: datetime
    pharmacy_id: uuid.UUID | None = None


class StockLow(EventPayload):
    """The free packages of a drug in a pharmacy (held, less reserved, not expired, every
    batch and funding source) fell below its threshold after an outgoing movement or a
    reservation. Published once per crossing: not again while it stays below, again after it
    has risen to the threshold and falls once more. ``threshold``: the batches' low_threshold
    or OMS_PHARMACY_LOW_STOCK_PACKAGES."""

    event_type = "pharmacy.stock.low"

    pharmacy_id: uuid.UUID
    drug_id: uuid.UUID
    inn: str
    trade_name: str
    free_quantity: int
    threshold: int
    as_of: datetime


class PrescriptionDispensed(EventPayload):
    """A benefit prescription was dispensed. Exactly the payload finance reads
    (docs/architecture.md «Finance: the events it reads»; finance's
    ``PharmacyPrescriptionDispensed``): ``mo_id`` is the MO whose doctor prescribed it,
    ``amount`` the Σ of the packages' unit prices (rubles, > 0, two places), ``funding_source``
    who pays. ``dispense_id`` and ``quantity`` are extra (finance ignores them)."""

    event_type = "pharmacy.prescription.dispensed"

    prescription_id: uuid.UUID
    pharmacy_id: uuid.UUID
    mo_id: uuid.UUID
    dispensed_at: datetime
    funding_source: Literal["federal", "regional"]
    amount: Decimal = Field(gt=0, max_digits=18, decimal_places=2)
    drug_inn: str | None = Field(default=None, max_length=300)
    dispense_id: uuid.UUID
    quantity: int = Field(gt=0)


PUBLISHED: list[type[EventPayload]] = [
    PrescriptionIssued,
    PrescriptionCancelled,
    StockLow,
    PrescriptionDispensed,
]
