/**
 * The state of one long server job, live: status, stage, progress (indeterminate while the
 * total is unknown), elapsed time, the error or the result, output files to download, and
 * cancel while it runs. Follows the job's event stream and polls when the stream fails.
 */
import { useEffect, useRef, useState, type ReactNode } from "react";
import {
  authFetchFor,
  cancelJob,
  followJob,
  isTerminal,
  jobPaths,
  type FollowMode,
  type JobRead,
  type JobService,
  type JobStatus,
} from "../api/jobs";
import { useApi } from "../app/auth";
import { formatDateTime, formatNumber } from "../app/format";
import { useI18n, type Lang } from "../app/i18n";
import { DownloadButton } from "./DownloadButton";
import { ProgressBar } from "./ProgressBar";
import { elapsedMs, formatBytes, formatElapsed } from "./progress";
import { ErrorState, Loading } from "./states";
import "./jobs.css";

const TEXT = {
  ru: {
    status: { queued: "В очереди", running: "Выполняется", succeeded: "Готово", failed: "Ошибка", cancelled: "Отменено" },
    progress: "Ход выполнения",
    stage: "Этап",
    done: "Обработано",
    of: "из",
    elapsed: "Прошло",
    started: "Начато",
    finished: "Завершено",
    result: "Итог",
    files: "Файлы результата",
    cancel: "Отменить задание",
    polling: "Сервер не передаёт поток событий: состояние обновляется раз в секунду.",
  },
  en: {
    status: { queued: "Queued", running: "Running", succeeded: "Done", failed: "Failed", cancelled: "Cancelled" },
    progress: "Progress",
    stage: "Stage",
    done: "Processed",
    of: "of",
    elapsed: "Elapsed",
    started: "Started",
    finished: "Finished",
    result: "Result",
    files: "Result files",
    cancel: "Cancel the job",
    polling: "No event stream from the server: the state is refreshed every second.",
  },
} satisfies Record<Lang, { status: Record<JobStatus, string> } & Record<string, unknown>>;

export function jobStatusLabel(lang: Lang, status: JobStatus): string {
  return TEXT[lang].status[status] ?? status;
}

export function JobStatusChip({ status }: { status: JobStatus }) {
  const { lang } = useI18n();
  return (
    <span className={`badge job-status job-status-${status}`} data-testid="job-status" data-status={status}>
      {jobStatusLabel(lang, status)}
    </span>
  );
}

/** The job as its stream (or polling) last told; `onFinished` once it ends. */
export function useFollowJob(service: JobService, jobId: string, options: { initial?: JobRead; onFinished?: (job: JobRead) => void } = {}) {
  const api = useApi();
  const [latest, setLatest] = useState<JobRead | null>(null);
  const [failure, setFailure] = useState<{ jobId: string; error: unknown } | null>(null);
  const [mode, setMode] = useState<FollowMode>("stream");
  const onFinished = useRef(options.onFinished);
  useEffect(() => {
    onFinished.current = options.onFinished;
  });

  useEffect(() => {
    const controller = new AbortController();
    const paths = jobPaths(service, jobId);
    followJob({
      fetch: authFetchFor(api),
      jobUrl: paths.get,
      eventsUrl: paths.events,
      signal: controller.signal,
      onUpdate: setLatest,
      onMode: setMode,
    }).then(
      (finished) => {
        if (finished) onFinished.current?.(finished);
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setFailure({ jobId, error: e });
      },
    );
    return () => controller.abort();
  }, [api, service, jobId]);

  // State of another job (the id changed) is not shown while the new one loads.
  const job = latest?.id === jobId ? latest : options.initial?.id === jobId ? options.initial : null;
  const error = failure?.jobId === jobId ? failure.error : null;
  return { job, error, mode, setJob: setLatest };
}

/** Ticks every second while `active`, for the elapsed time. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function DefaultResult({ result }: { result: Record<string, unknown> }) {
  return (
    <dl className="facts" data-testid="job-result">
      {Object.entries(result).map(([key, value]) => (
        <div key={key} style={{ display: "contents" }}>
          <dt>{key}</dt>
          <dd>{typeof value === "number" ? formatNumber(value) : typeof value === "string" ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function JobProgress({
  service,
  jobId,
  initial,
  onFinished,
  renderResult,
  fileLabel,
  onUpdate,
}: {
  service: JobService;
  jobId: string;
  initial?: JobRead;
  onFinished?: (job: JobRead) => void;
  /** The result summary in the domain's words; a plain key/value list otherwise. */
  renderResult?: (result: Record<string, unknown>, job: JobRead) => ReactNode;
  /** A domain name for an output file (e.g. "Отчёт об ошибках"), else its file name. */
  fileLabel?: (file: JobRead["files"][number], job: JobRead) => ReactNode;
  /** Every state the job passes through (e.g. for a page title). */
  onUpdate?: (job: JobRead) => void;
}) {
  const api = useApi();
  const { lang } = useI18n();
  const text = TEXT[lang];
  const { job, error, mode, setJob } = useFollowJob(service, jobId, { initial, onFinished });
  const [cancelError, setCancelError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const running = job !== null && !isTerminal(job);
  const now = useNow(running);
  useEffect(() => {
    if (job) onUpdate?.(job);
  }, [job, onUpdate]);

  if (!job) return error ? <ErrorState error={error} /> : <Loading />;

  const percent = job.status === "succeeded" ? 100 : job.status === "queued" ? null : job.percent;
  const elapsed = elapsedMs(job.started_at ?? job.created_at, job.finished_at, now);
  const outputs = job.files.filter((f) => f.role === "output");
  const paths = jobPaths(service, job.id);

  const cancel = async () => {
    setCancelling(true);
    setCancelError(null);
    try {
      setJob(await cancelJob(authFetchFor(api), service, job.id));
    } catch (e) {
      setCancelError(e);
    } finally {
      setCancelling(false);
    }
  };

  return (
    <section className="job" data-testid="job-progress" data-status={job.status} aria-label={job.title}>
      <div className="job-head">
        <strong>{job.title}</strong>
        <JobStatusChip status={job.status} />
      </div>
      {job.status !== "failed" && job.status !== "cancelled" && (
        <ProgressBar percent={percent} label={text.progress} testId="job-progress-bar" detail={job.stage ?? undefined} />
      )}
      <dl className="facts">
        {job.stage && (
          <>
            <dt>{text.stage}</dt>
            <dd data-testid="job-stage">{job.stage}</dd>
          </>
        )}
        {job.progress_done > 0 && (
          <>
            <dt>{text.done}</dt>
            <dd data-testid="job-done">
              {formatNumber(job.progress_done)}
              {job.progress_total ? ` ${text.of} ${formatNumber(job.progress_total)}` : ""}
            </dd>
          </>
        )}
        {elapsed !== null && (
          <>
            <dt>{text.elapsed}</dt>
            <dd data-testid="job-elapsed">{formatElapsed(elapsed)}</dd>
          </>
        )}
        {job.finished_at && (
          <>
            <dt>{text.finished}</dt>
            <dd>{formatDateTime(job.finished_at)}</dd>
          </>
        )}
      </dl>
      {job.error && (
        <div className="state state-error" role="alert" data-testid="job-error">
          <strong>{job.error.title}</strong>
          {job.error.detail && <p>{job.error.detail}</p>}
        </div>
      )}
      {job.result && Object.keys(job.result).length > 0 && (
        <div>
          <h3>{text.result}</h3>
          {renderResult ? renderResult(job.result, job) : <DefaultResult result={job.result} />}
        </div>
      )}
      {outputs.length > 0 && (
        <div>
          <h3>{text.files}</h3>
          <ul className="job-files">
            {outputs.map((f) => (
              <li key={f.id}>
                <DownloadButton url={paths.file(f.id)} testId={`job-file-${f.name}`}>
                  {fileLabel ? fileLabel(f, job) : f.name}
                </DownloadButton>{" "}
                <span className="muted">
                  {f.name} · {formatBytes(f.size, lang)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {running && (
        <div className="actions">
          <button type="button" className="danger" disabled={cancelling} onClick={() => void cancel()}>
            {text.cancel}
          </button>
        </div>
      )}
      {mode === "poll" && running && <p className="muted">{text.polling}</p>}
      {error !== null && <ErrorState error={error} />}
      {cancelError !== null && <ErrorState error={cancelError} />}
    </section>
  );
}
