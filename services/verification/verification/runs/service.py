"""The rules of the run API (no SQL): who starts and sees which runs, the period and date
defaults, the previous run of an incremental run; person reads audited."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access_many
from oms_kit.auth import Principal
from oms_kit.errors import DomainError, InvalidInput, NotFound
from oms_kit.jobs import Job, receive_upload, submit_job
from oms_kit.pagination import Page, PageParams
from verification.models import VerificationRun
from verification.register.from_registry import (
    NOT_CONFIGURED,
    REGISTRY_SOURCE,
    UNAVAILABLE,
    RegistryRegister,
    RegistryUnavailable,
)
from verification.runs.pipeline import VERIFICATION_RUN
from verification.runs.repository import RunRepository
from verification.runs.schemas import (
    OutcomeRead,
    RegisterPersonRead,
    RegistryRunStart,
    RejectionRead,
    RunRead,
)
from verification.runs.stages import DECISIONS, TITLE_STAGES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REGISTER_MEDIA_TYPES = ["text/csv", XLSX, "application/xml", "text/xml"]
RUN_NOT_FOUND = "Проверка не найдена"


class RegistryNotConfigured(DomainError):
    status = 503
    code = "registry-not-configured"
    title = NOT_CONFIGURED


class RegistryRefused(DomainError):
    """The registry refused the key, failed or could not be reached."""

    status = 502
    code = "registry-unavailable"
    title = UNAVAILABLE


def org_scope(principal: Principal) -> uuid.UUID | None:
    """The organization whose runs the caller sees: its own (the payer), none for the region's
    roles (they see every run)."""
    return None if principal.region_wide else principal.org_id


def run_read(run: VerificationRun, job: Job | None) -> RunRead:
    running = job is not None and job.status == "running"
    return RunRead(
        id=run.id,
        organization_id=run.organization_id,
        job_id=run.job_id,
        status=job.status if job is not None else "unknown",
        stage=TITLE_STAGES.get(job.stage or "") if running and job is not None else None,
        stage_title=job.stage if job is not None else None,
        finished_stage=run.finished_stage,
        progress_done=job.progress_done if job is not None else 0,
        progress_total=job.progress_total if job is not None else None,
        error=job.error if job is not None else None,
        period_from=run.period_from,
        period_to=run.period_to,
        as_of=run.as_of,
        register_source=run.register_source,
        previous_run_id=run.previous_run_id,
        counts=run.counts or {},
        created_by=run.created_by,
        created_at=run.created_at,
    )


async def _checked_period(
    session: AsyncSession,
    principal: Principal,
    *,
    period_from: date | None,
    period_to: date | None,
    as_of: date | None,
    previous_run_id: uuid.UUID | None,
) -> tuple[date, date, date]:
    """(as_of, period_from, period_to) with their defaults (today, 1 January and 31 December of
    its year); 422 for a period that ends before it starts or a previous run that is not the
    caller's or not finished."""
    as_of = as_of or date.today()
    period_from = period_from or date(as_of.year, 1, 1)
    period_to = period_to or date(period_from.year, 12, 31)
    if period_to < period_from:
        raise InvalidInput("Конец периода раньше его начала", field="period_to")
    if previous_run_id is not None:
        found = await RunRepository(session).get(previous_run_id, principal.org_id)
        if found is None:
            raise InvalidInput("Предыдущая проверка не найдена", field="previous_run_id")
        if found[0].finished_stage != DECISIONS:
            raise InvalidInput("Предыдущая проверка не завершена", field="previous_run_id")
    return as_of, period_from, period_to


async def _add_run(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    job: Job,
    *,
    period: tuple[date, date, date],
    register_source: str,
    previous_run_id: uuid.UUID | None,
) -> RunRead:
    as_of, period_from, period_to = period
    run = await RunRepository(session).add(
        VerificationRun(
            id=run_id,
            organization_id=principal.org_id,
            period_from=period_from,
            period_to=period_to,
            as_of=as_of,
            register_source=register_source,
            job_id=job.id,
            previous_run_id=previous_run_id,
            created_by=principal.subject,
        )
    )
    await session.refresh(run)
    return run_read(run, job)


async def start_run(
    session: AsyncSession,
    principal: Principal,
    request: Request,
    *,
    period_from: date | None,
    period_to: date | None,
    as_of: date | None,
    previous_run_id: uuid.UUID | None,
) -> RunRead:
    """A run of the caller's organization on the uploaded register file; its job runs once the
    request commits."""
    period = await _checked_period(
        session,
        principal,
        period_from=period_from,
        period_to=period_to,
        as_of=as_of,
        previous_run_id=previous_run_id,
    )
    run_id = uuid.uuid4()
    job = await submit_job(session, VERIFICATION_RUN, principal, params={"run_id": str(run_id)})
    await receive_upload(session, job, request, name="register.csv", allowed_media_types=REGISTER_MEDIA_TYPES)
    return await _add_run(
        session,
        principal,
        run_id,
        job,
        period=period,
        register_source="file",
        previous_run_id=previous_run_id,
    )


async def start_registry_run(
    session: AsyncSession, principal: Principal, registry: RegistryRegister | None, data: RegistryRunStart
) -> RunRead:
    """A run of the caller's organization on the registry's non-working persons on ``as_of``.
    The registry is asked for one person first: a registry that is not configured (503), refuses
    the key or cannot be reached (502) fails the request, not a run started in vain."""
    period = await _checked_period(
        session,
        principal,
        period_from=data.period_from,
        period_to=data.period_to,
        as_of=data.as_of,
        previous_run_id=data.previous_run_id,
    )
    if registry is None:
        raise RegistryNotConfigured("Сервис проверки запущен без подключения к регистру застрахованных")
    try:
        await registry.probe(period[0])
    except RegistryUnavailable as exc:
        error = RegistryNotConfigured if exc.title == NOT_CONFIGURED else RegistryRefused
        raise error(exc.detail) from exc
    run_id = uuid.uuid4()
    job = await submit_job(
        session,
        VERIFICATION_RUN,
        principal,
        params={"run_id": str(run_id), "register_source": REGISTRY_SOURCE},
    )
    return await _add_run(
        session,
        principal,
        run_id,
        job,
        period=period,
        register_source=REGISTRY_SOURCE,
        previous_run_id=data.previous_run_id,
    )


async def _visible(session: AsyncSession, principal: Principal, run_id: uuid.UUID) -> RunRead:
    found = await RunRepository(session).get(run_id, org_scope(principal))
    if found is None:
        raise NotFound(RUN_NOT_FOUND)
    return run_read(*found)


async def get_run(session: AsyncSession, principal: Principal, run_id: uuid.UUID) -> RunRead:
    return await _visible(session, principal, run_id)


async def list_runs(session: AsyncSession, principal: Principal, paging: PageParams) -> Page[RunRead]:
    rows, total = await RunRepository(session).page(
        org_scope(principal), limit=paging.limit, offset=paging.offset
    )
    return Page[RunRead](
        items=[run_read(run, job) for run, job in rows], total=total, limit=paging.limit, offset=paging.offset
    )


async def list_outcomes(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    paging: PageParams,
    *,
    outcome: str | None,
    reason: str | None,
    district: str | None,
) -> Page[OutcomeRead]:
    await _visible(session, principal, run_id)
    rows, total = await RunRepository(session).outcomes(
        run_id, outcome=outcome, reason=reason, district=district, limit=paging.limit, offset=paging.offset
    )
    # The register persons shown are personal data: who saw which subjects is recorded.
    await audit_access_many(
        session,
        principal,
        (subject_id for _, subject_id, _ in rows),
        action="read",
        resource=f"verification_run:{run_id}:outcomes",
        reason="Итоги проверки регистра неработающего населения",
    )
    items = [
        OutcomeRead(
            subject_id=subject_id,
            outcome=o.outcome if o is not None else "keep",
            reason=o.reason if o is not None else None,
            reasons=list(o.reasons or []) if o is not None else [],
            periods=list(o.periods or []) if o is not None else [],
            months_excluded=o.months_excluded if o is not None else 0,
            evidence=(o.evidence or {}) if o is not None else {},
            duplicate_of=o.duplicate_of if o is not None else None,
            decided_by=o.decided_by if o is not None else "rule",
            person=RegisterPersonRead(**person),
        )
        for o, subject_id, person in rows
    ]
    return Page[OutcomeRead](items=items, total=total, limit=paging.limit, offset=paging.offset)


async def list_rejections(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, paging: PageParams
) -> Page[RejectionRead]:
    await _visible(session, principal, run_id)
    rows, total = await RunRepository(session).rejections(run_id, limit=paging.limit, offset=paging.offset)
    return Page[RejectionRead](
        items=[RejectionRead(row_no=r.row_no, field=r.field, message=r.message) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )
