"""Demo stock of the region's 30 pharmacies: which pharmacies serve which MO, batches of the
catalogue's drugs by series, expiry and funding source, every package with a real-shaped GS1
DataMatrix code, and a receipt movement behind every batch (``StockBook``, which the demo
prescriptions then draw from: dispenses, reservations).

Ids of the MOs and pharmacies are the gateway demo's (``uuid5`` of its namespace and
``organization:<kind>:<code>``, gateway/demo.py ``_Org.id``): MOs 990001…990050, pharmacies
990101…990130, the warehouse 990201.

Marking codes: ``01`` the catalogue GTIN, ``21`` a serial of 13 characters, ``91`` a 4-character
key, ``92`` a 44-character crypto code (base64 of 33 random bytes: letters, digits, ``+`` and
``/``, all in the GS1 character set), separated by ``\\x1d`` — what a scanner sends and
``pharmacy.marking.gs1.parse_marking_code`` reads. Serials use letters and digits only (the
МДЛП documents' SGTIN pattern)."""

from __future__ import annotations

import base64
import random
import string
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pharmacy.demo.catalogue import _NS as DRUG_NS
from pharmacy.demo.catalogue import DRUGS, demo_gtin
from pharmacy.marking.gs1 import GS

GATEWAY_NS = uuid.UUID("6f1c2a5e-3d4b-4c8e-9a7f-0b1d2e3f4a5b")
REGION_TZ = ZoneInfo("Europe/Moscow")
MO_CODES = tuple(f"99{n:04d}" for n in range(1, 51))
PHARMACY_CODES = tuple(f"9901{n:02d}" for n in range(1, 31))
WAREHOUSE_CODE = "990201"
DEMO_MO_CODE = "990001"  # the demo doctor's
DEMO_PHARMACY_CODE = "990101"  # the demo pharmacist's
SECOND_PHARMACY_CODE = "990102"  # pharmacist2's
# Pharmacies that hold the high-cost (ВЗН) drugs: the one at the regional hospital, the one at
# the oncology dispensary, and the two demo pharmacies.
VZN_PHARMACIES = frozenset({"990101", "990102", "990120", "990121"})
_ALNUM = string.ascii_letters + string.digits


def org_id(kind: str, code: str) -> uuid.UUID:
    """The gateway demo's id of an organization (gateway/demo.py ``_Org.id``)."""
    return uuid.uuid5(GATEWAY_NS, f"organization:{kind}:{code}")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=REGION_TZ)


@dataclass(frozen=True)
class DemoDrug:
    n: int
    id: uuid.UUID
    inn: str
    trade_name: str
    dosage_form: str
    dosage: str
    atc: str
    lists: tuple[str, ...]
    gtin: str

    @property
    def item(self) -> tuple[str, str, str]:
        """What a prescription names: МНН, form, dosage."""
        return (self.inn, self.dosage_form, self.dosage)

    @property
    def fundings(self) -> tuple[str, ...]:
        out = []
        if "onls" in self.lists or "vzn" in self.lists:
            out.append("federal")
        if "regional" in self.lists:
            out.append("regional")
        return tuple(out)


DEMO_DRUGS: tuple[DemoDrug, ...] = tuple(
    DemoDrug(
        n,
        uuid.uuid5(DRUG_NS, f"{inn}|{trade}|{dosage}|{quantity}"),
        inn,
        trade,
        form,
        dosage,
        atc,
        lists,
        demo_gtin(n),
    )
    for n, (inn, trade, form, dosage, quantity, atc, _vital, lists) in enumerate(DRUGS, start=1)
)
DRUG_BY_TRADE = {d.trade_name: d for d in DEMO_DRUGS}


def marking_code(rng: random.Random, gtin: str) -> tuple[str, str, str]:
    """(serial, verification key, crypto code) of a new package."""
    serial = "".join(rng.choice(_ALNUM) for _ in range(13))
    key = "".join(rng.choice(_ALNUM) for _ in range(4))
    crypto = base64.b64encode(rng.randbytes(33)).decode("ascii")
    return serial, key, crypto


def scan_text(gtin: str, serial: str, key: str, crypto: str) -> str:
    """The code as the scanner sends it (``\\x1d`` between the variable-length fields)."""
    return f"01{gtin}21{serial}{GS}91{key}{GS}92{crypto}"


def unit_price(rng: random.Random, drug: DemoDrug) -> Decimal:
    """A plausible registered price of a ЖНВЛП package (roubles, with the wholesale and retail
    mark-ups) by the kind of drug."""
    if "vzn" in drug.lists:
        low, high = 9_000, 95_000
    elif drug.atc.startswith("A10A"):  # insulin pens
        low, high = 1_100, 3_400
    elif drug.atc.startswith(("L02", "L01", "L04")):
        low, high = 900, 6_500
    elif drug.atc.startswith("R03"):
        low, high = 180, 1_900
    else:
        low, high = 45, 780
    return Decimal(rng.randint(low * 100, high * 100)) / 100


@dataclass
class Batch:
    id: uuid.UUID
    pharmacy_code: str
    drug: DemoDrug
    series: str
    expiry: date
    funding: str
    price: Decimal
    received_at: datetime
    low_threshold: int | None
    free: list[str] = field(default_factory=list)  # SGTINs in stock, not reserved (FEFO: pop from the end)
    reserved: dict[uuid.UUID, list[str]] = field(default_factory=dict)  # reservation id → SGTINs
    balance: int = 0

    @property
    def pharmacy_id(self) -> uuid.UUID:
        return org_id("pharmacy", self.pharmacy_code)


@dataclass
class StockBook:
    """The demo's stock in memory, written at the end in bulk: batches, packages (by SGTIN),
    movements with their running balance."""

    rng: random.Random
    today: date
    batches: list[Batch] = field(default_factory=list)
    packages: dict[str, dict[str, Any]] = field(default_factory=dict)
    movements: list[dict[str, Any]] = field(default_factory=list)
    _invoice: int = 0

    def receive(
        self,
        pharmacy_code: str,
        drug: DemoDrug,
        funding: str,
        quantity: int,
        *,
        received: datetime,
        expiry: date,
        low_threshold: int | None = None,
        rng: random.Random | None = None,
        codes: list[tuple[str, str, str]] | None = None,
        marked: bool = True,
    ) -> Batch:
        """A batch and its receipt from the regional pharmacy's warehouse (one invoice); the
        packages of a marked drug each with its code (an unmarked one is counted only)."""
        rng = rng or self.rng
        series = f"{rng.choice('ABCEHKMPTX')}{rng.choice('ABCEHKMPTX')}{rng.randint(1000, 99999)}"
        batch = Batch(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            pharmacy_code=pharmacy_code,
            drug=drug,
            series=series,
            expiry=expiry,
            funding=funding,
            price=unit_price(rng, drug),
            received_at=received,
            low_threshold=low_threshold,
        )
        sgtins: list[str] = []
        for i in range(quantity if marked else 0):
            serial, key, crypto = codes[i] if codes else marking_code(rng, drug.gtin)
            sgtin = drug.gtin + serial
            while sgtin in self.packages:  # never in practice; kept unique by construction
                serial, key, crypto = marking_code(rng, drug.gtin)
                sgtin = drug.gtin + serial
            self.packages[sgtin] = {
                "sgtin": sgtin,
                "gtin": drug.gtin,
                "serial": serial,
                "crypto_key": key,
                "crypto_code": crypto,
                "batch_id": batch.id,
                "pharmacy_id": batch.pharmacy_id,
                "status": "in_stock",
                "reservation_id": None,
                "dispense_id": None,
                "received_at": received,
                "changed_at": received,
            }
            sgtins.append(sgtin)
        batch.free = list(reversed(sgtins))  # the first received is the first given
        self._invoice += 1
        self._book(
            batch,
            "receipt",
            quantity,
            received,
            booked_by="demo-seed",
            document=f"Накладная № ПОА-{self._invoice:05d} от {received:%d.%m.%Y}",
            counterparty_id=org_id("warehouse", WAREHOUSE_CODE),
            sgtins=sgtins or None,
        )
        self.batches.append(batch)
        return batch

    def _book(
        self,
        batch: Batch,
        kind: str,
        quantity: int,
        moment: datetime,
        *,
        booked_by: str,
        document: str | None = None,
        counterparty_id: uuid.UUID | None = None,
        prescription_id: uuid.UUID | None = None,
        sgtins: list[str] | None = None,
    ) -> None:
        batch.balance += quantity
        self.movements.append(
            {
                "id": uuid.UUID(int=self.rng.getrandbits(128), version=4),
                "pharmacy_id": batch.pharmacy_id,
                "batch_id": batch.id,
                "drug_id": batch.drug.id,
                "kind": kind,
                "quantity": quantity,
                "balance_after": batch.balance,
                "reason": None,
                "document": document,
                "counterparty_id": counterparty_id,
                "prescription_id": prescription_id,
                "sgtins": sgtins,
                "comment": None,
                "booked_by": booked_by,
                "booked_at": moment,
            }
        )

    def candidates(
        self, pharmacy_code: str, item: tuple[str, str, str], funding: str, moment: datetime, quantity: int
    ) -> list[Batch]:
        """Batches that can give ``quantity`` packages of the item at ``moment``: received by
        then, unexpired that day, of the prescription's funding source; earliest expiry first."""
        day = moment.astimezone(REGION_TZ).date()
        found = [
            b
            for b in self.batches
            if b.pharmacy_code == pharmacy_code
            and b.drug.item == item
            and b.funding == funding
            and b.received_at <= moment
            and b.expiry >= day
            and len(b.free) >= quantity
            # an expired batch awaiting write-off keeps some packages to write off
            and (b.expiry >= self.today or len(b.free) - quantity >= 2)
        ]
        return sorted(found, key=lambda b: (b.expiry, b.received_at))

    def holds(self, pharmacy_code: str, item: tuple[str, str, str]) -> bool:
        return any(b.pharmacy_code == pharmacy_code and b.drug.item == item for b in self.batches)

    def dispense(
        self,
        batch: Batch,
        quantity: int,
        moment: datetime,
        *,
        dispense_id: uuid.UUID,
        prescription_id: uuid.UUID,
        document: str,
        booked_by: str,
        reservation_id: uuid.UUID | None = None,
    ) -> list[str]:
        """Give ``quantity`` packages (the reserved ones when ``reservation_id``): packages
        ``dispensed``, one dispense movement."""
        if reservation_id is not None:
            given = batch.reserved.pop(reservation_id)
        else:
            given = [batch.free.pop() for _ in range(quantity)]
        for sgtin in given:
            self.packages[sgtin].update(
                status="dispensed", dispense_id=dispense_id, reservation_id=None, changed_at=moment
            )
        self._book(
            batch,
            "dispense",
            -len(given),
            moment,
            booked_by=booked_by,
            document=document,
            prescription_id=prescription_id,
            sgtins=given,
        )
        return given

    def reserve(self, batch: Batch, quantity: int, reservation_id: uuid.UUID, moment: datetime) -> list[str]:
        held = [batch.free.pop() for _ in range(quantity)]
        batch.reserved[reservation_id] = held
        for sgtin in held:
            self.packages[sgtin].update(status="reserved", reservation_id=reservation_id, changed_at=moment)
        return held

    def batch_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "id": b.id,
                "pharmacy_id": b.pharmacy_id,
                "drug_id": b.drug.id,
                "series": b.series,
                "expiry_date": b.expiry,
                "funding_source": b.funding,
                "unit_price": b.price,
                "quantity": b.balance,
                "reserved": sum(len(s) for s in b.reserved.values()),
                "low_threshold": b.low_threshold,
                "created_at": b.received_at,
                "updated_at": b.received_at,
            }
            for b in self.batches
        ]


def attachments(rng: random.Random) -> dict[str, list[str]]:
    """Each MO's pharmacies (3–6): the demo doctor's MO has both demo pharmacies."""
    out: dict[str, list[str]] = {}
    for code in MO_CODES:
        chosen = rng.sample(PHARMACY_CODES, rng.randint(3, 6))
        if code == DEMO_MO_CODE:
            others = [c for c in chosen if c not in (DEMO_PHARMACY_CODE, SECOND_PHARMACY_CODE)]
            chosen = [DEMO_PHARMACY_CODE, SECOND_PHARMACY_CODE, *others[:3]]
        out[code] = sorted(chosen)
    return out


def attachment_rows(attached: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {"mo_id": org_id("mo", mo), "pharmacy_id": org_id("pharmacy", ph)}
        for mo, pharmacies in attached.items()
        for ph in pharmacies
    ]


# The demo patient's drugs at the demo pharmacy the browser test uses (see demo/scenario.py):
# one with exactly one package left, one with none at all.
LAST_PACKAGE_TRADE = "Диабетон МВ"
NO_STOCK_TRADE = "Левемир ФлексПен"


def stock_the_region(book: StockBook, start: date) -> None:
    """Batches in every pharmacy, received from ``start`` on: most of the catalogue (the ВЗН
    drugs only where they are dispensed), per funding source of the drug; a second batch of
    some drugs two months later; a few batches expiring within 30 days, two expired ones
    awaiting write-off, low thresholds on some."""
    rng = book.rng
    today = book.today
    expired_left = 2
    for code in PHARMACY_CODES:
        demo = code == DEMO_PHARMACY_CODE
        for drug in DEMO_DRUGS:
            vzn = "vzn" in drug.lists
            if demo and drug.trade_name in (LAST_PACKAGE_TRADE, NO_STOCK_TRADE):
                continue  # the scenario's own (demo/scenario.py)
            if vzn and code not in VZN_PHARMACIES:
                continue
            if not demo and rng.random() < 0.22:
                continue  # not in this pharmacy's assortment
            for funding in drug.fundings:
                if len(drug.fundings) > 1 and not demo and rng.random() < 0.3:
                    continue
                received = at(
                    start + timedelta(days=rng.randint(0, 6)), rng.randint(9, 16), rng.randint(0, 59)
                )
                roll = rng.random()
                if roll < 0.06:
                    expiry = today + timedelta(days=rng.randint(4, 28))
                elif roll < 0.08 and expired_left and not demo:
                    expiry = today - timedelta(days=rng.randint(2, 12))
                    expired_left -= 1
                else:
                    expiry = today + timedelta(days=rng.randint(90, 900))
                quantity = rng.randint(2, 6) if vzn else rng.randint(8, 22)
                if demo:
                    quantity += 10
                low = rng.choice((None, None, 3, 5)) if not vzn else 1
                book.receive(
                    code, drug, funding, quantity, received=received, expiry=expiry, low_threshold=low
                )
                if rng.random() < 0.25:  # restocked two months later
                    again = at(start + timedelta(days=rng.randint(55, 70)), rng.randint(9, 16))
                    book.receive(
                        code,
                        drug,
                        funding,
                        rng.randint(2, 4) if vzn else rng.randint(6, 16),
                        received=again,
                        expiry=today + timedelta(days=rng.randint(200, 900)),
                        low_threshold=low,
                    )
