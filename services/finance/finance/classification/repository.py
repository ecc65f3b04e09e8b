"""SQL of the classification: reading payments to classify, writing their class in one
statement per batch, the current model, training samples, the learned counterparties, the
review list and the decisions log."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Select, and_, any_, bindparam, delete, desc, exists, func, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from finance.classification.rules import KnownCounterparty, PaymentText
from finance.models import (
    ClassificationDecision,
    ClassifierModel,
    CounterpartyRule,
    Organization,
    PaymentOrder,
    PeriodLock,
)
from finance.scope import MoScope

_TEXT_COLUMNS = (
    PaymentOrder.id,
    PaymentOrder.direction,
    PaymentOrder.purpose,
    PaymentOrder.kbk,
    PaymentOrder.payer_name,
    PaymentOrder.payer_inn,
    PaymentOrder.payee_name,
    PaymentOrder.payee_inn,
)


def _month_locked() -> Any:
    return exists().where(
        PeriodLock.mo_id == PaymentOrder.mo_id,
        PeriodLock.month == func.date_trunc("month", PaymentOrder.doc_date).cast(PeriodLock.month.type),
    )


def payment_text(row: Any) -> PaymentText:
    return PaymentText(
        direction=row.direction,
        purpose=row.purpose,
        kbk=row.kbk,
        payer_name=row.payer_name,
        payer_inn=row.payer_inn,
        payee_name=row.payee_name,
        payee_inn=row.payee_inn,
    )


async def texts_to_classify(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> tuple[list[uuid.UUID], list[PaymentText], int]:
    """The payments among ``ids`` a machine may (re)classify: not decided by a person, not
    in a locked month. Also how many of ``ids`` were left alone. (``= ANY(array)``: one
    parameter however many ids, not an IN list of 20,000.)"""
    rows = (
        await session.execute(
            select(*_TEXT_COLUMNS).where(
                PaymentOrder.id == any_(bindparam("ids", list(ids), type_=ARRAY(PG_UUID(as_uuid=True)))),
                or_(PaymentOrder.classified_by.is_(None), PaymentOrder.classified_by != "user"),
                ~_month_locked(),
            )
        )
    ).all()
    return [r.id for r in rows], [payment_text(r) for r in rows], len(ids) - len(rows)


async def unconfirmed_ids(
    session: AsyncSession, mo_ids: Sequence[uuid.UUID] | None = None
) -> list[uuid.UUID]:
    """Payments classified by a machine (or not at all), in open months — reclassified after
    a training."""
    stmt = select(PaymentOrder.id).where(
        or_(PaymentOrder.classified_by.is_(None), PaymentOrder.classified_by != "user"), ~_month_locked()
    )
    if mo_ids is not None:
        stmt = stmt.where(PaymentOrder.mo_id.in_(mo_ids))
    return list(await session.scalars(stmt))


async def write_classes(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    kvfo: Sequence[int | None],
    kosgu: Sequence[str | None],
    by: Sequence[str | None],
    confidence: Sequence[float | None],
    review: Sequence[bool],
) -> int:
    """One UPDATE for the batch; a person's decision (classified_by='user') is never
    overwritten, even one made since the rows were read."""
    if not ids:
        return 0
    result = await session.execute(
        text(
            """
            UPDATE payment_order AS p
               SET kvfo = v.kvfo, kosgu = v.kosgu, classified_by = v.by, confidence = v.conf,
                   needs_review = v.review, classified_at = now()
              FROM unnest(CAST(:ids AS uuid[]), CAST(:kvfo AS smallint[]), CAST(:kosgu AS varchar[]),
                          CAST(:by AS varchar[]), CAST(:conf AS float8[]), CAST(:review AS boolean[]))
                   AS v(id, kvfo, kosgu, by, conf, review)
             WHERE p.id = v.id AND p.classified_by IS DISTINCT FROM 'user'
            """
        ),
        {
            "ids": list(ids),
            "kvfo": list(kvfo),
            "kosgu": list(kosgu),
            "by": list(by),
            "conf": list(confidence),
            "review": list(review),
        },
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def known_counterparties(session: AsyncSession) -> dict[tuple[str, str, str], KnownCounterparty]:
    rows = await session.scalars(select(CounterpartyRule))
    return {(r.kind, r.key, r.direction): KnownCounterparty(r.kvfo, r.kosgu, r.confidence) for r in rows}


async def replace_learned(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """The learned counterparties and accounts replaced by ``rows`` (seeded rows stay)."""
    await session.execute(delete(CounterpartyRule).where(CounterpartyRule.source == "learned"))
    seeded = {
        (kind, key, direction)
        for kind, key, direction in (
            await session.execute(
                select(CounterpartyRule.kind, CounterpartyRule.key, CounterpartyRule.direction)
            )
        ).all()
    }
    fresh = [r for r in rows if (r["kind"], r["key"], r["direction"]) not in seeded]
    if fresh:
        session.add_all(CounterpartyRule(source="learned", **r) for r in fresh)
        await session.flush()


async def add_seed_counterparties(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    for r in rows:
        await session.merge(CounterpartyRule(source="seed", **r))
    await session.flush()


async def current_model_id(session: AsyncSession) -> uuid.UUID | None:
    return await session.scalar(
        select(ClassifierModel.id)
        .order_by(desc(ClassifierModel.trained_at), desc(ClassifierModel.id))
        .limit(1)
    )


async def model_bytes(session: AsyncSession, model_id: uuid.UUID) -> bytes | None:
    return await session.scalar(select(ClassifierModel.model).where(ClassifierModel.id == model_id))


async def current_model(session: AsyncSession) -> ClassifierModel | None:
    """The newest model's row without its bytes."""
    from sqlalchemy.orm import defer

    return await session.scalar(
        select(ClassifierModel)
        .options(defer(ClassifierModel.model))
        .order_by(desc(ClassifierModel.trained_at), desc(ClassifierModel.id))
        .limit(1)
    )


async def add_model(session: AsyncSession, model: ClassifierModel, *, keep: int = 5) -> None:
    """The new model; of the older ones only the newest ``keep`` stay (their cards and bytes)."""
    session.add(model)
    await session.flush()
    newest = (
        select(ClassifierModel.id)
        .order_by(desc(ClassifierModel.trained_at), desc(ClassifierModel.id))
        .limit(keep)
        .scalar_subquery()
    )
    await session.execute(delete(ClassifierModel).where(ClassifierModel.id.not_in(newest)))


@dataclass(frozen=True)
class LabelledRow:
    text: PaymentText
    kvfo: int
    kosgu: str


async def training_rows(session: AsyncSession, limit: int) -> list[LabelledRow]:
    """Labelled payments: decided by people (corrections included: the row holds the latest
    decision) and classified by a sure rule; the newest ``limit``."""
    rows = (
        await session.execute(
            select(*_TEXT_COLUMNS, PaymentOrder.kvfo, PaymentOrder.kosgu)
            .where(
                PaymentOrder.kvfo.is_not(None),
                PaymentOrder.kosgu.is_not(None),
                or_(
                    PaymentOrder.classified_by == "user",
                    and_(PaymentOrder.classified_by == "rule", PaymentOrder.confidence >= 0.99),
                ),
            )
            .order_by(desc(PaymentOrder.doc_date), PaymentOrder.id)
            .limit(limit)
        )
    ).all()
    return [LabelledRow(payment_text(r), int(r.kvfo), str(r.kosgu)) for r in rows]


# ------------------------------------------------------------------ review


def review_query(
    mo_filter: Any, *, mo_id: uuid.UUID | None, month_from: date | None, month_to: date | None
) -> Select[Any]:
    base = (
        select(PaymentOrder, Organization.name.label("mo_name"))
        .outerjoin(Organization, Organization.id == PaymentOrder.mo_id)
        .where(PaymentOrder.needs_review.is_(True))
    )
    stmt = cast(Select[Any], mo_filter(base))
    if mo_id is not None:
        stmt = stmt.where(PaymentOrder.mo_id == mo_id)
    if month_from is not None:
        stmt = stmt.where(PaymentOrder.doc_date >= month_from)
    if month_to is not None:
        stmt = stmt.where(PaymentOrder.doc_date < month_to)
    return stmt


async def review_page(
    session: AsyncSession, stmt: Select[Any], *, order: str, offset: int, limit: int
) -> tuple[list[Any], int]:
    total = int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    if order == "amount":
        ordering: list[Any] = [desc(PaymentOrder.amount), PaymentOrder.id]
    else:  # the least sure first, the larger of equally sure
        ordering = [PaymentOrder.confidence.asc().nulls_first(), desc(PaymentOrder.amount), PaymentOrder.id]
    rows = (await session.execute(stmt.order_by(*ordering).offset(offset).limit(limit))).all()
    return list(rows), total


async def review_summary(session: AsyncSession, stmt: Select[Any]) -> tuple[int, Decimal]:
    sub = stmt.subquery()
    row = (await session.execute(select(func.count(), func.coalesce(func.sum(sub.c.amount), 0)))).one()
    return int(row[0]), Decimal(row[1])


async def lock_payment(session: AsyncSession, payment_id: uuid.UUID, scope: MoScope) -> PaymentOrder | None:
    """The payment row locked for the decision (a concurrent decider waits here); a payment of
    an MO outside ``scope`` is neither found nor locked."""
    return await session.scalar(
        scope.filter(select(PaymentOrder).where(PaymentOrder.id == payment_id), PaymentOrder.mo_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def payment(session: AsyncSession, payment_id: uuid.UUID) -> PaymentOrder | None:
    return await session.get(PaymentOrder, payment_id)


async def lock_payments(
    session: AsyncSession, ids: Sequence[uuid.UUID], scope: MoScope
) -> list[PaymentOrder]:
    rows = await session.scalars(
        scope.filter(select(PaymentOrder).where(PaymentOrder.id.in_(ids)), PaymentOrder.mo_id)
        .order_by(PaymentOrder.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def add_decisions(session: AsyncSession, decisions: Sequence[ClassificationDecision]) -> None:
    session.add_all(decisions)
    await session.flush()


async def decisions_of(session: AsyncSession, payment_id: uuid.UUID) -> list[ClassificationDecision]:
    rows = await session.scalars(
        select(ClassificationDecision)
        .where(ClassificationDecision.payment_id == payment_id)
        .order_by(ClassificationDecision.decided_at, ClassificationDecision.id)
    )
    return list(rows)


async def decision_counts(session: AsyncSession, since: datetime | None) -> dict[str, int]:
    stmt = select(ClassificationDecision.action, func.count()).group_by(ClassificationDecision.action)
    if since is not None:
        stmt = stmt.where(ClassificationDecision.decided_at > since)
    return {action: int(n) for action, n in (await session.execute(stmt)).all()}
