"""Demo data of verification for ``make run`` (contract: ``oms_embedded.seed``): in the seed's
one session, never committed here, once per database —

- a synthetic register of non-working insured persons of Приозёрская область with planted
  truths (``verification.synthetic``, fixed seed) and a few broken rows, as the TFOMS file;
- the five sources' answers about it (``synthetic.source_answers`` → ``sources.load_records``);
- the contribution tariffs of the demo year and the next (appreciation coefficients are demo
  values, so labelled in the legal basis);
- a finished run of the payer's operator over that file.

The run is the production job (``RunPipeline``, every stage) driven in process: its job row is
created as the API creates it, then ``SeedJobContext`` hands the pipeline the seed's session
for each of its transactions (a SAVEPOINT each, so a stage's failure still fails the whole
seed) and the register file from memory; the job is marked succeeded in the same transaction.
Measured: 20,000 records seed in ~22 s on the 2-core machine (the model's training ~11 s).
The job runner of ``make run`` never sees it queued: the row is committed already finished."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.jobs import JobContext, submit_job
from oms_kit.jobs.models import Job
from oms_kit.jobs.storage import JobFileInfo, store_file
from oms_kit.tenancy import OrganizationCopyRepository
from verification.config import Settings
from verification.models import Organization, VerificationRun
from verification.register.writer import register_csv
from verification.runs.pipeline import VERIFICATION_RUN, RunPipeline
from verification.savings.repository import TariffRepository
from verification.savings.tariff import LEGAL_BASIS, TariffInputs
from verification.sources import adapter_for, load_records
from verification.synthetic import generate_register
from verification.synthetic.source_answers import source_answers

log = logging.getLogger("verification.demo")

DEMO_YEAR = 2025
DEMO_SEED = 20251231
AS_OF = date(DEMO_YEAR, 12, 31)
DEMO_OPERATOR = "verifier"  # the gateway demo's verification_operator login
# Not the law's figure for the year: the yearly appreciation coefficient of 354-FZ is not
# shipped with the system; the operator sets the real one on the tariffs page.
DEMO_APPRECIATION = Decimal("2.4510")
DEMO_NEXT_APPRECIATION = Decimal("2.6020")
DEMO_DIFFERENTIATION = Decimal("1.0000")


def demo_legal_basis(appreciation: Decimal) -> str:
    return (
        f"{LEGAL_BASIS}. ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ: коэффициент удорожания {appreciation} и "
        f"коэффициент дифференциации {DEMO_DIFFERENTIATION} условные, не из закона; замените их "
        "действующими значениями."
    )


# Rows a TFOMS file gets wrong: the run reports them and goes on.
BROKEN_ROWS: tuple[list[str], ...] = (
    ["Иванов", "Пётр", "Сергеевич", "1961-02-30", "male", "", "", "", "", "", "", "03"],
    ["Смирнова", "Анна", "Игоревна", "1984-05-17", "female", "112-233-445 00", "", "", "", "", "", "07"],
    ["", "Олег", "Павлович", "1979-11-02", "male", "", "", "", "", "", "", "11"],
    ["Кузнецов", "Илья", "Андреевич", "2031-01-01", "male", "", "", "", "", "", "", "12"],
)


class SeedJobContext(JobContext):
    """The job context of a run driven inside the seed's transaction: each of the pipeline's
    transactions is a SAVEPOINT of ``session``, the register file is the bytes in hand, and
    progress is not written (nobody watches a seed; the job is finished before it commits)."""

    def __init__(self, session: AsyncSession, job: Job, file: JobFileInfo, content: bytes) -> None:
        self.job_id = job.id
        self.kind = VERIFICATION_RUN
        self.params = dict(job.params or {})
        self.organization_id = job.organization_id
        self.created_by = job.created_by
        self.principal_org_id = job.created_by_org_id
        self.attempt = 1
        self._session = session
        self._turn = asyncio.Lock()
        self._file = file
        self._content = content

    async def input_files(self) -> list[JobFileInfo]:
        return [self._file]

    async def read_file(self, file_id: uuid.UUID) -> AsyncIterator[bytes]:
        yield self._content

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        # The pipeline's stages write on several transactions at once (the loading's writers,
        # the rules' reader and writer); here they share one session, so they take turns.
        async with self._turn, self._session.begin_nested():
            yield self._session

    async def progress(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        return None


async def payer_organization(session: AsyncSession) -> uuid.UUID | None:
    """The payer for the non-working of the demo region (the gateway's demo registers it)."""
    payers = await OrganizationCopyRepository(session, Organization).codes("payer")
    return min((org_id for org_id, _ in payers), default=None)


async def seed_tariffs(session: AsyncSession) -> dict[str, Any]:
    """The demo year's tariff (the savings of the run) and the next year's (the appropriation
    forecast), both with demo coefficients labelled so."""
    repo = TariffRepository(session)
    out: dict[str, Any] = {}
    for year, appreciation in ((DEMO_YEAR, DEMO_APPRECIATION), (DEMO_YEAR + 1, DEMO_NEXT_APPRECIATION)):
        if await repo.get(year) is not None:
            out[str(year)] = "already set"
            continue
        inputs = TariffInputs(
            year=year,
            appreciation_coefficient=appreciation,
            differentiation_coefficient=DEMO_DIFFERENTIATION,
            legal_basis=demo_legal_basis(appreciation),
        )
        await repo.put(inputs, updated_by="demo")
        out[str(year)] = {"per_capita": str(inputs.per_capita), "monthly": str(inputs.monthly)}
    return out


async def seed_run(
    session: AsyncSession,
    organization_id: uuid.UUID,
    content: bytes,
    *,
    pipeline: RunPipeline | None = None,
) -> tuple[uuid.UUID, dict[str, Any]]:
    """A run of ``organization_id`` over the register ``content`` (CSV), finished in the session."""
    principal = Principal(
        subject=DEMO_OPERATOR,
        org_id=organization_id,
        org_type="payer",
        roles=frozenset({"verification_operator"}),
        permissions=frozenset({"verification.run:read", "verification.run:write"}),
    )
    run_id = uuid.uuid4()
    job = await submit_job(session, VERIFICATION_RUN, principal, params={"run_id": str(run_id)})
    stored = await store_file(
        session, job.id, role="input", name="register-2025.csv", media_type="text/csv", content=content
    )
    session.add(
        VerificationRun(
            id=run_id,
            organization_id=organization_id,
            period_from=date(DEMO_YEAR, 1, 1),
            period_to=date(DEMO_YEAR, 12, 31),
            as_of=AS_OF,
            register_source="file",
            job_id=job.id,
            previous_run_id=None,
            created_by=DEMO_OPERATOR,
        )
    )
    await session.flush()
    job.status, job.attempts, job.started_at = "running", 1, datetime.now(UTC)
    ctx = SeedJobContext(session, job, JobFileInfo.of(stored), content)
    counts = await (pipeline or RunPipeline())(ctx)
    job.status, job.stage, job.finished_at, job.result = "succeeded", "Готово", datetime.now(UTC), counts
    job.progress_done = job.progress_total = 1
    await session.flush()
    return run_id, counts


async def seed(
    session: AsyncSession, *, size: int | None = None, pipeline: RunPipeline | None = None
) -> dict[str, Any]:
    """``size``: register persons, by default ``Settings().demo_register_size`` (20,000)."""
    started = time.monotonic()
    size = Settings().demo_register_size if size is None else size
    organization_id = await payer_organization(session)
    if organization_id is None:  # no gateway demo in this database's reach: nothing to show
        log.warning("no payer organization: verification demo data not seeded")
        return {"skipped": "нет организации-плательщика"}
    register = generate_register(size, seed=DEMO_SEED, year=DEMO_YEAR)
    answers = source_answers(register.records, register.truths, year=DEMO_YEAR, seed=DEMO_SEED + 1)
    loaded: dict[str, int] = {}
    for code, records in answers.items():
        await load_records(
            session,
            adapter_for(code),
            records,
            file_name=f"demo-{code}-{DEMO_YEAR}",
            organization_id=organization_id,
        )
        loaded[code] = len(records)
    tariff = await seed_tariffs(session)
    content = register_csv(register.records, extra_rows=BROKEN_ROWS)
    run_id, counts = await seed_run(session, organization_id, content, pipeline=pipeline)
    return {
        "run_id": str(run_id),
        "register_records": len(register.records),
        "planted_truths": len(register.truths),
        "source_records": loaded,
        "tariffs": tariff,
        "run_counts": counts,
        "seconds": round(time.monotonic() - started, 1),
    }
