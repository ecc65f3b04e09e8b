/**
 * /verification/runs/new: the period, the as-of date and an optional previous run (an
 * incremental re-run), and where the register comes from — the register file from TFOMS
 * (uploaded) or the register of insured persons (the persons non-working on the as-of date,
 * read by the service itself: POST /runs/from-registry); then the run's job followed live
 * (JobProgress) beside its five stages, ending with a link to the results.
 */
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { formatDate } from "../../app/format";
import { FileUpload } from "../../components/FileUpload";
import { JobProgress } from "../../components/JobProgress";
import { ErrorState } from "../../components/states";
import type { AcceptedType } from "../../components/fileCheck";
import { startRunUrl, useInvalidateVerification, useRun, useRuns, useStartRegistryRun, type RunRead } from "./hooks";
import { isFinished } from "./runView";
import { StageStrip } from "./StageStrip";
import { useVerText } from "./texts";
import "./verification.css";

const ACCEPT: AcceptedType[] = [
  { extension: ".csv", mediaType: "text/csv" },
  { extension: ".xlsx", mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  { extension: ".xml", mediaType: "application/xml" },
];

type Source = "file" | "registry";

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
  const [source, setSource] = useState<Source>("file");
  const fromRegistry = useStartRegistryRun();
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
          <fieldset className="ver-source">
            <legend>{t("ver.start.source")}</legend>
            {(["file", "registry"] as const).map((value) => (
              <label key={value}>
                <input type="radio" name="register-source" value={value} checked={source === value} onChange={() => setSource(value)} />
                {t(value === "file" ? "ver.start.sourceFile" : "ver.start.sourceRegistry")}
              </label>
            ))}
          </fieldset>
          <p className="muted">{t(source === "file" ? "ver.start.intro" : "ver.start.registryIntro")}</p>
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
          {source === "file" ? (
            <FileUpload<RunRead>
              label={t("ver.start.file")}
              accept={ACCEPT}
              url={startRunUrl({ periodFrom, periodTo, asOf, previousRunId })}
              disabled={!ready}
              hint={ready ? undefined : t("ver.start.fillFirst")}
              submitLabel={t("ver.start.submit")}
              onUploaded={(run) => setSearch({ run: run.id, job: run.job_id ?? "" })}
            />
          ) : (
            <form
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                fromRegistry.mutate(
                  { period_from: periodFrom, period_to: periodTo, as_of: asOf, previous_run_id: previousRunId || null },
                  { onSuccess: (run) => setSearch({ run: run.id, job: run.job_id ?? "" }) },
                );
              }}
            >
              {!ready && <p className="muted">{t("ver.start.fillFirst")}</p>}
              <button type="submit" disabled={!ready || fromRegistry.isPending}>
                {t("ver.start.submitRegistry")}
              </button>
              {fromRegistry.error && <ErrorState error={fromRegistry.error} />}
            </form>
          )}
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
