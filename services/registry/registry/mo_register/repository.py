"""SQL every part of the MO register shares: a row by its id, added, deleted; the figures of an
MO's snapshot (``registry.mo.updated``)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal, scope_to_org
from registry.models.mo_register import MoDepartment, MoPassport, Territory
from registry.models.person import Person, PersonFact
from registry.person.facts import FactKind
from registry.person.repository import is_current

M = TypeVar("M")


class RowRepository:
    """The base of the register's repositories."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, model: type[M], row_id: uuid.UUID, *, scope: Principal | None = None, lock: bool = False
    ) -> M | None:
        """``scope``: only a row of the principal's MO (any, for a region-wide role);
        ``lock``: FOR UPDATE, so two changes of one row are serialised."""
        if scope is None and not lock:
            return await self.session.get(model, row_id)
        table: Any = model
        stmt = select(model).where(table.id == row_id)
        if scope is not None:
            stmt = scope_to_org(stmt, table.mo_id, scope)
        if lock:
            stmt = stmt.with_for_update()
        return await self.session.scalar(stmt)

    async def add(self, row: M) -> M:
        self.session.add(row)
        await self.session.flush()
        return row

    async def delete(self, row: object) -> None:
        await self.session.delete(row)
        await self.session.flush()


async def snapshot_figures(session: AsyncSession, mo_id: uuid.UUID, on: date) -> Row[Any]:
    """Founder, legal form, OKTMO, beds and attached persons of the MO on ``on``: one query of
    scalar subqueries (the attachment count uses the GiST index on current facts by
    organization, kind and period)."""
    beds = select(func.sum(MoDepartment.beds)).where(MoDepartment.mo_id == mo_id).scalar_subquery()
    attached = (
        select(func.count())
        .select_from(PersonFact)
        .join(Person, Person.id == PersonFact.person_id)
        .where(
            PersonFact.org_id == mo_id,
            PersonFact.kind == FactKind.attachment.value,
            PersonFact.valid.contains(on),
            is_current(),
            Person.merged_into.is_(None),
        )
        .scalar_subquery()
    )
    founder = select(MoPassport.founder_id).where(MoPassport.mo_id == mo_id).scalar_subquery()
    legal_form = select(MoPassport.legal_form).where(MoPassport.mo_id == mo_id).scalar_subquery()
    oktmo = (
        select(Territory.oktmo)
        .join(MoPassport, MoPassport.territory_id == Territory.id)
        .where(MoPassport.mo_id == mo_id)
        .scalar_subquery()
    )
    return (
        await session.execute(
            select(
                founder.label("founder_id"),
                legal_form.label("legal_form"),
                oktmo.label("oktmo"),
                beds.label("beds"),
                attached.label("attached"),
            )
        )
    ).one()
