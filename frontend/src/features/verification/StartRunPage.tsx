/**
 * /verification/runs/new: the register file from TFOMS uploaded with the period, the as-of
 * date and an optional previous run (an incremental re-run); then the run's job followed live
 * (JobProgress) beside its five stages, ending with a link to the results.
 */
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { formatDate } from "../../app/format";
import { FileUpload } from "../../components/FileUpload";
import { JobProgress } from "../../components/JobProgress";
import type { AcceptedType } from "../../components/fileCheck";
import { startRunUrl, useInvalidateVerification, useRun, useRuns, type RunRead } from "./hooks";
import { isFinished } from "./runView";
import { StageStrip } from "./StageStrip";
import { useVerText } from "./texts";
import "./verification.css";

const ACCEPT: AcceptedType[] = [
  { extension: ".csv", mediaType: "text/csv" },
  { extension: ".xlsx", mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  { extension: ".xml", mediaType: "application/xml" },
];

function lastYear(): { from: string; to: string; asOf: string } {
  const year = new Date().getFullYear() - 1;
  return { from: `${year}-01-01`, to: `${year}-12-31`, asOf: `${year}-12-31` };
}

export default function StartRunPage() {
  const t = useVerText();
  const [search, setSearch] = useSearchParams();
  const runId = search.get("run");
  const defaults = lastYear();
  const [periodFrom, setPeriodFrom] = useState(defaults.from);
  const [periodTo, setPeriodTo] = useState(defaults.to);
  const [asOf, setAsOf] = useState(defaults.asOf);
  const [previousRunId, setPreviousRunId] = useState("");
  const runs = useRuns(100, 0);
  const previous = (runs.data?.items ?? []).filter(isFinished);
  const badPeriod = periodFrom !== "" && periodTo !== "" && periodTo < periodFrom;
  const ready = periodFrom !== "" && periodTo !== "" && asOf !== "" && !badPeriod;

  return (
    <section>
      <h1>{t("ver.start.title")}</h1>
      {runId ? (
        <StartedRun runId={runId} onAnother={() => setSearch({})} />
      ) : (
        <>
          <p className="muted">{t("ver.start.intro")}</p>
          <div className="ver-form">
            <label>
              {t("ver.start.periodFrom")}
              <input type="date" value={periodFrom} onChange={(e) => setPeriodFrom(e.target.value)} required />
            </label>
            <label>
              {t("ver.start.periodTo")}
              <input type="date" value={periodTo} onChange={(e) => setPeriodTo(e.target.value)} required aria-invalid={badPeriod || undefined} />
            </label>
            <label>
              {t("ver.start.asOf")}
              <input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} required />
            </label>
            <label>
              {t("ver.start.previous")}
              <select value={previousRunId} onChange={(e) => setPreviousRunId(e.target.value)}>
                <option value="">{t("ver.start.noPrevious")}</option>
                {previous.map((r) => (
                  <option key={r.id} value={r.id}>
                    {`${formatDate(r.period_from)} — ${formatDate(r.period_to)}, ${formatDate(r.as_of)}`}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {badPeriod && <p role="alert">{t("ver.start.badPeriod")}</p>}
          <FileUpload<RunRead>
            label={t("ver.start.file")}
            accept={ACCEPT}
            url={startRunUrl({ periodFrom, periodTo, asOf, previousRunId })}
            disabled={!ready}
            hint={ready ? undefined : t("ver.start.fillFirst")}
            submitLabel={t("ver.start.submit")}
            onUploaded={(run) => setSearch({ run: run.id, job: run.job_id ?? "" })}
          />
        </>
      )}
    </section>
  );
}

function StartedRun({ runId, onAnother }: { runId: string; onAnother: () => void }) {
  const t = useVerText();
  const run = useRun(runId);
  const invalidate = useInvalidateVerification();
  const jobId = run.data?.job_id;
  return (
    <>
      {run.data && <StageStrip run={run.data} />}
      {jobId && <JobProgress service="verification" jobId={jobId} onFinished={() => void invalidate()} />}
      <p className="links">
        <Link to={`/verification/runs/${runId}`} data-testid="open-run">
          {t("ver.start.openRun")}
        </Link>{" "}
        <button type="button" onClick={onAnother}>
          {t("ver.start.another")}
        </button>
      </p>
    </>
  );
}
