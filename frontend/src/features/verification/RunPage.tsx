/**
 * /verification/runs/:runId — one run: its stages (live while it runs), KPI tiles (register
 * size, excluded, review, updates, months, savings at the year's tariff), the sources' answers
 * and records it was checked against, exclusions by reason
 * and outcomes as charts, the outcomes by person with filters (outcome, reason, district) and
 * each person's evidence, and the file rows the loading rejected.
 */
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import type { JobRead } from "../../api/jobs";
import { useMe } from "../../app/auth";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "../../app/format";
import { BarChart, PieChart } from "../../components/charts/charts";
import { DataTable, Pager, type Column } from "../../components/DataTable";
import { DownloadButton } from "../../components/DownloadButton";
import { JobProgress } from "../../components/JobProgress";
import { KpiTile } from "../../components/KpiTile";
import { EmptyState, ErrorState, QueryState } from "../../components/states";
import { EvidencePanel, personName } from "./EvidencePanel";
import {
  useInvalidateVerification,
  useOutcomes,
  useRun,
  useExport,
  useRunRejections,
  useRunSavings,
  useTariffs,
  type OutcomeQuery,
  type OutcomeRead,
  type RunRead,
  type RunRejection,
} from "./hooks";
import { isFinished, runFigures, savingsOf, sourcesUsed, type SourceUse } from "./runView";
import { VERIFICATION_SECTIONS } from "./sections";
import { StageStrip } from "./StageStrip";
import { StatisticsSection } from "./StatisticsSection";
import { OUTCOME_CODES, REASON_CODES, codeTitle, useVerText } from "./texts";
import "./verification.css";

export default function RunPage() {
  const { runId = "" } = useParams();
  const run = useRun(runId);
  return <QueryState query={run}>{(r) => <RunView run={r} />}</QueryState>;
}

function RunView({ run }: { run: RunRead }) {
  const t = useVerText();
  const invalidate = useInvalidateVerification();
  const running = run.status === "queued" || run.status === "running";
  return (
    <section>
      <p>
        <Link to={VERIFICATION_SECTIONS.runs.to}>← {t("ver.runs.title")}</Link>
      </p>
      <h1>{t("ver.run.title", { from: formatDate(run.period_from), to: formatDate(run.period_to) })}</h1>
      <p className="muted">{t("ver.run.meta", {
          asOf: formatDate(run.as_of),
          source: t(run.register_source === "registry" ? "ver.run.source.registry" : "ver.run.source.file"),
          created: formatDateTime(run.created_at),
          by: run.created_by,
        })}</p>
      <StageStrip run={run} />
      {running && run.job_id && <JobProgress service="verification" jobId={run.job_id} onFinished={() => void invalidate()} />}
      {run.status === "failed" && <p role="alert">{t("ver.run.failed", { error: errorText(run.error) })}</p>}
      <SourcesUsedSection run={run} />
      {isFinished(run) ? (
        <>
          <RunKpis run={run} />
          <p>
            <Link to={`/verification/runs/${run.id}/review`} data-testid="open-review">
              {t("ver.review.open", { count: formatNumber(runFigures(run).outcomes.review ?? 0) })}
            </Link>
          </p>
          <RunCharts run={run} />
          <SavingsSection run={run} />
          <StatisticsSection runId={run.id} />
          <ExportsSection run={run} />
          <OutcomesSection runId={run.id} />
        </>
      ) : (
        !running && <EmptyState>{t("ver.run.notFinished")}</EmptyState>
      )}
      <RejectionsSection runId={run.id} />
    </section>
  );
}

function RunKpis({ run }: { run: RunRead }) {
  const t = useVerText();
  const me = useMe();
  const canSavings = me.permissions.includes("verification.savings:read");
  const tariffs = useTariffs(canSavings);
  // The server's savings (every year of the period at its own tariff) when it answers; else
  // the estimate at the tariff of the period's first year.
  const server = useRunSavings(run.id, canSavings);
  const f = runFigures(run);
  const year = Number(run.period_from.slice(0, 4));
  const tariff = tariffs.data?.find((x) => x.year === year);
  const months = f.monthsExcluded ?? 0;
  return (
    <div className="ver-kpis" data-testid="run-kpis">
      <KpiTile label={t("ver.kpi.entries")} value={formatNumber(f.entries)} />
      <KpiTile label={t("ver.kpi.excluded")} value={formatNumber(f.outcomes.exclude ?? 0)} />
      <KpiTile label={t("ver.kpi.review")} value={formatNumber(f.outcomes.review ?? 0)} />
      <KpiTile label={t("ver.kpi.updated")} value={formatNumber(f.outcomes.update ?? 0)} />
      <KpiTile label={t("ver.kpi.months")} value={formatNumber(f.monthsExcluded)} />
      {canSavings && (
        <KpiTile
          label={t("ver.kpi.savings")}
          value={
            server.data ? formatMoney(server.data.total.amount) : tariff ? formatMoney(savingsOf(months, tariff.monthly)) : tariffs.isPending ? null : "—"
          }
          hint={
            tariff
              ? t("ver.kpi.savingsHint", { months: formatNumber(months), monthly: formatMoney(tariff.monthly), year })
              : tariffs.isPending
                ? undefined
                : t("ver.kpi.noTariff", { year })
          }
          to={VERIFICATION_SECTIONS.tariffs.to}
        />
      )}
    </div>
  );
}

/** The sources the run was checked against, as its scoring stage counted them (shown once
 * that stage is done; nothing for a run scored before these counts existed). */
function SourcesUsedSection({ run }: { run: RunRead }) {
  const t = useVerText();
  const rows = sourcesUsed(run);
  if (rows.length === 0) return null;
  const columns: Column<SourceUse>[] = [
    { key: "source", header: t("ver.col.source"), cell: (s) => codeTitle(t, "source", s.code) },
    { key: "batches", header: t("ver.col.batches"), align: "right", cell: (s) => formatNumber(s.batches) },
    { key: "records", header: t("ver.col.records"), align: "right", cell: (s) => formatNumber(s.records) },
    { key: "pairs", header: t("ver.col.pairs"), align: "right", cell: (s) => formatNumber(s.pairs) },
  ];
  return (
    <section aria-labelledby="ver-sources-used" data-testid="run-sources">
      <h2 id="ver-sources-used">{t("ver.run.sources")}</h2>
      <p className="muted">{t("ver.run.sourcesHint")}</p>
      <DataTable columns={columns} rows={rows} rowKey={(s) => s.code} label={t("ver.run.sources")} />
    </section>
  );
}

function RunCharts({ run }: { run: RunRead }) {
  const t = useVerText();
  const f = runFigures(run);
  const byReason = REASON_CODES.filter((r) => f.excludedByReason[r]).map((r) => ({ label: codeTitle(t, "reason", r), value: f.excludedByReason[r]! }));
  const outcomes = OUTCOME_CODES.filter((o) => f.outcomes[o]).map((o) => ({ label: codeTitle(t, "outcome", o), value: f.outcomes[o]! }));
  return (
    <div className="dashboard-grid">
      <BarChart title={t("ver.chart.byReason")} data={byReason} valueLabel={t("ver.chart.persons")} horizontal testId="chart-by-reason" />
      <PieChart title={t("ver.chart.outcomes")} data={outcomes} valueLabel={t("ver.chart.persons")} testId="chart-outcomes" />
    </div>
  );
}

/** The server's savings of the run (D's arithmetic, F's report): by reason and district, and
 * the next year's appropriation forecast from the actual register. */
function SavingsSection({ run }: { run: RunRead }) {
  const t = useVerText();
  const me = useMe();
  const can = me.permissions.includes("verification.savings:read");
  const savings = useRunSavings(run.id, can);
  if (!can) return null;
  const rub = (v: number) => formatMoney(v);
  return (
    <section aria-labelledby="ver-savings" data-testid="run-savings">
      <h2 id="ver-savings">{t("ver.savings.title")}</h2>
      <QueryState query={savings}>
        {(s) => (
          <>
            <div className="ver-kpis">
              <KpiTile
                label={t("ver.savings.total")}
                value={formatMoney(s.total.amount)}
                hint={t("ver.savings.totalHint", { persons: formatNumber(s.total.persons), months: formatNumber(s.total.months) })}
              />
              <KpiTile
                label={t("ver.savings.forecast", { year: s.forecast.year })}
                value={s.forecast.amount ? formatMoney(s.forecast.amount) : "—"}
                hint={
                  s.forecast.per_capita
                    ? t("ver.savings.forecastHint", { persons: formatNumber(s.forecast.actual_register), perCapita: formatMoney(s.forecast.per_capita) })
                    : (s.forecast.note ?? undefined)
                }
              />
            </div>
            {s.note && <p className="muted">{s.note}</p>}
            <div className="dashboard-grid">
              <BarChart
                title={t("ver.savings.byReason")}
                data={s.by_reason.filter((l) => Number(l.amount) > 0).map((l) => ({ label: l.title, value: Number(l.amount) }))}
                format={rub}
                horizontal
                testId="chart-savings-reason"
              />
              <BarChart
                title={t("ver.savings.byDistrict")}
                data={s.by_district
                  .filter((l) => Number(l.amount) > 0)
                  .map((l) => ({ label: l.key ? t("ver.savings.district", { code: l.key }) : t("ver.savings.noDistrict"), value: Number(l.amount) }))}
                format={rub}
                testId="chart-savings-district"
              />
            </div>
          </>
        )}
      </QueryState>
    </section>
  );
}

/** The actual register and the exclusion list as export jobs (their files downloadable from the
 * job), the statistical report as a direct download. */
function ExportsSection({ run }: { run: RunRead }) {
  const t = useVerText();
  const me = useMe();
  const start = useExport(run.id);
  const [job, setJob] = useState<JobRead | null>(null);
  const canSavings = me.permissions.includes("verification.savings:read");
  const exportOf = (what: "actual-register" | "exclusions", format: "csv" | "xlsx" | "xml") =>
    start.mutate({ what, format }, { onSuccess: (answer) => setJob(answer) });
  return (
    <section aria-labelledby="ver-exports" data-testid="run-exports">
      <h2 id="ver-exports">{t("ver.exports.title")}</h2>
      <div className="ver-form">
        <span>{t("ver.exports.actual")}:</span>
        {(["csv", "xlsx", "xml"] as const).map((f) => (
          <button key={f} type="button" disabled={start.isPending} onClick={() => exportOf("actual-register", f)} data-testid={`export-actual-${f}`}>
            {f.toUpperCase()}
          </button>
        ))}
        <span>{t("ver.exports.exclusions")}:</span>
        {(["csv", "xlsx"] as const).map((f) => (
          <button key={f} type="button" disabled={start.isPending} onClick={() => exportOf("exclusions", f)} data-testid={`export-exclusions-${f}`}>
            {f.toUpperCase()}
          </button>
        ))}
        {canSavings && (
          <>
            <span>{t("ver.exports.report")}:</span>
            <DownloadButton url={`/api/verification/runs/${run.id}/report.xlsx`} testId="report-xlsx">
              XLSX
            </DownloadButton>
            <DownloadButton url={`/api/verification/runs/${run.id}/report.pdf`} testId="report-pdf">
              PDF
            </DownloadButton>
          </>
        )}
      </div>
      {start.error && <ErrorState error={start.error} />}
      {job && <JobProgress key={job.id} service="verification" jobId={job.id} initial={job} />}
    </section>
  );
}

const LIMIT_DEFAULT = 25;

function errorText(error: RunRead["error"]): string {
  const detail = error?.detail ?? error?.title;
  return typeof detail === "string" ? detail : "";
}

function OutcomesSection({ runId }: { runId: string }) {
  const t = useVerText();
  const [search, setSearch] = useSearchParams();
  const query: OutcomeQuery = {
    outcome: (OUTCOME_CODES as readonly string[]).includes(search.get("outcome") ?? "") ? (search.get("outcome") as OutcomeQuery["outcome"]) : undefined,
    reason: search.get("reason") || undefined,
    district: search.get("district") || undefined,
    limit: Number(search.get("limit")) || LIMIT_DEFAULT,
    offset: Number(search.get("offset")) || 0,
  };
  const [district, setDistrict] = useState(query.district ?? "");
  const [open, setOpen] = useState<string | null>(null);
  const outcomes = useOutcomes(runId, query);

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!("offset" in changes)) next.delete("offset");
    setSearch(next, { replace: true });
    setOpen(null);
  };

  const columns: Column<OutcomeRead>[] = [
    { key: "person", header: t("ver.col.person"), cell: (o) => personName(o.person) },
    { key: "birth", header: t("ver.col.birth"), cell: (o) => formatDate(o.person.birth_date) },
    { key: "snils", header: t("ver.col.snils"), cell: (o) => o.person.snils ?? "—" },
    { key: "district", header: t("ver.col.district"), cell: (o) => o.person.district ?? "—" },
    { key: "outcome", header: t("ver.col.outcome"), cell: (o) => codeTitle(t, "outcome", o.outcome) },
    { key: "reason", header: t("ver.col.reason"), cell: (o) => (o.reasons.length ? o.reasons.map((r) => codeTitle(t, "reason", r)).join(", ") : codeTitle(t, "reason", o.reason)) },
    { key: "months", header: t("ver.col.months"), align: "right", cell: (o) => formatNumber(o.months_excluded) },
    {
      key: "evidence",
      header: t("ver.evidence.show"),
      cell: (o) => (
        <button type="button" aria-expanded={open === o.subject_id} onClick={() => setOpen(open === o.subject_id ? null : o.subject_id)}>
          {t("ver.evidence.show")}
        </button>
      ),
    },
  ];

  return (
    <section aria-labelledby="ver-outcomes">
      <h2 id="ver-outcomes">{t("ver.outcomes")}</h2>
      <form
        className="ver-filters"
        onSubmit={(e) => {
          e.preventDefault();
          update({ district: district.trim() || undefined });
        }}
      >
        <label>
          {t("ver.filter.outcome")}
          <select value={query.outcome ?? ""} onChange={(e) => update({ outcome: e.target.value || undefined })}>
            <option value="">{t("ver.filter.all")}</option>
            {OUTCOME_CODES.map((o) => (
              <option key={o} value={o}>
                {codeTitle(t, "outcome", o)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("ver.filter.reason")}
          <select value={query.reason ?? ""} onChange={(e) => update({ reason: e.target.value || undefined })}>
            <option value="">{t("ver.filter.all")}</option>
            {REASON_CODES.map((r) => (
              <option key={r} value={r}>
                {codeTitle(t, "reason", r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("ver.filter.district")}
          <input value={district} onChange={(e) => setDistrict(e.target.value)} maxLength={20} size={6} />
        </label>
        <button type="submit">{t("ver.filter.apply")}</button>
        <button
          type="button"
          onClick={() => {
            setDistrict("");
            update({ outcome: undefined, reason: undefined, district: undefined });
          }}
        >
          {t("ver.filter.reset")}
        </button>
      </form>
      <QueryState query={outcomes}>
        {(p) => {
          const selected = p.items.find((o) => o.subject_id === open);
          return (
            <>
              <DataTable columns={columns} rows={p.items} rowKey={(o) => o.subject_id} label={t("ver.outcomes")} busy={outcomes.isFetching} />
              <Pager total={p.total} limit={p.limit} offset={p.offset} onChange={(offset, limit) => update({ offset: String(offset), limit: String(limit) })} />
              {selected && <EvidencePanel outcome={selected} onClose={() => setOpen(null)} />}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

function RejectionsSection({ runId }: { runId: string }) {
  const t = useVerText();
  const [offset, setOffset] = useState(0);
  const rejections = useRunRejections(runId, offset);
  const columns: Column<RunRejection>[] = [
    { key: "row", header: t("ver.col.row"), align: "right", cell: (r) => formatNumber(r.row_no) },
    { key: "field", header: t("ver.col.field"), cell: (r) => r.field || "—" },
    { key: "message", header: t("ver.col.message"), cell: (r) => r.message },
  ];
  return (
    <section aria-labelledby="ver-rejections">
      <h2 id="ver-rejections">{t("ver.rejections")}</h2>
      <QueryState query={rejections} isEmpty={(p) => p.total === 0} empty={t("ver.rejections.none")}>
        {(p) => (
          <>
            <DataTable columns={columns} rows={p.items} rowKey={(r) => `${r.row_no}:${r.field}:${r.message}`} label={t("ver.rejections")} />
            <Pager total={p.total} limit={p.limit} offset={p.offset} onChange={(o) => setOffset(o)} />
          </>
        )}
      </QueryState>
    </section>
  );
}
