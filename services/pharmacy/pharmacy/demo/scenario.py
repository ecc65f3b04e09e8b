"""What the demo leaves for a person (and the browser test) to do at the demo pharmacy 990101
(login ``pharmacist``): the demo patient (Иванов Иван Иванович, categories ``r-diabetes`` and
``082``) holds three open prescriptions of the demo doctor (login ``doctor``, MO 990001), issued
today:

- ``READY`` — Метформин «Сиофор» 500 мг × 2: the pharmacy holds a batch of it received
  yesterday; ``READY_CODES`` are two of its packages as a scanner sends them;
- ``LAST_PACKAGE`` — Гликлазид «Диабетон МВ» 60 мг × 1: exactly one package in the pharmacy
  (``LAST_PACKAGE_CODE``), to race two counters on, or to defer after it is gone;
- ``NO_STOCK`` — Инсулин детемир «Левемир ФлексПен» × 1: none in the pharmacy (the deferred
  path);
- ``UNMARKED`` — test strips «Контур ТС» × 2, a medical device with no marking codes
  (``TEST_STRIPS``, ``marked`` false, added here beside the all-marked catalogue): two batches
  in the pharmacy (the counter's batch picker, the earlier expiry first).

The numbers follow the demo MO's ``DEMO_MO_HISTORY`` earlier prescriptions, so they are fixed:
series ``9990001``, numbers 41, 42, 43, 44 (``LAST_NUMBER``). The packages' codes come from
their own random stream, so they are fixed too (docs/architecture.md «Pharmacy: demo data» lists them)."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from pharmacy.demo.catalogue import _NS as DRUG_NS
from pharmacy.demo.catalogue import VALID_FROM, demo_gtin
from pharmacy.demo.prescriptions import DEMO_MO_HISTORY, Draft, Person, doctors_of, draft, series_of
from pharmacy.demo.stock import (
    DEMO_MO_CODE,
    DEMO_PHARMACY_CODE,
    DRUG_BY_TRADE,
    LAST_PACKAGE_TRADE,
    NO_STOCK_TRADE,
    DemoDrug,
    StockBook,
    at,
    marking_code,
    scan_text,
)
from pharmacy.prescriptions import rules

SERIES = series_of(DEMO_MO_CODE)
READY = (SERIES, DEMO_MO_HISTORY + 1)
LAST_PACKAGE = (SERIES, DEMO_MO_HISTORY + 2)
NO_STOCK = (SERIES, DEMO_MO_HISTORY + 3)
UNMARKED = (SERIES, DEMO_MO_HISTORY + 4)
LAST_NUMBER = UNMARKED[1]
READY_TRADE = "Сиофор"
# A medical device on the regional list, given without marking codes: by batch and quantity.
TEST_STRIPS = DemoDrug(
    900,
    uuid.uuid5(DRUG_NS, "Тест-полоски для определения глюкозы в крови|Контур ТС|№ 50|50"),
    "Тест-полоски для определения глюкозы в крови",
    "Контур ТС",
    "тест-полоски",
    "№ 50",
    "V04CA02",
    ("regional",),
    demo_gtin(900),
)
# The test strips' two batches at the demo pharmacy: (packages, days from today to the expiry),
# the earlier expiry first (the batch picker's FEFO choice).
UNMARKED_BATCHES = ((3, 200), (10, 500))
_CODES_SEED = "pharmacy-demo-scenario"


def _codes() -> tuple[list[tuple[str, str, str]], tuple[str, str, str]]:
    """(serial, key, crypto) of the ready batch's 12 packages and of the last package."""
    rng = random.Random(_CODES_SEED)  # noqa: S311 (demo data, fixed on purpose)
    ready = [marking_code(rng, "") for _ in range(12)]
    return ready, marking_code(rng, "")


_READY, _LAST = _codes()
READY_CODES = tuple(scan_text(DRUG_BY_TRADE[READY_TRADE].gtin, *c) for c in _READY[:2])
LAST_PACKAGE_CODE = scan_text(DRUG_BY_TRADE[LAST_PACKAGE_TRADE].gtin, *_LAST)


def catalogue_rows() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The unmarked test strips' drug, GTIN and regional-list rows (the catalogue's drugs are all
    marked; this one the scenario adds)."""
    d = TEST_STRIPS
    drug = {
        "id": d.id,
        "inn": d.inn,
        "trade_name": d.trade_name,
        "dosage_form": d.dosage_form,
        "dosage": d.dosage,
        "package_quantity": 50,
        "atc_code": d.atc,
        "vital": False,
        "marked": False,
        "valid_from": VALID_FROM,
    }
    return drug, {"gtin": d.gtin, "drug_id": d.id}, {"drug_list_code": "regional", "drug_id": d.id}


def stock(book: StockBook, today: date) -> None:
    """The scenario's batches at the demo pharmacy, received yesterday (after every historical
    dispense and reservation)."""
    received = at(today - timedelta(days=1), 10, 15)
    rng = random.Random(_CODES_SEED + ":batches")  # noqa: S311
    ready = book.receive(
        DEMO_PHARMACY_CODE,
        DRUG_BY_TRADE[READY_TRADE],
        "regional",
        12,
        received=received,
        expiry=today + timedelta(days=540),
        rng=rng,
        codes=_READY,
    )
    last = book.receive(
        DEMO_PHARMACY_CODE,
        DRUG_BY_TRADE[LAST_PACKAGE_TRADE],
        "regional",
        1,
        received=received,
        expiry=today + timedelta(days=400),
        low_threshold=2,
        rng=rng,
        codes=[_LAST],
    )
    assert ready.balance == 12 and last.balance == 1
    for quantity, days in UNMARKED_BATCHES:  # the earlier expiry is the one to give first
        book.receive(
            DEMO_PHARMACY_CODE,
            TEST_STRIPS,
            "regional",
            quantity,
            received=received,
            expiry=today + timedelta(days=days),
            rng=rng,
            marked=False,
        )


def prescriptions(patient: Person, diagnosis: str, today: date, now: datetime) -> list[Draft]:
    """The four open prescriptions, numbered after the demo MO's history."""
    rng = random.Random(_CODES_SEED + ":prescriptions")  # noqa: S311
    doctor = doctors_of(DEMO_MO_CODE)[0]
    out = []
    drugs = DRUG_BY_TRADE | {TEST_STRIPS.trade_name: TEST_STRIPS}
    for (series, number), trade, quantity in (
        (READY, READY_TRADE, 2),
        (LAST_PACKAGE, LAST_PACKAGE_TRADE, 1),
        (NO_STOCK, NO_STOCK_TRADE, 1),
        (UNMARKED, TEST_STRIPS.trade_name, 2),
    ):
        d = draft(
            rng,
            mo_code=DEMO_MO_CODE,
            person=patient,
            category="r-diabetes",
            drug=drugs[trade],
            diagnosis=diagnosis,
            day=today,
            quantity=quantity,
            doctor=doctor,
            form=rules.PrescriptionForm.PREFERENTIAL,
        )
        written = min(now - timedelta(minutes=30), at(today, 8, 30 + number - READY[1]))
        d.row.update(
            series=series,
            number=number,
            drug_id=drugs[trade].id,
            created_at=written,
            updated_at=written,
        )
        out.append(d)
    return out
