/**
 * /pharmacy/beneficiaries/federal-register — the federal register of beneficiaries: its file
 * loaded as a job (`POST /federal-register/loads`), then the re-matching of the beneficiaries
 * still without a registry person (`POST /federal-register/matching`, «Сопоставить с регистром»).
 * Both jobs followed live (JobProgress); each result shows the matching's report — matched, not
 * found, birth date mismatch, ambiguous, or why it was not done (the registry unavailable) — and
 * offers its CSV report (diff-report.csv, matching-report.csv). Both need pharmacy.beneficiary:write.
 */
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { unwrap } from "../../../api/client";
import type { JobRead } from "../../../api/jobs";
import { useApi } from "../../../app/auth";
import { formatNumber } from "../../../app/format";
import { FileUpload } from "../../../components/FileUpload";
import { JobProgress } from "../../../components/JobProgress";
import type { AcceptedType } from "../../../components/fileCheck";
import { ErrorState } from "../../../components/states";
import { isoDay } from "./shape";
import { matchingOf, type Matching } from "./matching";
import { useBeneficiaryText, type BeneficiaryText } from "./texts";
import "./beneficiaries.css";

const ACCEPT: AcceptedType[] = [
  { extension: ".csv", mediaType: "text/csv" },
  { extension: ".xml", mediaType: "application/xml" },
];

export const WRITE = "pharmacy.beneficiary:write";

/** Labelled counts as a definition list. */
function Counts({ rows }: { rows: [string, number][] }) {
  return (
    <dl className="facts">
      {rows.map(([label, value]) => (
        <div key={label} style={{ display: "contents" }}>
          <dt>{label}</dt>
          <dd>{formatNumber(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The matching's part of a load's or a re-matching's result. */
export function MatchingReport({ matching, t }: { matching: Matching; t: BeneficiaryText }) {
  if (matching.status === "unavailable") {
    return (
      <div className="matching-report" data-testid="matching-report" data-status="unavailable">
        <p role="alert" className="matching-unavailable">
          <strong>{t("bn.fr.matching.notDone")}</strong>: {matching.title}
          {matching.detail ? `. ${matching.detail}` : ""}
        </p>
        <p>{t("bn.fr.matching.left", { count: formatNumber(matching.unmatched) })}</p>
      </div>
    );
  }
  if (matching.status === "not_needed") {
    return (
      <p className="matching-report muted" data-testid="matching-report" data-status="not_needed">
        {t("bn.fr.matching.notNeeded")}
      </p>
    );
  }
  const rows: [string, number][] = [
    [t("bn.fr.matching.matched"), matching.matched],
    [t("bn.fr.matching.notFound"), matching.reasons.not_found ?? 0],
    [t("bn.fr.matching.birthMismatch"), matching.reasons.birth_date_mismatch ?? 0],
    [t("bn.fr.matching.ambiguous"), matching.reasons.ambiguous ?? 0],
  ];
  if (matching.reasons.other_snils) rows.push([t("bn.fr.matching.otherSnils"), matching.reasons.other_snils]);
  return (
    <section className="matching-report" data-testid="matching-report" data-status={matching.status} aria-label={t("bn.fr.matching.title")}>
      <h3>{t("bn.fr.matching.title")}</h3>
      <Counts rows={rows} />
    </section>
  );
}

function LoadResult({ result, t }: { result: Record<string, unknown>; t: BeneficiaryText }) {
  const count = (key: string) => {
    const value = result[key];
    return typeof value === "number" ? value : 0;
  };
  const matching = matchingOf(result.matching);
  const rows: [string, number][] = [
    [t("bn.fr.load.lines"), count("lines")],
    [t("bn.fr.load.new"), count("new")],
    [t("bn.fr.load.changed"), count("changed")],
    [t("bn.fr.load.ended"), count("ended")],
    [t("bn.fr.load.unchanged"), count("unchanged")],
    [t("bn.fr.load.refusals"), count("refusals")],
    [t("bn.fr.load.problems"), count("problems")],
  ];
  return (
    <div data-testid="load-result">
      <Counts rows={rows} />
      {matching && <MatchingReport matching={matching} t={t} />}
    </div>
  );
}

export default function FederalRegisterPage() {
  const t = useBeneficiaryText();
  const api = useApi();
  const [search, setSearch] = useSearchParams();
  const loadJob = search.get("load");
  const matchJob = search.get("match");
  const [asOf, setAsOf] = useState(isoDay());
  const [submitted, setSubmitted] = useState<JobRead | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);

  // The load's and the re-matching's jobs live side by side in the address: starting one keeps
  // the other's result on the page.
  const follow = (key: "load" | "match", id: string | null) =>
    setSearch((prev) => {
      const next = new URLSearchParams(prev);
      if (id === null) next.delete(key);
      else next.set(key, id);
      return next;
    });

  const startMatching = async () => {
    setStarting(true);
    setStartError(null);
    try {
      const job: JobRead = await unwrap(api.pharmacy.POST("/federal-register/matching"));
      setSubmitted(job);
      follow("match", job.id);
    } catch (e) {
      setStartError(e);
    } finally {
      setStarting(false);
    }
  };

  const fileLabel = (file: JobRead["files"][number]) =>
    file.name === "matching-report.csv" ? t("bn.fr.file.matching") : file.name === "diff-report.csv" ? t("bn.fr.file.diff") : file.name;

  return (
    <section className="federal-register-page">
      <p>
        <Link to="/pharmacy/beneficiaries">{t("bn.back")}</Link>
      </p>
      <h1>{t("bn.fr.title")}</h1>
      <p className="muted">{t("bn.fr.intro")}</p>

      <section aria-labelledby="fr-load">
        <h2 id="fr-load">{t("bn.fr.load")}</h2>
        {loadJob ? (
          <>
            <JobProgress
              service="pharmacy"
              jobId={loadJob}
              initial={submitted?.id === loadJob ? submitted : undefined}
              renderResult={(result) => <LoadResult result={result} t={t} />}
              fileLabel={fileLabel}
            />
            <button type="button" onClick={() => follow("load", null)}>
              {t("bn.fr.load.another")}
            </button>
          </>
        ) : (
          <>
            <label>
              {t("bn.fr.asOf")}{" "}
              <input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} aria-describedby="fr-as-of-hint" />
            </label>
            <p id="fr-as-of-hint" className="muted">
              {t("bn.fr.asOf.hint")}
            </p>
            <FileUpload<JobRead>
              label={t("bn.fr.file")}
              accept={ACCEPT}
              url={`/api/pharmacy/federal-register/loads?${new URLSearchParams({ as_of: asOf })}`}
              disabled={asOf === ""}
              submitLabel={t("bn.fr.upload")}
              onUploaded={(job) => {
                setSubmitted(job);
                follow("load", job.id);
              }}
            />
          </>
        )}
      </section>

      <section aria-labelledby="fr-match">
        <h2 id="fr-match">{t("bn.fr.match")}</h2>
        <p className="muted">{t("bn.fr.match.intro")}</p>
        {matchJob ? (
          <JobProgress
            service="pharmacy"
            jobId={matchJob}
            initial={submitted?.id === matchJob ? submitted : undefined}
            renderResult={(result) => {
              const matching = matchingOf(result);
              return matching ? <MatchingReport matching={matching} t={t} /> : null;
            }}
            fileLabel={fileLabel}
          />
        ) : null}
        <button type="button" onClick={() => void startMatching()} disabled={starting} aria-busy={starting}>
          {t("bn.fr.match.start")}
        </button>
        {startError != null && <ErrorState error={startError} />}
      </section>
    </section>
  );
}
