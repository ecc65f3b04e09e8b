"""The dispense reads its facts in one statement and writes in one (plus the batch booking):
the checks decided from those facts say exactly what the checks that read each fact on their
own say (the medico-economic control runs those), and the write statement claims the packages
or writes nothing else."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from tests.cleanup import Committed

from oms_kit.errors import DomainError
from pharmacy.dispensing import checks, repository, service
from pharmacy.dispensing.errors import DispenseConflict, DispenseRefused
from pharmacy.dispensing.schemas import DispenseIn
from pharmacy.marking.trace.documents import DisposalDocument, PackageLine, render, render_tree
from pharmacy.marking.trace.queue import dispense_report
from pharmacy.models import (
    Beneficiary,
    Dispense,
    DispenseItem,
    MarkedPackage,
    PersonDeath,
    PersonMerge,
    Prescription,
    StockBatch,
    TraceReport,
)

from . import support


async def _both(
    session: AsyncSession, c: support.Counter, p: Prescription, code: int
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """What the checks reading each fact say, and what the dispense (one statement of facts) says."""
    today = date.today()
    expected = [
        (v.code, v.message)
        for v in await checks.prescription_violations(session, p, on=today, drug=c.drug, quantity=1)
    ]
    try:
        await service.dispense(
            session,
            support.pharmacist_principal(c.pharmacy_id),
            DispenseIn(prescription_id=p.id, codes=[c.codes[code]]),
        )
        got: list[tuple[str, str]] = []
    except (DispenseRefused, DispenseConflict) as exc:
        got = [(v.code, v.message) for v in exc.violations]
    return expected, got


async def test_the_dispense_decides_as_the_checks_that_read_each_fact(session: AsyncSession) -> None:
    c = await support.counter(session, packages=4)
    today = date.today()

    # a person merged into the beneficiary: entitled through the survivor
    merged = uuid.uuid4()
    session.add(
        PersonMerge(
            merge_id=uuid.uuid4(),
            survivor_id=c.beneficiary.person_id,
            merged_id=merged,
            event_time=datetime.now(UTC),
        )
    )
    await session.flush()
    p = await support.prescription(session, c, quantity=1, person_id=merged)
    expected, got = await _both(session, c, p, 0)
    assert expected == got == []

    # the merged person died: refused for the survivor's prescription too
    session.add(
        PersonDeath(person_id=merged, death_date=today - timedelta(days=1), event_time=datetime.now(UTC))
    )
    await session.flush()
    p = await support.prescription(session, c, quantity=1)
    expected, got = await _both(session, c, p, 1)
    assert [code for code, _ in got] == ["person_dead"]
    assert expected == got

    # a person of another region whose stay ended; not registered at all; a drug off the list
    other = await support.beneficiary(session)
    await session.execute(
        Beneficiary.__table__.update()
        .where(Beneficiary.id == other.id)
        .values(temporary_until=today - timedelta(days=1), home_region="50")
    )
    p = await support.prescription(session, c, quantity=1, person_id=other.person_id, beneficiary_id=other.id)
    expected, got = await _both(session, c, p, 2)
    assert [code for code, _ in got] == ["not_entitled"] and "Иногородний" in got[0][1]
    assert expected == got

    p = await support.prescription(session, c, quantity=1, person_id=uuid.uuid4())
    expected, got = await _both(session, c, p, 3)
    assert [code for code, _ in got] == ["not_entitled"]
    assert expected == got

    off = await support.counter(session, packages=1, lists=(), inn="Ингибитор-вне-перечня")
    p = await support.prescription(session, off, quantity=1)
    expected, got = await _both(session, off, p, 0)
    assert [code for code, _ in got] == ["not_on_drug_list"]
    assert expected == got

    # expired, the wrong quantity and a blank required field: all listed, as the checks list them
    alive = await support.counter(session, packages=1)
    p = await support.prescription(
        session, alive, quantity=2, issued_on=today - timedelta(days=40), medical_record_number=""
    )
    expected, got = await _both(session, alive, p, 0)
    assert {code for code, _ in got} == {"expired", "quantity_mismatch", "missing_fields"}
    assert expected == got


async def test_the_write_claims_every_package_or_writes_nothing_else(
    database_url: str, committed: Committed
) -> None:
    """Two counters' write statements for one package: the second waits on the package's row,
    then finds it taken — and writes no dispense, item, report, event, nor the prescription's
    status. (Without the claim's condition it would take the package again.)"""
    engine = create_async_engine(database_url, pool_size=4)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with sessions() as s, s.begin():
            c = await support.counter(s, packages=1)
            committed.organizations.append(c.pharmacy_id)
            committed.drugs.append(c.drug.id)
            committed.beneficiaries.append(c.beneficiary.id)
            first = await support.prescription(s, c, quantity=1)
            second = await support.prescription(s, c, quantity=1)
        sgtin = c.sgtin(0)

        async def write(s: AsyncSession, p: Prescription) -> tuple[uuid.UUID, set[str]]:
            dispense_id = uuid.uuid4()
            row = Dispense(
                id=dispense_id,
                prescription_id=p.id,
                pharmacy_id=c.pharmacy_id,
                mo_id=p.mo_id,
                pharmacist_subject="counter",
                dispensed_at=datetime.now(UTC),
                quantity=1,
                amount=Decimal("123.45"),
                funding_source="federal",
                drug_id=c.drug.id,
            )
            item = DispenseItem(
                dispense_id=dispense_id, batch_id=c.batch.id, sgtin=sgtin, unit_price=Decimal("123.45")
            )
            report = dispense_report(
                pharmacy_id=c.pharmacy_id,
                pharmacy_code="990001",
                sgtins=[sgtin],
                dispense_id=dispense_id,
                prescription=p,
                at=datetime.now(UTC),
            )
            # what the cleanup finds by the prescription, as it finds the real event
            envelope = json.dumps({"data": {"prescription_id": str(p.id)}})
            event = repository.OutboxValues(uuid.uuid4(), "pharmacy.prescription.dispensed", envelope)
            taken, _ = await repository.write_dispense(
                s,
                audit=repository.AuditValues("counter", "user", c.pharmacy_id, p.person_id, "test", None),
                dispense=row,
                items=[item],
                reservation_ids=[],
                serve_deferred=False,
                served_on=date.today(),
                report=report,
                event=event,
            )
            return dispense_id, taken

        async with sessions() as a, sessions() as b:
            await a.begin()
            await b.begin()
            _, got_a = await write(a, first)
            assert got_a == {sgtin}
            waiting = asyncio.create_task(write(b, second))
            await asyncio.sleep(0.3)
            assert not waiting.done()  # held by the first transaction's row lock
            await a.commit()
            lost_id, got_b = await waiting
            assert got_b == set()
            # the second transaction sees its own writes: none but the audit row
            assert await b.get(Dispense, lost_id) is None
            assert await b.scalar(select(func.count()).where(DispenseItem.dispense_id == lost_id)) == 0
            assert await b.scalar(select(func.count()).where(TraceReport.dispense_id == lost_id)) == 0
            status = await b.scalar(select(Prescription.status).where(Prescription.id == second.id))
            assert status == "issued"
            package = await b.get(MarkedPackage, sgtin)
            assert package is not None and package.status == "dispensed"
            await b.rollback()
    finally:
        await engine.dispose()


async def test_a_refused_dispense_raises_a_problem_not_a_database_error(session: AsyncSession) -> None:
    """The last package taken between the facts and the write: 409 naming the package."""
    c = await support.counter(session, packages=1)
    p = await support.prescription(session, c, quantity=1)
    original = repository.dispense_facts

    async def stale(*args: object, **kwargs: object) -> repository.DispenseFacts | None:
        facts = await original(*args, **kwargs)  # type: ignore[arg-type]
        # another counter takes the package right after the facts were read
        await session.execute(
            MarkedPackage.__table__.update()
            .where(MarkedPackage.sgtin == c.sgtin(0))
            .values(status="dispensed")
        )
        return facts

    repository.dispense_facts = stale  # type: ignore[assignment]
    try:
        try:
            await service.dispense(
                session,
                support.pharmacist_principal(c.pharmacy_id),
                DispenseIn(prescription_id=p.id, codes=[c.codes[0]]),
            )
        except DomainError as exc:
            assert isinstance(exc, DispenseConflict)
            assert [v.code for v in exc.violations] == ["code_dispensed"]
        else:
            raise AssertionError("the dispense of a package taken meanwhile went through")
    finally:
        repository.dispense_facts = original  # type: ignore[assignment]
    assert await session.scalar(select(func.count()).where(Dispense.prescription_id == p.id)) == 0


def test_the_recipe_template_is_the_element_tree_document() -> None:
    """The 521 document every dispense queues is built from a template; the same text as the
    ElementTree build (with and without the prescription's series)."""
    moment = datetime(2026, 11, 24, 12, 30, tzinfo=UTC)
    for series in ("7701234", None):
        doc = DisposalDocument(
            operation="dispense_by_prescription",
            subject_id="00000000990101",
            operation_date=moment,
            lines=[PackageLine("04607012345678ABCdef1234567"), PackageLine("04607012345678ABCdef123456X")],
            doc_date=date(2026, 11, 1),
            doc_series=series,
            doc_num="123",
        )
        assert render(doc) == render_tree(doc)


async def test_a_batch_that_would_go_negative_refuses_the_dispense_whole(session: AsyncSession) -> None:
    """The batch is booked within the write statement: a batch whose quantity does not cover the
    package (a count out of step with the codes) refuses with the stock's message, and the
    caller's transaction is what undoes the rest — nothing of the dispense stays."""
    c = await support.counter(session, packages=1)
    p = await support.prescription(session, c, quantity=1)
    await session.execute(StockBatch.__table__.update().where(StockBatch.id == c.batch.id).values(quantity=0))
    async with session.begin_nested() as savepoint:  # the request's transaction
        try:
            await service.dispense(
                session,
                support.pharmacist_principal(c.pharmacy_id),
                DispenseIn(prescription_id=p.id, codes=[c.codes[0]]),
            )
        except DomainError as exc:
            assert isinstance(exc, DispenseRefused | DispenseConflict)
            assert [v.code for v in exc.violations] == ["stock_insufficient"]
            assert "Недостаточно остатка" in exc.violations[0].message
            await savepoint.rollback()
        else:
            raise AssertionError("a dispense beyond the batch's quantity went through")
    assert await session.scalar(select(func.count()).where(Dispense.prescription_id == p.id)) == 0
    assert await session.scalar(select(StockBatch.quantity).where(StockBatch.id == c.batch.id)) == 0
    package = await session.get(MarkedPackage, c.sgtin(0))
    assert package is not None
    await session.refresh(package)
    assert package.status == "in_stock"
