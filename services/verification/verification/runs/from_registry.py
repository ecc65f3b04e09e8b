"""The loading stage of a run whose register comes from ``registry``
(``register_source = 'registry'``): the extract read through the pipeline's
``RegistryRegister``, a registry that cannot be read failing the job with a Russian reason."""

from __future__ import annotations

import uuid
from datetime import date

from oms_kit.jobs import JobContext, JobFailed
from verification.register import LoadResult
from verification.register.from_registry import (
    NOT_CONFIGURED,
    RegistryRegister,
    RegistryUnavailable,
    load_from_registry,
)


async def load_registry_stage(
    ctx: JobContext, run_id: uuid.UUID, on: date, registry: RegistryRegister | None
) -> LoadResult:
    if registry is None:
        raise JobFailed(NOT_CONFIGURED, "Сервис проверки запущен без подключения к регистру застрахованных")

    async def progress(done: int, total: int | None) -> None:
        await ctx.progress(done, total)

    try:
        return await load_from_registry(
            run_id, registry, on=on, transaction=ctx.transaction, progress=progress
        )
    except Exception as exc:
        failure = registry_failure(exc)
        if failure is None:
            raise
        raise JobFailed(failure.title, failure.detail) from exc


def registry_failure(exc: BaseException) -> RegistryUnavailable | None:
    """The registry's failure in ``exc``, also inside an exception group (the loading's
    concurrent tasks may raise through a task group)."""
    if isinstance(exc, RegistryUnavailable):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            if (found := registry_failure(inner)) is not None:
                return found
    return None
