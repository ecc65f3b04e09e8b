/** /verification/runs: the runs the user sees, newest first, with their stage and counts. */
import { useState } from "react";
import { Link } from "react-router-dom";
import { useMe } from "../../app/auth";
import { formatDate, formatDateTime, formatNumber } from "../../app/format";
import { LineChart } from "../../components/charts/charts";
import { DataTable, Pager, type Column } from "../../components/DataTable";
import { QueryState } from "../../components/states";
import { useRuns, useTrends, type RunRead } from "./hooks";
import { runFigures, stagesDone } from "./runView";
import { VERIFICATION_SECTIONS } from "./sections";
import { STAGE_CODES, codeTitle, useVerText } from "./texts";
import "./verification.css";

export default function RunsPage() {
  const t = useVerText();
  const me = useMe();
  const [paging, setPaging] = useState({ offset: 0, limit: 25 });
  const runs = useRuns(paging.limit, paging.offset);
  const canStart = VERIFICATION_SECTIONS.start.anyOf.some((p) => me.permissions.includes(p));

  const columns: Column<RunRead>[] = [
    {
      key: "period",
      header: t("ver.col.period"),
      cell: (r) => <Link to={`/verification/runs/${r.id}`}>{`${formatDate(r.period_from)} — ${formatDate(r.period_to)}`}</Link>,
    },
    { key: "asOf", header: t("ver.col.asOf"), cell: (r) => formatDate(r.as_of) },
    { key: "created", header: t("ver.col.created"), cell: (r) => formatDateTime(r.created_at) },
    { key: "status", header: t("ver.col.status"), cell: (r) => <span data-testid="run-status">{codeTitle(t, "status", r.status)}</span> },
    {
      key: "stage",
      header: t("ver.col.stage"),
      cell: (r) => (
        <span>
          {r.status === "running" && r.stage ? `${codeTitle(t, "stage", r.stage)} · ` : ""}
          {t("ver.stageOf", { done: stagesDone(r), total: STAGE_CODES.length })}
        </span>
      ),
    },
    { key: "entries", header: t("ver.col.entries"), align: "right", cell: (r) => formatNumber(runFigures(r).entries) },
    { key: "excluded", header: t("ver.col.excluded"), align: "right", cell: (r) => formatNumber(runFigures(r).outcomes.exclude ?? null) },
    { key: "review", header: t("ver.col.review"), align: "right", cell: (r) => formatNumber(runFigures(r).outcomes.review ?? null) },
    { key: "rejected", header: t("ver.col.rejected"), align: "right", cell: (r) => formatNumber(runFigures(r).rejectedRows) },
  ];

  return (
    <section>
      <h1>{t("ver.runs.title")}</h1>
      {canStart && (
        <p>
          <Link to={VERIFICATION_SECTIONS.start.to} className="button">
            {t("ver.start")}
          </Link>
        </p>
      )}
      <Trends />
      <QueryState query={runs} isEmpty={(p) => p.total === 0} empty={t("ver.runs.empty")}>
        {(p) => (
          <>
            <DataTable columns={columns} rows={p.items} rowKey={(r) => r.id} label={t("ver.runs.title")} busy={runs.isFetching} />
            <Pager total={p.total} limit={p.limit} offset={p.offset} onChange={(offset, limit) => setPaging({ offset, limit })} />
          </>
        )}
      </QueryState>
    </section>
  );
}

/** Register size and exclusions across the finished runs (shown from two runs on). */
function Trends() {
  const t = useVerText();
  const trends = useTrends();
  const points = trends.data?.items ?? [];
  if (points.length < 2) return null;
  return (
    <LineChart
      title={t("ver.trends.title")}
      labels={points.map((p) => formatDate(p.as_of) + (points.filter((q) => q.as_of === p.as_of).length > 1 ? ` (${formatDateTime(p.created_at)})` : ""))}
      series={[
        { label: t("ver.trends.register"), values: points.map((p) => p.register_size) },
        { label: t("ver.trends.excluded"), values: points.map((p) => p.excluded) },
      ]}
      testId="chart-trends"
      wide
    />
  );
}
