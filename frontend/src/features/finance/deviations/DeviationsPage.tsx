/**
 * /finance/deviations — what the deviation search found: filters (MO, month, kind, state) kept
 * in the URL, each deviation with its figures and explanation, acknowledging one with a
 * comment, and starting a new search (a job with progress) for those allowed to.
 */
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { ApiProblem } from "../../../api/problem";
import { formatDateTime, formatMoney, formatNumber } from "../../../app/format";
import { useHasPermission } from "../../../app/auth";
import { KpiTile } from "../../../components/charts/charts";
import { DataTable, Pager, type Column } from "../../../components/DataTable";
import { ConfirmDialog } from "../../../components/Dialog";
import { FormError } from "../../../components/Form";
import { JobProgress } from "../../../components/JobProgress";
import { ErrorState, Loading } from "../../../components/states";
import { useMos } from "../budget/hooks";
import { useAcknowledge, useDeviations, useStartSearch, type DeviationRead } from "./hooks";
import { filtersFrom, metricLabel, scoreText, totalNew, valueKind, type Filters } from "./shape";
import { useDeviationText, type DeviationKey } from "./texts";
import "../budget/budget.css";

const KINDS = ["month_on_month", "peer_group", "rule"] as const;
const STATUSES = ["new", "acknowledged"] as const;

function figure(metric: string, value: string | null | undefined): string {
  if (value == null) return "—";
  return valueKind(metric) === "share" ? `${formatNumber(Number(value) * 100, 1)} %` : formatMoney(value);
}

export default function DeviationsPage() {
  const t = useDeviationText();
  const can = useHasPermission();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const [page, setPage] = useState({ limit: 50, offset: 0 });
  const mos = useMos();
  const list = useDeviations(filters, page.limit, page.offset);
  const [acking, setAcking] = useState<DeviationRead | null>(null);
  const [comment, setComment] = useState("");
  const acknowledge = useAcknowledge();
  const search = useStartSearch();
  const [jobId, setJobId] = useState<string | null>(null);
  const canWrite = can("finance.deviation:write");
  const canSearch = can("finance.deviation:search");

  const setFilter = (key: keyof Filters, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
    setPage((p) => ({ ...p, offset: 0 }));
  };

  if (list.error instanceof ApiProblem && list.error.status === 403) {
    return (
      <section>
        <h1>{t("fd.title")}</h1>
        <p className="muted">{t("fd.consolidatedOnly")}</p>
      </section>
    );
  }

  const columns: Column<DeviationRead>[] = [
    { key: "month", header: t("fd.col.month"), cell: (d) => d.month },
    { key: "mo", header: t("fd.col.mo"), cell: (d) => (d.mo_code ? `${d.mo_code} ${d.mo_name ?? ""}` : (d.mo_name ?? d.mo_id)) },
    { key: "kind", header: t("fd.col.kind"), cell: (d) => t(`fd.kind.${d.kind}` as DeviationKey) },
    { key: "metric", header: t("fd.col.metric"), cell: (d) => metricLabel(d.metric) },
    { key: "value", header: t("fd.col.value"), align: "right", cell: (d) => figure(d.metric, d.value) },
    { key: "expected", header: t("fd.col.expected"), align: "right", cell: (d) => figure(d.metric, d.expected) },
    { key: "score", header: t("fd.col.score"), align: "right", cell: (d) => scoreText(d.score) },
    { key: "explanation", header: t("fd.col.explanation"), cell: (d) => <span className="deviation-explanation">{d.explanation}</span> },
    {
      key: "status",
      header: t("fd.col.status"),
      cell: (d) =>
        d.status === "acknowledged" ? (
          <span title={d.comment ?? ""}>
            {t("fd.status.acknowledged")}
            <br />
            <small className="muted">{t("fd.ack.by", { by: d.acknowledged_by ?? "", at: formatDateTime(d.acknowledged_at) })}</small>
            {d.comment && (
              <>
                <br />
                <small>{d.comment}</small>
              </>
            )}
          </span>
        ) : canWrite ? (
          <button type="button" onClick={() => { setAcking(d); setComment(""); acknowledge.reset(); }}>
            {t("fd.ack")}
          </button>
        ) : (
          t("fd.status.new")
        ),
    },
  ];

  return (
    <section className="deviations-page">
      <p><Link to="/finance/analytics">{t("fd.analytics")}</Link></p>
      <h1>{t("fd.title")}</h1>
      <p className="muted">{t("fd.intro")}</p>
      {list.data && (
        <div className="kpis">
          <KpiTile label={t("fd.new")} value={formatNumber(totalNew(list.data.new_by_kind))} />
          {KINDS.map((k) => (
            <KpiTile key={k} label={t(`fd.kind.${k}` as DeviationKey)} value={formatNumber(list.data.new_by_kind[k] ?? 0)} />
          ))}
        </div>
      )}
      <div className="budget-toolbar" role="group" aria-label={t("fd.title")}>
        {mos.data && mos.data.length > 1 && (
          <label>
            {t("fd.mo")}{" "}
            <select value={filters.mo_id} onChange={(e) => setFilter("mo_id", e.target.value)}>
              <option value="">{t("fd.allMos")}</option>
              {mos.data.map((m) => (
                <option key={m.id} value={m.id}>{m.code ? `${m.code} ${m.name}` : m.name}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t("fd.month")} <input type="month" value={filters.month} onChange={(e) => setFilter("month", e.target.value)} />
        </label>
        <label>
          {t("fd.kind")}{" "}
          <select value={filters.kind} onChange={(e) => setFilter("kind", e.target.value)}>
            <option value="">{t("fd.any")}</option>
            {KINDS.map((k) => <option key={k} value={k}>{t(`fd.kind.${k}` as DeviationKey)}</option>)}
          </select>
        </label>
        <label>
          {t("fd.status")}{" "}
          <select value={filters.status} onChange={(e) => setFilter("status", e.target.value)}>
            <option value="">{t("fd.any")}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{t(`fd.status.${s}` as DeviationKey)}</option>)}
          </select>
        </label>
        {canSearch && (
          <button type="button" disabled={search.isPending || jobId !== null}
            onClick={() => search.mutate(undefined, { onSuccess: (job) => setJobId(job.id) })} title={t("fd.search.hint")}>
            {t("fd.search")}
          </button>
        )}
      </div>
      {search.error && <FormError error={search.error} />}
      {jobId && (
        <JobProgress service="finance" jobId={jobId} onFinished={() => { setJobId(null); void list.refetch(); }} />
      )}
      {list.isPending ? (
        <Loading />
      ) : list.error || !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <p className="muted">{t("fd.none")}</p>
      ) : (
        <>
          <DataTable columns={columns} rows={list.data.items} rowKey={(d) => d.id} label={t("fd.title")} busy={list.isFetching} />
          <Pager total={list.data.total} limit={list.data.limit} offset={list.data.offset} onChange={(offset, limit) => setPage({ offset, limit })} />
        </>
      )}
      <ConfirmDialog
        open={acking !== null}
        title={t("fd.ack.title")}
        confirmLabel={t("fd.ack.save")}
        busy={acknowledge.isPending}
        onCancel={() => setAcking(null)}
        onConfirm={() => acking && acknowledge.mutate({ id: acking.id, comment }, { onSuccess: () => setAcking(null) })}
      >
        {acking && <p>{acking.explanation}</p>}
        <label className="field">
          {t("fd.ack.comment")}
          <textarea value={comment} maxLength={2000} rows={3} onChange={(e) => setComment(e.target.value)} />
        </label>
        {acknowledge.error && <FormError error={acknowledge.error} />}
      </ConfirmDialog>
    </section>
  );
}
