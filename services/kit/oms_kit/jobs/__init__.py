"""Long-running jobs: upload a file → a job runs in the background → its progress by polling
or server-sent events → download of its result files.

A service declares its kinds and passes them to ``create_service_app(..., jobs=[...])``,
which mounts ``/jobs`` and runs a ``JobRunner`` in the lifespan. Its submitting endpoint::

    NSI_IMPORT = JobKind("registry.nsi_import", "Импорт справочника НСИ",
                         read_permission="registry.nsi:read", run=import_nsi,
                         write_permission="registry.nsi:write")

    @router.post("/nsi/imports", openapi_extra=upload_request_body(["text/csv"]), ...)
    async def start_import(session: DbSession, request: Request, principal: ...) -> JobRead:
        job = await submit_job(session, NSI_IMPORT, principal, params={...})
        await receive_upload(session, job, request, allowed_media_types=["text/csv"])
        return await job_read(session, job)

The tables come from ``kit_jobs_v1_upgrade(op)`` in one of the service's migrations."""

from oms_kit.jobs.context import JobContext
from oms_kit.jobs.endpoints import jobs_router
from oms_kit.jobs.kinds import (
    EmptyUpload,
    JobAlreadyFinished,
    JobCancelled,
    JobFailed,
    JobKind,
    UnsupportedUploadType,
    UploadInterrupted,
    UploadTooLarge,
)
from oms_kit.jobs.migrations import kit_jobs_v1_downgrade, kit_jobs_v1_upgrade
from oms_kit.jobs.models import CHUNK_BYTES, TERMINAL_STATUSES, Job, JobFile, JobFileChunk, JobStatus
from oms_kit.jobs.runner import JobRunner, wake_runners
from oms_kit.jobs.schemas import JobError, JobFileRead, JobRead
from oms_kit.jobs.service import job_read, receive_upload, submit_job, upload_request_body
from oms_kit.jobs.storage import JobFileInfo

__all__ = [
    "CHUNK_BYTES",
    "TERMINAL_STATUSES",
    "EmptyUpload",
    "Job",
    "JobAlreadyFinished",
    "JobCancelled",
    "JobContext",
    "JobError",
    "JobFailed",
    "JobFile",
    "JobFileChunk",
    "JobFileInfo",
    "JobFileRead",
    "JobKind",
    "JobRead",
    "JobRunner",
    "JobStatus",
    "UnsupportedUploadType",
    "UploadInterrupted",
    "UploadTooLarge",
    "job_read",
    "jobs_router",
    "kit_jobs_v1_downgrade",
    "kit_jobs_v1_upgrade",
    "receive_upload",
    "submit_job",
    "upload_request_body",
    "wake_runners",
]
