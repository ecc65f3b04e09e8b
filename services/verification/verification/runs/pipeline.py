"""The run job: its stages in order, each reported through ``JobContext.progress`` (where a
cancellation reaches the job), each recorded on the run when finished.

Resume: a job picked up again after a crash (``JobContext.attempt > 1``) reads the run's
``finished_stage`` and starts from the next stage; every stage first deletes its own output
for the run (entries and rejections, pairs, outcomes), so a stage interrupted half-way is
written again, never twice. The last stage writes its counts, its events and the stage mark
in one transaction."""

from __future__ import annotations

import asyncio
import resource
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oms_kit.jobs import JobContext, JobFailed, JobKind
from verification.linkage import LinkageModel
from verification.register import LoadResult, NotATable, RegisterRepository, load_register_file
from verification.register.from_registry import REGISTRY_SOURCE, RegistryRegister
from verification.rules import Thresholds
from verification.runs.decisions import decide_run
from verification.runs.from_registry import load_registry_stage
from verification.runs.outcomes import apply_rules
from verification.runs.pipeline_repository import PipelineRepository, RunScope
from verification.runs.scoring import ScoringSettings, choose_model, score
from verification.runs.stages import (
    BLOCKING,
    DECISIONS,
    LOADING,
    RULES,
    SCORING,
    STAGE_TITLES,
    stages_after,
)

KIND_NAME = "verification.run"
FAILED = "Проверка регистра не выполнена"


class StageCrash(Exception):
    """Raised after a finished stage when a pipeline is built with ``crash_after`` (tests of
    resume): the process "dies" with the stage recorded and the job still running."""


@dataclass
class RunPipeline:
    """The run job's handler. ``model``: a trained model to use instead of training one (tests
    and demos on registers too small to train on); ``crash_after``: a stage after which to
    stop as a crash would (tests); ``registry``: the registry's extract (``create_app`` sets it
    from the settings)."""

    thresholds: Thresholds = field(default_factory=Thresholds)
    memory_limit: str = "2GB"  # DuckDB per linkage call (the engine's default)
    model: LinkageModel | None = None
    crash_after: str | None = None
    registry: RegistryRegister | None = None  # where a run with register_source 'registry' loads from

    async def __call__(self, ctx: JobContext) -> dict[str, Any]:
        run_id = uuid.UUID(str(ctx.params["run_id"]))
        scope = await self._scope(ctx, run_id)
        with tempfile.TemporaryDirectory(prefix="oms-verification-run-") as folder:
            for stage in stages_after(scope.finished_stage):
                await ctx.progress(0, 1, stage=STAGE_TITLES[stage])
                started = time.monotonic()
                counts = await self._stage(ctx, stage, scope, Path(folder))
                counts[f"seconds_{stage}"] = round(time.monotonic() - started, 2)
                # The process's peak RSS so far (MiB): which stage raised it.
                counts[f"peak_rss_mb_{stage}"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
                if stage != DECISIONS:  # the decisions stage records itself with its events
                    async with ctx.transaction() as session:
                        await PipelineRepository(session).finish_stage(run_id, stage, counts)
                else:
                    async with ctx.transaction() as session:
                        await PipelineRepository(session).finish_stage(
                            run_id, stage, {k: v for k, v in counts.items() if k.endswith(f"_{stage}")}
                        )
                if self.crash_after == stage:
                    raise StageCrash(stage)
                scope = await self._scope(ctx, run_id)
        return scope.counts

    async def _scope(self, ctx: JobContext, run_id: uuid.UUID) -> RunScope:
        async with ctx.transaction() as session:
            scope = await PipelineRepository(session).scope(run_id)
        if scope is None:
            raise JobFailed(FAILED, "Проверка не найдена")
        return scope

    async def _stage(self, ctx: JobContext, stage: str, scope: RunScope, folder: Path) -> dict[str, Any]:
        settings = ScoringSettings(thresholds=self.thresholds, memory_limit=self.memory_limit)
        if stage == LOADING:
            return await self._load(ctx, scope, folder)
        if stage == BLOCKING:
            _, trained = await choose_model(ctx.transaction, scope, folder, settings, self.model)
            return {"model_trained": trained}
        if stage == SCORING:
            assert scope.linkage_model is not None

            async def progress(done: int, total: int) -> None:
                await ctx.progress(done, total)

            return await score(ctx.transaction, scope, scope.linkage_model, folder, settings, progress)
        if stage == RULES:

            async def rules_progress(done: int, total: int) -> None:
                await ctx.progress(done, total)

            return await apply_rules(ctx.transaction, scope, self.thresholds, rules_progress)
        return await decide_run(ctx.transaction, scope)

    async def _load(self, ctx: JobContext, scope: RunScope, folder: Path) -> dict[str, Any]:
        async with ctx.transaction() as session:
            await RegisterRepository(session).clear(scope.id)
        if ctx.params.get("register_source") == REGISTRY_SOURCE:
            loaded = await load_registry_stage(ctx, scope.id, scope.as_of, self.registry)
        else:
            loaded = await self._load_file(ctx, scope, folder)
        counts: dict[str, Any] = loaded.as_dict()
        if scope.previous_run_id is not None:
            async with ctx.transaction() as session:
                changes = await RegisterRepository(session).changes(scope.id, scope.previous_run_id)
            counts.update(
                new_subjects=changes.new,
                changed_subjects=changes.changed,
                unchanged_subjects=changes.unchanged,
                gone_subjects=changes.gone,
            )
        return counts

    async def _load_file(self, ctx: JobContext, scope: RunScope, folder: Path) -> LoadResult:
        inputs = await ctx.input_files()
        if not inputs:
            raise JobFailed(FAILED, "К проверке не приложен файл регистра")
        path = folder / "register"
        with path.open("wb") as out:
            async for chunk in ctx.read_file(inputs[0].id):
                await asyncio.to_thread(out.write, chunk)

        async def progress(done: int, total: int | None) -> None:
            await ctx.progress(done, total)

        try:
            return await load_register_file(
                scope.id, path, today=scope.as_of, transaction=ctx.transaction, progress=progress
            )
        except NotATable as exc:
            raise JobFailed("Файл регистра не распознан", str(exc)) from exc


def run_kind(pipeline: RunPipeline | None = None) -> JobKind:
    """The ``verification.run`` job kind with ``pipeline`` as its handler."""
    return JobKind(
        name=KIND_NAME,
        title="Проверка регистра неработающего населения",
        read_permission="verification.run:read",
        write_permission="verification.run:write",
        run=pipeline or RunPipeline(),
    )


VERIFICATION_RUN = run_kind()
