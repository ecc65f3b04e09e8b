"""The medico-economic control: the run over a period (in chunks, each its own transaction in the
job), the results and violations, the registry of dispensed prescriptions, the expertise acts.
Services never commit; person-level reads are audited (``audit_access_many``)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access_many
from oms_kit.auth.principal import Principal
from oms_kit.errors import Conflict, NotFound
from oms_kit.jobs import Job
from oms_kit.masking import mask_snils
from pharmacy.beneficiaries.service import EntitlementFacts, entitlement_from
from pharmacy.control import checks, repository
from pharmacy.control.checks import Finding, normal_designation, title_of
from pharmacy.control.exports import short_name
from pharmacy.control.repository import RegistryRow, ResultFilter
from pharmacy.control.schemas import (
    ActCard,
    ActLine,
    ActRead,
    CodeCount,
    ControlSummary,
    ControlViolationRead,
    RegistryRowRead,
)
from pharmacy.dispensing.checks import PrescriptionFacts, prescription_violations_from
from pharmacy.models import ControlAct, ControlRun, Dispense, Drug, Prescription
from pharmacy.scope import PharmacyScope, scope_of

CHUNK = 2000  # dispenses judged (and written) per transaction of the job
RUN_NOT_FOUND = "Контроль не найден"
ACT_NOT_FOUND = "Акт не найден"


def dispensed_on(d: Dispense) -> date:
    """The day of the dispense as the pharmacy saw it (the service's local time)."""
    return d.dispensed_at.astimezone().date() if d.dispensed_at.tzinfo else d.dispensed_at.date()


async def start_run(
    session: AsyncSession,
    principal: Principal,
    period_from: date,
    period_to: date,
    pharmacy_id: uuid.UUID | None,
) -> ControlRun:
    scope = await scope_of(session, principal)
    if pharmacy_id is not None:
        scope.ensure_pharmacy(pharmacy_id)
    elif not scope.whole_region:
        if scope.pharmacy_ids is None or len(scope.pharmacy_ids) != 1:
            raise NotFound("Аптека не найдена")
        pharmacy_id = next(iter(scope.pharmacy_ids))
    run = ControlRun(
        id=uuid.uuid4(),
        period_from=period_from,
        period_to=period_to,
        pharmacy_id=pharmacy_id,
        status="running",
        started_by=principal.subject,
    )
    session.add(run)
    await session.flush()
    return run


async def check_dispenses(
    session: AsyncSession, run: ControlRun, ids: list[uuid.UUID], principal: Principal
) -> int:
    """Judge these dispenses anew: their results (and violations) are replaced. The facts of
    the whole chunk are read by a few set-based statements (the rows, ``repository.judged_facts``,
    the dispenses of the same numbers); each dispense is then decided without I/O. Returns the
    number of violations found."""
    rows = await repository.dispenses(session, ids)
    if not rows:
        return 0
    facts = await repository.judged_facts(session, [d.id for d, _, _ in rows])
    others: dict[str, list[repository.OtherDispense]] = defaultdict(list)
    for other in await repository.dispenses_with_numbers(session, sorted({p.number for _, p, _ in rows})):
        others[other.designation].append(other)
    pharmacies = await repository.organization_names(
        session, {o.pharmacy_id for group in others.values() for o in group}
    )
    checked_at = datetime.now(UTC)
    results: list[dict[str, Any]] = []
    violations: list[dict[str, Any]] = []
    for d, p, drug in rows:
        f = facts[d.id]
        findings = findings_of(d, p, drug, f, others, pharmacies)
        results.append(
            {
                "dispense_id": d.id,
                "prescription_id": p.id,
                "pharmacy_id": d.pharmacy_id,
                "person_id": p.person_id,
                "dispensed_on": dispensed_on(d),
                "run_id": run.id,
                "amount": d.amount,
                "withheld": checks.withheld_of(d.amount, findings),
                "checked_at": checked_at,
            }
        )
        violations += [
            {
                "id": uuid.uuid4(),
                "dispense_id": d.id,
                "code": v.code,
                "message": v.message[:1000],
                "amount": v.amount,
            }
            for v in findings
        ]
    await repository.replace_results(session, results, violations)
    await audit_access_many(
        session,
        principal,
        [p.person_id for _, p, _ in rows],
        action="read",
        resource=f"pharmacy_control_run:{run.id}",
        reason="Медико-экономический контроль отпущенных рецептов",
    )
    return len(violations)


def findings_of(
    d: Dispense,
    p: Prescription,
    drug: Drug,
    f: repository.JudgedFacts,
    others: dict[str, list[repository.OtherDispense]],
    pharmacies: dict[uuid.UUID, tuple[str | None, str]],
) -> list[Finding]:
    """Every finding of one dispense decided from its facts (no I/O): the dispensing checks on
    the day of the dispense (``prescription_violations_from`` with the entitlement of
    ``entitlement_from`` — the very functions the dispense decides with), then the batch-only
    checks, which state some of the dispensing ones more precisely (``checks.SUPERSEDES``)."""
    day = dispensed_on(d)
    designation = f"серия {p.series} № {p.number}"
    batch: list[Finding | None] = [
        checks.after_validity(day, p.valid_until, f.deferred_on, d.amount, designation),
        checks.after_death(day, f.own_death, d.amount),
        checks.amount_check(d.amount, [price for _, price, _ in f.items]),
    ]
    elsewhere = [
        o
        for o in others.get(normal_designation(p.series, p.number), [])
        if o.dispense_id != d.id and o.pharmacy_id != d.pharmacy_id
    ]
    if elsewhere:
        names = ", ".join(
            f"{(pharmacies.get(o.pharmacy_id) or (None, 'аптека ' + str(o.pharmacy_id)))[1]} "
            f"{o.dispensed_at.astimezone():%d.%m.%Y}"
            for o in elsewhere
        )
        batch.append(
            checks.Finding(
                checks.DUPLICATE_ACROSS_PHARMACIES,
                f"Рецепт {designation} отпущен также: {names}",
                d.amount,
            )
        )
    marked = {s: status for s, _, status in f.items if s}
    own = [x for x in batch if x is not None] + checks.trace_checks(marked, d.amount)
    mismatch = checks.funding_check(p.funding_source, f.funding, d.amount)
    answer = entitlement_from(
        p.person_id,
        day,
        EntitlementFacts(
            registered=f.registered,
            death=f.death,
            temporary_until=f.temporary_until,
            home_region=f.home_region,
            entitlements=f.entitlements,
            refused_years=f.refused_years,
        ),
        diagnosis=p.diagnosis_code,
    )
    base = prescription_violations_from(
        p,
        on=day,
        facts=PrescriptionFacts(
            deferred_since=f.deferred_since,
            number_taken=f.number_taken,
            entitlement=answer,
            drug_lists=f.drug_lists,
        ),
        drug=drug,
        quantity=d.quantity,
    )
    superseded = {checks.SUPERSEDES[x.code] for x in own if x.code in checks.SUPERSEDES}
    merged: dict[str, Finding] = {}
    for x in [Finding(v.code, v.message, d.amount) for v in base if v.code not in superseded] + own:
        if x.code in merged:  # one row per kind: messages joined
            prev = merged[x.code]
            merged[x.code] = Finding(x.code, f"{prev.message}; {x.message}", max(prev.amount, x.amount))
        else:
            merged[x.code] = x
    found = list(merged.values())
    if mismatch is not None:
        found.append(mismatch)
    return found


async def finish_run(session: AsyncSession, run: ControlRun, *, failed: bool = False) -> ControlRun:
    scope = PharmacyScope(None, None, frozenset(), None)
    f = ResultFilter(run.period_from, run.period_to, run.pharmacy_id)
    t = await repository.totals(session, scope, f)
    run.status = "failed" if failed else "done"
    run.finished_at = datetime.now(UTC)
    run.checked = t["checked"]
    run.with_violations = t["with_violations"]
    run.violations = sum(count for _, count, _ in t["by_code"])
    run.amount = t["amount"]
    run.withheld = t["withheld"]
    run.by_code = {code: count for code, count, _ in t["by_code"]}
    await session.flush()
    return run


Progress = Callable[[int, int], Awaitable[None]]


async def run_control(
    session: AsyncSession, run: ControlRun, principal: Principal, progress: Progress | None = None
) -> ControlRun:
    """The whole run in one session (tests, small periods); the job runs the same steps with a
    transaction per chunk."""
    ids = await repository.dispense_ids(session, run.period_from, run.period_to, run.pharmacy_id)
    for start in range(0, len(ids), CHUNK):
        await check_dispenses(session, run, ids[start : start + CHUNK], principal)
        if progress is not None:
            await progress(min(start + CHUNK, len(ids)), len(ids))
    return await finish_run(session, run)


async def summary(session: AsyncSession, principal: Principal, f: ResultFilter) -> ControlSummary:
    scope = await scope_of(session, principal)
    if f.pharmacy_id is not None:
        scope.ensure_pharmacy(f.pharmacy_id)
    t = await repository.totals(session, scope, f)
    return ControlSummary(
        checked=t["checked"],
        unchecked=await repository.unchecked_count(session, scope, f),
        with_violations=t["with_violations"],
        amount=t["amount"],
        withheld=t["withheld"],
        accepted=t["amount"] - t["withheld"],
        by_code=[CodeCount(code=c, title=title_of(c), count=n, amount=a) for c, n, a in t["by_code"]],
    )


async def violations(
    session: AsyncSession, principal: Principal, f: ResultFilter, order: list[Any], limit: int, offset: int
) -> tuple[list[ControlViolationRead], int]:
    scope = await scope_of(session, principal)
    if f.pharmacy_id is not None:
        scope.ensure_pharmacy(f.pharmacy_id)
    rows, total = await repository.violations(session, scope, f, order, limit, offset)
    await audit_access_many(
        session,
        principal,
        [r.person_id for _, r, _ in rows],
        action="read",
        resource="pharmacy_control:violations",
    )
    return [
        ControlViolationRead(
            id=v.id,
            dispense_id=r.dispense_id,
            prescription_id=r.prescription_id,
            pharmacy_id=r.pharmacy_id,
            series=p.series,
            number=p.number,
            dispensed_on=r.dispensed_on,
            patient=p.patient_full_name,
            code=v.code,
            title=title_of(v.code),
            message=v.message,
            amount=v.amount,
            dispense_amount=r.amount,
            withheld=r.withheld,
        )
        for v, r, p in rows
    ], total


async def registry_rows(
    session: AsyncSession,
    principal: Principal,
    period_from: date,
    period_to: date,
    pharmacy_id: uuid.UUID | None,
    order: list[Any],
    limit: int | None,
    offset: int = 0,
    *,
    action: str = "read",
) -> tuple[list[RegistryRowRead], int]:
    scope = await scope_of(session, principal)
    if pharmacy_id is not None:
        scope.ensure_pharmacy(pharmacy_id)
    rows, total = await repository.registry(
        session, scope, period_from, period_to, pharmacy_id, order, limit, offset
    )
    codes = await repository.violations_of(session, [r.dispense.id for r in rows])
    await audit_access_many(
        session,
        principal,
        [r.prescription.person_id for r in rows],
        action=action,
        resource="pharmacy_control:registry",
    )
    return [_registry_row(r, [v.code for v in codes.get(r.dispense.id, [])]) for r in rows], total


def _registry_row(r: RegistryRow, codes: list[str]) -> RegistryRowRead:
    p, d = r.prescription, r.dispense
    return RegistryRowRead(
        dispense_id=d.id,
        prescription_id=p.id,
        pharmacy_id=d.pharmacy_id,
        series=p.series,
        number=p.number,
        form=p.form,
        issued_on=p.issued_on,
        valid_until=p.valid_until,
        mo_code=p.mo_code,
        category_code=p.category_code,
        funding_source=p.funding_source,
        diagnosis_code=p.diagnosis_code,
        patient=p.patient_full_name,
        snils_masked=mask_snils(p.patient_snils) if p.patient_snils else None,
        inn=r.drug.inn,
        trade_name=r.drug.trade_name,
        dosage_form=r.drug.dosage_form,
        dosage=r.drug.dosage,
        quantity=d.quantity,
        dispensed_at=d.dispensed_at,
        amount=d.amount,
        checked=r.result is not None,
        withheld=r.result.withheld if r.result is not None else None,
        violation_codes=codes,
    )


async def draw_up_act(
    session: AsyncSession, principal: Principal, pharmacy_id: uuid.UUID, period_from: date, period_to: date
) -> ActCard:
    """The act of the pharmacy and period from the current results: every dispense of the
    period must have been through a control run."""
    scope = await scope_of(session, principal)
    scope.ensure_pharmacy(pharmacy_id)
    f = ResultFilter(period_from, period_to, pharmacy_id)
    unchecked = await repository.unchecked_count(session, scope, f)
    if unchecked:
        raise Conflict(
            f"За период есть отпуски, не прошедшие контроль ({unchecked}): сначала проведите контроль "
            "за этот период по этой аптеке"
        )
    rows, _ = await repository.registry(session, scope, period_from, period_to, pharmacy_id, [], None)
    found = await repository.violations_of(session, [r.dispense.id for r in rows])
    lines: list[ActLine] = []
    amount = withheld = Decimal("0.00")
    for r in rows:
        amount += r.dispense.amount
        kept = r.result.withheld if r.result is not None else Decimal("0.00")
        own = found.get(r.dispense.id, [])
        if not own:
            continue
        withheld += kept
        lines.append(
            ActLine(
                n=len(lines) + 1,
                dispense_id=r.dispense.id,
                series=r.prescription.series,
                number=r.prescription.number,
                issued_on=r.prescription.issued_on,
                dispensed_on=r.result.dispensed_on if r.result is not None else dispensed_on(r.dispense),
                patient=short_name(r.prescription.patient_full_name) or None,
                snils_masked=mask_snils(r.prescription.patient_snils)
                if r.prescription.patient_snils
                else None,
                inn=r.drug.inn,
                quantity=r.dispense.quantity,
                amount=r.dispense.amount,
                withheld=kept,
                violations=[v.code for v in own],
                reasons="; ".join(f"{title_of(v.code)}: {v.message}" for v in own),
            )
        )
    names = await repository.organization_names(session, {pharmacy_id})
    code = (names.get(pharmacy_id) or (None, ""))[0] or str(pharmacy_id)[:8]
    act = ControlAct(
        id=uuid.uuid4(),
        number=await repository.next_act_number(session, f"МЭК-{period_from:%Y%m}-{code}-"),
        pharmacy_id=pharmacy_id,
        period_from=period_from,
        period_to=period_to,
        drawn_up_on=date.today(),
        drawn_up_by=principal.subject,
        dispenses=len(rows),
        with_violations=len(lines),
        amount=amount,
        withheld=withheld,
        accepted=amount - withheld,
        lines=[line.model_dump(mode="json") for line in lines],
    )
    session.add(act)
    await session.flush()
    await audit_access_many(
        session,
        principal,
        [r.prescription.person_id for r in rows if found.get(r.dispense.id)],
        action="create",
        resource=f"pharmacy_control_act:{act.id}",
    )
    return await _card(session, act)


async def _card(session: AsyncSession, act: ControlAct) -> ActCard:
    names = await repository.organization_names(session, {act.pharmacy_id})
    read = ActRead.model_validate(act).model_copy(
        update={"pharmacy_name": (names.get(act.pharmacy_id) or (None, None))[1]}
    )
    return ActCard(**read.model_dump(), lines=[ActLine.model_validate(line) for line in act.lines])


async def act_card(
    session: AsyncSession, principal: Principal, act_id: uuid.UUID, *, action: str = "read"
) -> ActCard:
    scope = await scope_of(session, principal)
    act = await repository.act(session, scope, act_id)
    if act is None:
        raise NotFound(ACT_NOT_FOUND)
    card = await _card(session, act)
    ids = [line.dispense_id for line in card.lines]
    if ids:
        rows = await repository.dispenses(session, ids)
        await audit_access_many(
            session,
            principal,
            [p.person_id for _, p, _ in rows],
            action=action,
            resource=f"pharmacy_control_act:{act.id}",
        )
    return card


async def list_acts(
    session: AsyncSession,
    principal: Principal,
    period_from: date | None,
    period_to: date | None,
    pharmacy_id: uuid.UUID | None,
    limit: int | None,
    offset: int = 0,
) -> tuple[list[ActRead], int]:
    scope = await scope_of(session, principal)
    rows, total = await repository.acts(session, scope, period_from, period_to, pharmacy_id, limit, offset)
    names = await repository.organization_names(session, {a.pharmacy_id for a in rows})
    return [
        ActRead.model_validate(a).model_copy(
            update={"pharmacy_name": (names.get(a.pharmacy_id) or (None, None))[1]}
        )
        for a in rows
    ], total


async def run_read(session: AsyncSession, principal: Principal, run_id: uuid.UUID) -> ControlRun:
    scope = await scope_of(session, principal)
    run = await repository.run(session, run_id, scope)
    if run is None:
        raise NotFound(RUN_NOT_FOUND)
    return run


async def run_job(session: AsyncSession, principal: Principal, run_id: uuid.UUID) -> Job:
    """The background job of a run the caller sees (its progress)."""
    run = await run_read(session, principal, run_id)
    job = await repository.job(session, run.job_id) if run.job_id else None
    if job is None:
        raise NotFound("Задача контроля не найдена")
    return job


async def list_runs(session: AsyncSession, principal: Principal, limit: int, offset: int) -> list[ControlRun]:
    rows, _ = await repository.runs(session, await scope_of(session, principal), limit, offset)
    return rows
