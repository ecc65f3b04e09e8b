"""Two counters dispensing the last package for two prescriptions at once, each on its own
connection: exactly one dispense, the other a problem; stock never negative, nothing
half-written. What they commit is deleted after them (the ``committed`` fixture)."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from tests.cleanup import Committed

from oms_kit.errors import DomainError
from pharmacy.dispensing import repository, service
from pharmacy.dispensing.errors import DispenseConflict
from pharmacy.dispensing.schemas import DispenseIn
from pharmacy.models import Dispense, MarkedPackage, Prescription, StockBatch, StockMovement

from . import support


def _remember(committed: Committed, c: support.Counter) -> None:
    committed.organizations.append(c.pharmacy_id)
    committed.drugs.append(c.drug.id)
    committed.beneficiaries.append(c.beneficiary.id)


async def test_the_last_package_goes_to_exactly_one_counter(database_url: str, committed: Committed) -> None:
    engine = create_async_engine(database_url, pool_size=4)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        rounds = 4
        setups = []
        async with sessions() as s, s.begin():
            for _ in range(rounds):
                c = await support.counter(s, packages=1)
                _remember(committed, c)
                first = await support.prescription(s, c, quantity=1)
                second = await support.prescription(s, c, quantity=1)
                setups.append((c, first.id, second.id))

        async def counter(c: support.Counter, prescription_id: uuid.UUID, who: str) -> str:
            async with sessions() as s, s.begin():
                try:
                    await service.dispense(
                        s,
                        support.pharmacist_principal(c.pharmacy_id, who),
                        DispenseIn(prescription_id=prescription_id, codes=[c.codes[0]]),
                    )
                except DomainError as exc:
                    assert isinstance(exc, DispenseConflict), exc
                    return f"{exc.status}"
            return "201"

        for c, first, second in setups:
            outcomes = await asyncio.gather(counter(c, first, "counter1"), counter(c, second, "counter2"))
            assert sorted(outcomes) == ["201", "409"], outcomes
            async with sessions() as s:
                quantity, reserved = (
                    await s.execute(
                        select(StockBatch.quantity, StockBatch.reserved).where(StockBatch.id == c.batch.id)
                    )
                ).one()
                assert (quantity, reserved) == (0, 0)
                dispenses = await s.scalar(
                    select(func.count()).where(Dispense.prescription_id.in_([first, second]))
                )
                assert dispenses == 1
                moves = await s.scalar(select(func.count()).where(StockMovement.batch_id == c.batch.id))
                assert moves == 1
                statuses = (
                    await s.scalars(select(Prescription.status).where(Prescription.id.in_([first, second])))
                ).all()
                assert sorted(statuses) == ["dispensed", "issued"]
                package = await s.get(MarkedPackage, c.sgtin(0))
                assert package is not None and package.status == "dispensed"
    finally:
        await engine.dispose()


async def test_a_package_claim_waits_and_then_finds_it_taken(database_url: str, committed: Committed) -> None:
    """The conditional UPDATE itself: the second claimer blocks on the row, then re-checks the
    condition against the committed row and takes nothing."""
    engine = create_async_engine(database_url, pool_size=4)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with sessions() as s, s.begin():
            c = await support.counter(s, packages=2)
            _remember(committed, c)
        codes = [c.sgtin(0), c.sgtin(1)]
        async with sessions() as a, sessions() as b:
            await a.begin()
            await b.begin()
            got_a = await repository.claim_packages(
                a, codes, pharmacy_id=c.pharmacy_id, dispense_id=uuid.uuid4(), reservation_ids=[]
            )
            assert got_a == set(codes)
            waiting = asyncio.create_task(
                repository.claim_packages(
                    b,
                    list(reversed(codes)),
                    pharmacy_id=c.pharmacy_id,
                    dispense_id=uuid.uuid4(),
                    reservation_ids=[],
                )
            )
            await asyncio.sleep(0.3)
            assert not waiting.done()  # held by the first transaction's row locks
            await a.commit()
            assert await waiting == set()
            await b.rollback()
    finally:
        await engine.dispose()
