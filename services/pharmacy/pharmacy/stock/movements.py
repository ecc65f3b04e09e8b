"""Booking a stock movement: the one place that changes ``stock_batch.quantity``.

``book`` runs one statement: a conditional ``UPDATE stock_batch … WHERE <the result stays
valid> RETURNING …`` chained (a data-modifying CTE) to the ``INSERT`` of the movement row with
its ``balance_after``. Concurrent callers queue on the batch row; PostgreSQL re-checks the
condition against the row as the first one left it, so two counters racing for the last package
get one movement and one :class:`StockShortage` — never a negative quantity, never reserved
packages sold to someone else. Either both rows change or neither (a failed check writes
nothing). ``booked_at`` is the statement's clock (``clock_timestamp()``), not the transaction's
start, so the movements of one document keep their order on the stock card.

Direction: ``quantity`` is the number of packages; the kind gives the sign (``receipt``,
``transfer_in``, ``dispense_cancel`` add; ``transfer_out``, ``return``, ``write_off``,
``dispense`` take — a negative value for these kinds means the same), ``inventory`` takes the
sign as given (+ surplus, − shortage).

Marked packages: ``sgtins`` are recorded on the movement (the stock card shows them; their
count must equal the quantity). The package rows' states are the caller's (a receipt creates
them, a dispense marks them dispensed, a write-off marks them written off): ``book`` does not
touch ``marked_package``.

After a movement that lowers the free stock (quantity less reserved) ``pharmacy.stock.low`` is
written to the outbox when the drug's free packages in the pharmacy cross below the threshold;
after an incoming one the deferred-service list of the pharmacy is offered the drug
(``pharmacy.dispensing.deferred.on_stock_arrived``)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import RowMapping, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key
from sqlalchemy.types import String

from oms_kit.events import add_event
from pharmacy.events.published import StockLow
from pharmacy.models import Drug, StockBatch, StockMovement
from pharmacy.models.stock import MOVEMENT_KINDS
from pharmacy.stock.config import stock_settings
from pharmacy.stock.errors import BadMovement, BatchNotFound, StockShortage

SOURCE = "pharmacy"
INCOMING = frozenset({"receipt", "transfer_in", "dispense_cancel"})
OUTGOING = frozenset({"transfer_out", "return", "write_off", "dispense"})

KIND_NAMES = {
    "receipt": "приход",
    "transfer_out": "перемещение в другую аптеку",
    "transfer_in": "поступление из другой аптеки",
    "return": "возврат поставщику",
    "write_off": "списание",
    "inventory": "инвентаризация",
    "dispense": "отпуск по рецепту",
    "dispense_cancel": "сторно отпуска",
}


def booking_sql(x: Mapping[str, str], *, guard: str = "true") -> str:
    """The booking as three data-modifying CTEs (``bk_batch``: the conditional UPDATE of the
    batch; ``bk_drug``: the drug's other batches' free stock and threshold for the low-stock
    check; ``bk_move``: the movement row with ``balance_after``), for :func:`book`'s own
    statement and for a caller that books within its own statement (the dispense).
    ``x``: the placeholder of each value (``id``, ``batch_id``, ``delta``, ``release``, ``kind``,
    ``reason``, ``document``, ``counterparty_id``, ``prescription_id``, ``sgtins``, ``comment``,
    ``document_id``, ``on``, ``booked_by``); ``guard``: a condition the batch is booked under
    (the dispense: only when its packages were claimed). :func:`booked` reads the result."""
    return f"""
    bk_batch AS (
        UPDATE stock_batch
           SET quantity = quantity + {x["delta"]},
               reserved = reserved - {x["release"]},
               updated_at = now()
         WHERE id = {x["batch_id"]}
           AND quantity + {x["delta"]} >= 0
           AND reserved - {x["release"]} >= 0
           AND reserved - {x["release"]} <= quantity + {x["delta"]}
           AND {guard}
        RETURNING id, pharmacy_id, drug_id, quantity, reserved, expiry_date
    ),
    -- the drug's other batches in the pharmacy (as the statement found them) and its threshold:
    -- the low-stock check needs no round trip of its own
    bk_drug AS (
        SELECT coalesce(sum(s.quantity - s.reserved)
                        FILTER (WHERE s.expiry_date >= {x["on"]} AND s.id <> b.id), 0) AS others,
               max(s.low_threshold) AS threshold
          FROM stock_batch s JOIN bk_batch b ON s.pharmacy_id = b.pharmacy_id AND s.drug_id = b.drug_id
    ),
    bk_move AS (
        INSERT INTO stock_movement (
            id, pharmacy_id, batch_id, drug_id, kind, quantity, balance_after, reason, document,
            counterparty_id, prescription_id, sgtins, comment, document_id, booked_by, booked_at
        )
        SELECT {x["id"]}, b.pharmacy_id, b.id, b.drug_id, {x["kind"]}, {x["delta"]}, b.quantity,
               {x["reason"]}, {x["document"]}, {x["counterparty_id"]}, {x["prescription_id"]},
               {x["sgtins"]}, {x["comment"]}, {x["document_id"]}, {x["booked_by"]}, clock_timestamp()
          FROM bk_batch b
        RETURNING id, pharmacy_id, batch_id, drug_id, kind, quantity, balance_after, reason, document,
                  counterparty_id, prescription_id, sgtins, comment, document_id, booked_by, booked_at
    )"""  # noqa: S608 (placeholders only)


# The booked movement with what the low-stock check needs: one row, or none when refused.
BOOKED_COLUMNS = """
    SELECT m.*, (SELECT reserved FROM bk_batch) AS batch_reserved,
           (SELECT expiry_date FROM bk_batch) AS batch_expiry,
           (SELECT others FROM bk_drug) AS drug_others_free,
           (SELECT threshold FROM bk_drug) AS drug_threshold
      FROM bk_move m
"""

_NAMED = {
    k: f":{k}"
    for k in (
        "id",
        "batch_id",
        "delta",
        "release",
        "kind",
        "reason",
        "document",
        "counterparty_id",
        "prescription_id",
        "sgtins",
        "comment",
        "document_id",
        "on",
        "booked_by",
    )
}
_BOOK = text("WITH " + booking_sql(_NAMED) + BOOKED_COLUMNS).bindparams(
    bindparam("sgtins", type_=ARRAY(String(27)))
)

_MOVEMENT_COLUMNS = (
    "id",
    "pharmacy_id",
    "batch_id",
    "drug_id",
    "kind",
    "quantity",
    "balance_after",
    "reason",
    "document",
    "counterparty_id",
    "prescription_id",
    "sgtins",
    "comment",
    "document_id",
    "booked_by",
    "booked_at",
)

_DRUG_FREE = text(
    """
    SELECT coalesce(sum(quantity - reserved) FILTER (WHERE expiry_date >= :on), 0) AS free,
           max(low_threshold) AS threshold
      FROM stock_batch
     WHERE pharmacy_id = :pharmacy_id AND drug_id = :drug_id
    """
)


def signed_quantity(kind: str, quantity: int) -> int:
    """The signed change of ``quantity`` packages of ``kind`` (see the module's doc)."""
    if kind not in MOVEMENT_KINDS:
        raise BadMovement(f"Неизвестный вид движения «{kind}»; можно: {', '.join(MOVEMENT_KINDS)}")
    if quantity == 0:
        raise BadMovement("Количество движения не может быть нулевым")
    if kind in INCOMING:
        return abs(quantity)
    if kind in OUTGOING:
        return -abs(quantity)
    return quantity


async def book(
    session: AsyncSession,
    *,
    batch_id: uuid.UUID,
    kind: str,
    quantity: int,
    booked_by: str,
    reason: str | None = None,
    document: str | None = None,
    prescription_id: uuid.UUID | None = None,
    sgtins: list[str] | None = None,
    counterparty_id: uuid.UUID | None = None,
    release_reserved: int = 0,
    comment: str | None = None,
    document_id: uuid.UUID | None = None,
) -> StockMovement:
    """Change the batch by ``quantity`` packages of ``kind`` and record the movement.

    ``release_reserved``: packages of this outgoing movement that were reserved (a dispense
    against a reservation): ``reserved`` is lowered by it in the same UPDATE. Without it an
    outgoing movement may take only free packages (quantity − reserved).

    Raises :class:`BadMovement` (422: zero, unknown kind, codes not matching the quantity),
    :class:`BatchNotFound` (404), :class:`StockShortage` (409 ``stock-insufficient``: «Недостаточно
    остатка: …»). A ``StockBatch`` of this id already loaded in the session is expired so it
    reads the new quantity."""
    delta, codes = checked(kind, quantity, release_reserved, sgtins)
    movement_id = uuid.uuid4()
    today = date.today()
    row = (
        (
            await session.execute(
                _BOOK,
                {
                    "id": movement_id,
                    "batch_id": batch_id,
                    "delta": delta,
                    "release": release_reserved,
                    "kind": kind,
                    "reason": reason,
                    "document": document,
                    "counterparty_id": counterparty_id,
                    "prescription_id": prescription_id,
                    "sgtins": codes,
                    "comment": comment,
                    "document_id": document_id,
                    "on": today,
                    "booked_by": booked_by,
                },
            )
        )
        .mappings()
        .one_or_none()
    )
    await booked(session, row, batch_id=batch_id, kind=kind, delta=delta, release=release_reserved, on=today)
    assert row is not None
    movement = StockMovement(**{c: row[c] for c in _MOVEMENT_COLUMNS})
    make_transient_to_detached(movement)
    session.add(movement)
    return movement


def checked(
    kind: str, quantity: int, release_reserved: int, sgtins: list[str] | None
) -> tuple[int, list[str] | None]:
    """The signed change and the codes of a movement, or :class:`BadMovement` (see :func:`book`)."""
    delta = signed_quantity(kind, quantity)
    if release_reserved < 0 or release_reserved > max(-delta, 0):
        raise BadMovement(
            f"Снять с резерва можно от 0 до {max(-delta, 0)} уп. (количество расхода); "
            f"указано {release_reserved}"
        )
    codes = list(sgtins) if sgtins else None
    if codes is not None:
        if len(set(codes)) != len(codes):
            raise BadMovement("Коды маркировки в движении повторяются")
        if len(codes) != abs(delta):
            raise BadMovement(
                f"Число кодов маркировки ({len(codes)}) не равно количеству движения ({abs(delta)})"
            )
    return delta, codes


async def booked(
    session: AsyncSession,
    row: Mapping[str, Any] | RowMapping | None,
    *,
    batch_id: uuid.UUID,
    kind: str,
    delta: int,
    release: int,
    on: date,
) -> None:
    """After the booking statement (``BOOKED_COLUMNS``' row, ``None`` when the batch's condition
    refused it): :class:`StockShortage`/:class:`BatchNotFound` naming why; else a loaded
    ``StockBatch`` expired, ``pharmacy.stock.low`` at a crossing, the deferred list offered an
    arrival."""
    if row is None:
        await _explain_refusal(session, batch_id, kind, delta, release)
    assert row is not None
    expire_loaded_batch(session, batch_id)
    free_change = delta + release
    if free_change < 0 and row["batch_expiry"] >= on:
        await check_low_stock(
            session,
            pharmacy_id=row["pharmacy_id"],
            drug_id=row["drug_id"],
            free_change=free_change,
            on=on,
            known=(
                int(row["drug_others_free"]) + row["balance_after"] - row["batch_reserved"],
                row["drug_threshold"],
            ),
        )
    if delta > 0:
        await _stock_arrived(session, row["pharmacy_id"], row["drug_id"])


async def _explain_refusal(
    session: AsyncSession, batch_id: uuid.UUID, kind: str, delta: int, release: int
) -> None:
    state = (
        await session.execute(
            text(
                "SELECT b.series, b.quantity, b.reserved, d.inn, d.trade_name FROM stock_batch b "
                "JOIN drug d ON d.id = b.drug_id WHERE b.id = :id"
            ),
            {"id": batch_id},
        )
    ).one_or_none()
    if state is None:
        raise BatchNotFound(f"Партия {batch_id} не найдена")
    series, held, reserved, inn, trade_name = state
    what = f"{trade_name} ({inn}), серия {series}"
    if release > reserved:
        raise StockShortage(
            f"Недостаточно резерва: {what} — в резерве {reserved} уп., снимается {release} "
            f"({KIND_NAMES.get(kind, kind)})"
        )
    free = held - reserved
    raise StockShortage(
        f"Недостаточно остатка: {what} — остаток {held} уп., в резерве {reserved}, свободно {free}; "
        f"{KIND_NAMES.get(kind, kind)} {abs(delta)} уп. "
        + (
            "занял бы упаковки, зарезервированные по рецептам"
            if held + delta >= 0
            else "сделал бы остаток отрицательным"
        )
    )


def expire_loaded_batch(session: AsyncSession, batch_id: uuid.UUID) -> None:
    loaded = session.identity_map.get(identity_key(StockBatch, batch_id))
    if loaded is not None:
        session.expire(loaded, ["quantity", "reserved", "updated_at"])


async def check_low_stock(
    session: AsyncSession,
    *,
    pharmacy_id: uuid.UUID,
    drug_id: uuid.UUID,
    free_change: int,
    on: date | None = None,
    known: tuple[int, int | None] | None = None,
) -> bool:
    """After the free stock of ``drug_id`` in ``pharmacy_id`` changed by ``free_change`` (< 0):
    when it was at or above the threshold before and is below it now, ``pharmacy.stock.low`` is
    written to the outbox. ``known``: the drug's free stock now and its batches' threshold, when
    the caller has them (``book`` reads them in its own statement). True when published."""
    if free_change >= 0:
        return False
    day = on or date.today()
    params = {"pharmacy_id": pharmacy_id, "drug_id": drug_id, "on": day}
    free, threshold = known or (await session.execute(_DRUG_FREE, params)).one()
    limit = int(threshold) if threshold is not None else stock_settings().low_stock_packages
    if not (int(free) - free_change >= limit > int(free)):
        return False
    # A crossing: movements of other batches of the drug in flight may see it too. They take
    # turns on the pharmacy × drug, and the one after sees the first one's stock (a new
    # statement under READ COMMITTED) — it finds the stock already below and stays silent.
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"pharmacy.stock.low:{pharmacy_id}:{drug_id}"},
    )
    free, threshold = (await session.execute(_DRUG_FREE, params)).one()
    limit = int(threshold) if threshold is not None else stock_settings().low_stock_packages
    if not (int(free) - free_change >= limit > int(free)):
        return False
    drug = await session.get(Drug, drug_id)
    await add_event(
        session,
        StockLow(
            pharmacy_id=pharmacy_id,
            drug_id=drug_id,
            inn=drug.inn if drug else "",
            trade_name=drug.trade_name if drug else "",
            free_quantity=int(free),
            threshold=limit,
            as_of=datetime.now(UTC),
        ),
        source=SOURCE,
        subject=f"{pharmacy_id}:{drug_id}",
    )
    return True


async def _stock_arrived(session: AsyncSession, pharmacy_id: uuid.UUID, drug_id: uuid.UUID) -> None:
    """Offer the arrived drug to the pharmacy's deferred-service list (imported here: the
    dispensing module reserves through the stock, so a top-level import would be a cycle)."""
    from pharmacy.dispensing.deferred import on_stock_arrived

    await on_stock_arrived(session, pharmacy_id, drug_id)
