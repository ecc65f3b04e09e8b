/**
 * Import of a new version of a dictionary: version number and start date, the file (CSV or
 * JSON as the NSI portal exports it) uploaded with progress, then the import job followed
 * live, ending with links to the new version, its diff and the downloadable reports.
 */
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import type { JobRead } from "../../api/jobs";
import { RequirePermission } from "../../app/guards";
import { formatNumber } from "../../app/format";
import { FileUpload } from "../../components/FileUpload";
import { JobProgress } from "../../components/JobProgress";
import type { AcceptedType } from "../../components/fileCheck";
import { QueryState } from "../../components/states";
import { importResultOf } from "./diff";
import { importUrl, useDictionary, useInvalidateNsi, type DictionaryDetail } from "./hooks";
import { useNsiText } from "./messages";
import { todayIso } from "./EntriesSection";
import { Crumbs } from "./Crumbs";
import "./nsi.css";

const ACCEPT: AcceptedType[] = [
  { extension: ".csv", mediaType: "text/csv" },
  { extension: ".json", mediaType: "application/json" },
];
/** The registry's limit for NSI files (registry/nsi/endpoints.py MAX_IMPORT_BYTES). */
const MAX_BYTES = 100 * 1024 * 1024;
const VERSION_PATTERN = /^[0-9A-Za-z._-]{1,40}$/;

export default function ImportPage() {
  return (
    <RequirePermission anyOf={["registry.nsi:write"]}>
      <ImportForm />
    </RequirePermission>
  );
}

function columnsOf(d: DictionaryDetail): string {
  return Object.values(d.columns)
    .filter((c): c is string => typeof c === "string")
    .join(", ");
}

function ImportForm() {
  const { code = "" } = useParams();
  const t = useNsiText();
  const [search, setSearch] = useSearchParams();
  const jobId = search.get("job");
  const dictionary = useDictionary(code);
  const invalidate = useInvalidateNsi();
  const [version, setVersion] = useState("");
  const [validFrom, setValidFrom] = useState(todayIso());
  const [submitted, setSubmitted] = useState<JobRead | null>(null);
  const base = `/nsi/${encodeURIComponent(code)}`;
  const ready = VERSION_PATTERN.test(version) && validFrom !== "";

  const renderResult = (result: Record<string, unknown>) => {
    const r = importResultOf(result);
    const diffLink = r.version
      ? `${base}/diff?to=${encodeURIComponent(r.version)}${r.previousVersion ? `&from=${encodeURIComponent(r.previousVersion)}` : ""}`
      : null;
    return (
      <div className="import-result" data-testid="import-result">
        {r.message && <p>{r.message}</p>}
        <dl className="facts">
          {r.rowsImported !== null && (
            <>
              <dt>{t("nsi.result.imported")}</dt>
              <dd data-testid="rows-imported">{formatNumber(r.rowsImported)}</dd>
            </>
          )}
          {r.rowsRejected !== null && (
            <>
              <dt>{t("nsi.result.rejected")}</dt>
              <dd data-testid="rows-rejected">{formatNumber(r.rowsRejected)}</dd>
            </>
          )}
          {r.previousVersion && (
            <>
              <dt>{t("nsi.result.previous")}</dt>
              <dd data-testid="result-previous">{r.previousVersion}</dd>
            </>
          )}
          {r.diff && (
            <>
              <dt>{t("nsi.added")}</dt>
              <dd data-testid="result-added">{formatNumber(r.diff.added)}</dd>
              <dt>{t("nsi.removed")}</dt>
              <dd data-testid="result-removed">{formatNumber(r.diff.removed)}</dd>
              <dt>{t("nsi.changed")}</dt>
              <dd data-testid="result-changed">{formatNumber(r.diff.changed)}</dd>
            </>
          )}
        </dl>
        {r.created && r.version && (
          <div className="links">
            <Link to={`${base}?version=${encodeURIComponent(r.version)}`}>{t("nsi.result.openVersion", { version: r.version })}</Link>
            {diffLink && (
              <Link to={diffLink}>{t("nsi.result.openDiff", { version: r.previousVersion ?? t("nsi.diffEmptyFrom") })}</Link>
            )}
          </div>
        )}
      </div>
    );
  };

  const fileLabel = (file: JobRead["files"][number], job: JobRead) => {
    const r = job.result ? importResultOf(job.result) : null;
    if (r?.errorFileId === file.id) return t("nsi.file.errors");
    if (r?.diffFileId === file.id) return t("nsi.file.diff");
    return file.name;
  };

  return (
    <section>
      <Crumbs>
        <Link to="/nsi">{t("nsi.back")}</Link>
        <Link to={base}>{code}</Link>
        <span>{t("nsi.import")}</span>
      </Crumbs>
      <QueryState query={dictionary}>
        {(d) => (
          <>
            <h1>{t("nsi.importTitle", { name: d.name })}</h1>
            {jobId ? (
              <>
                <JobProgress
                  service="registry"
                  jobId={jobId}
                  initial={submitted?.id === jobId ? submitted : undefined}
                  onFinished={() => void invalidate()}
                  renderResult={renderResult}
                  fileLabel={fileLabel}
                />
                <button type="button" onClick={() => setSearch({}, { replace: false })}>
                  {t("nsi.importAnother")}
                </button>
              </>
            ) : (
              <>
                <p className="muted">{t("nsi.importIntro", { columns: columnsOf(d) })}</p>
                <div className="inline-form">
                  <label>
                    {t("nsi.newVersion")}
                    <input
                      value={version}
                      onChange={(e) => setVersion(e.target.value.trim())}
                      pattern="[0-9A-Za-z._\-]{1,40}"
                      maxLength={40}
                      required
                      aria-describedby="version-hint"
                    />
                    <span id="version-hint" className="muted">
                      {t("nsi.newVersionHint")}
                    </span>
                  </label>
                  <label>
                    {t("nsi.newValidFrom")}
                    <input type="date" value={validFrom} onChange={(e) => setValidFrom(e.target.value)} required />
                  </label>
                </div>
                <FileUpload<JobRead>
                  label={t("nsi.file")}
                  accept={ACCEPT}
                  maxBytes={MAX_BYTES}
                  url={importUrl(code, version, validFrom)}
                  disabled={!ready}
                  hint={ready ? undefined : t("nsi.fillFirst")}
                  submitLabel={t("nsi.upload")}
                  onUploaded={(job) => {
                    setSubmitted(job);
                    setSearch({ job: job.id });
                  }}
                />
              </>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
