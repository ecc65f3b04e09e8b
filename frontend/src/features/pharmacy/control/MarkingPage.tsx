/**
 * /pharmacy/marking — the reports to the national track-and-trace system (МДЛП): filters kept in
 * the URL, counts by status as chips (a chip filters), the list, one report's XML with the
 * system's ticket and errors, and resending a failed or rejected one (same idempotency key).
 */
import { useState } from "react";
import { useSearchParams } from "react-router-dom";
import { formatDateTime, formatNumber } from "../../../app/format";
import { useHasPermission } from "../../../app/auth";
import { DataTable, Pager, type Column } from "../../../components/DataTable";
import { FormError } from "../../../components/Form";
import { ErrorState, Loading } from "../../../components/states";
import { usePharmacies, useReport, useReports, useResend, type TraceReportSummary } from "./hooks";
import { OPERATIONS, REPORT_STATUSES, canResend, chipTone, reportFiltersFrom, type ReportFilters } from "./shape";
import { useControlText, type ControlKey } from "./texts";
import "./control.css";

export function StatusChip({ status, label }: { status: string; label: string }) {
  return <span className={`chip chip-${chipTone(status)}`}>{label}</span>;
}

export default function MarkingPage() {
  const t = useControlText();
  const can = useHasPermission();
  const [params, setParams] = useSearchParams();
  const filters = reportFiltersFrom(params);
  const [page, setPage] = useState({ limit: 50, offset: 0 });
  const [shown, setShown] = useState<string | null>(null);
  const [sgtinDraft, setSgtinDraft] = useState(filters.sgtin);
  const list = useReports(filters, page.limit, page.offset);
  const pharmacies = usePharmacies();
  const names = new Map((pharmacies.data ?? []).map((o) => [o.id, o.code ? `${o.code} ${o.name}` : o.name]));
  const one = useReport(shown);
  const resend = useResend();
  const canWrite = can("pharmacy.marking:write");

  const setFilter = (key: keyof ReportFilters, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setPage((p) => ({ ...p, offset: 0 }));
  };
  const statusLabel = (s: string) => t(`pm.status.${s}` as ControlKey);
  const operationLabel = (o: string) => t(`pm.op.${o}` as ControlKey);

  const columns: Column<TraceReportSummary>[] = [
    { key: "created", header: t("pm.col.created"), cell: (r) => formatDateTime(r.created_at) },
    { key: "pharmacy", header: t("pm.pharmacy"), cell: (r) => names.get(r.pharmacy_id) ?? r.pharmacy_id },
    { key: "operation", header: t("pm.col.operation"), cell: (r) => operationLabel(r.operation) },
    { key: "packages", header: t("pm.col.packages"), align: "right", cell: (r) => formatNumber(r.sgtins.length) },
    { key: "status", header: t("pm.col.status"), cell: (r) => <StatusChip status={r.status} label={statusLabel(r.status)} /> },
    { key: "attempts", header: t("pm.col.attempts"), align: "right", cell: (r) => formatNumber(r.attempts) },
    { key: "external", header: t("pm.col.external"), cell: (r) => r.external_id ?? "—" },
    { key: "error", header: t("pm.col.error"), cell: (r) => r.error ?? "" },
    {
      key: "actions",
      header: <span className="visually-hidden">{t("pm.col.actions")}</span>,
      cell: (r) => (
        <span className="row-actions">
          <button type="button" className="link" aria-expanded={shown === r.id} onClick={() => setShown(shown === r.id ? null : r.id)}>
            {t("pm.show")}
          </button>{" "}
          {canWrite && canResend(r.status) && (
            <button type="button" disabled={resend.isPending} onClick={() => resend.mutate(r.id)}>
              {t("pm.resend")}
            </button>
          )}
        </span>
      ),
    },
  ];

  return (
    <section className="marking-page">
      <h1>{t("pm.title")}</h1>
      <p className="muted">{t("pm.intro")}</p>
      {list.data && (
        <div className="chips" role="group" aria-label={t("pm.status")}>
          {REPORT_STATUSES.map((s) => (
            <button key={s} type="button" className={`chip chip-${chipTone(s)}`} aria-pressed={filters.status === s}
              onClick={() => setFilter("status", filters.status === s ? "" : s)}>
              {statusLabel(s)}: {formatNumber(list.data.by_status[s] ?? 0)}
            </button>
          ))}
        </div>
      )}
      <div className="toolbar" role="group" aria-label={t("pm.title")}>
        <label>
          {t("pm.status")}{" "}
          <select value={filters.status} onChange={(e) => setFilter("status", e.target.value)}>
            <option value="">{t("pm.any")}</option>
            {REPORT_STATUSES.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
          </select>
        </label>
        <label>
          {t("pm.operation")}{" "}
          <select value={filters.operation} onChange={(e) => setFilter("operation", e.target.value)}>
            <option value="">{t("pm.any")}</option>
            {OPERATIONS.map((o) => <option key={o} value={o}>{operationLabel(o)}</option>)}
          </select>
        </label>
        {pharmacies.data && pharmacies.data.length > 1 && (
          <label>
            {t("pm.pharmacy")}{" "}
            <select value={filters.pharmacy_id} onChange={(e) => setFilter("pharmacy_id", e.target.value)}>
              <option value="">{t("pm.any")}</option>
              {pharmacies.data.map((o) => <option key={o.id} value={o.id}>{o.code ? `${o.code} ${o.name}` : o.name}</option>)}
            </select>
          </label>
        )}
        <label>
          {t("pm.from")} <input type="date" value={filters.date_from} onChange={(e) => setFilter("date_from", e.target.value)} />
        </label>
        <label>
          {t("pm.to")} <input type="date" value={filters.date_to} onChange={(e) => setFilter("date_to", e.target.value)} />
        </label>
        <form onSubmit={(e) => { e.preventDefault(); setFilter("sgtin", sgtinDraft.trim()); }}>
          <label>
            {t("pm.sgtin")}{" "}
            <input value={sgtinDraft} size={30} maxLength={27} pattern="\d{14}[A-Za-z0-9]{13}" onChange={(e) => setSgtinDraft(e.target.value)} />
          </label>
        </form>
      </div>
      {resend.error && <FormError error={resend.error} />}
      {resend.data && <p role="status">{t("pm.resent", { key: resend.data.idempotency_key })}</p>}
      {list.isPending ? (
        <Loading />
      ) : list.error || !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <p className="muted">{t("pm.none")}</p>
      ) : (
        <>
          <DataTable columns={columns} rows={list.data.items} rowKey={(r) => r.id} label={t("pm.title")} busy={list.isFetching} />
          <Pager total={list.data.total} limit={list.data.limit} offset={list.data.offset} onChange={(offset, limit) => setPage({ offset, limit })} />
        </>
      )}
      {shown && (
        <section className="xml-view" aria-live="polite">
          {one.isPending ? (
            <Loading />
          ) : one.error || !one.data ? (
            <ErrorState error={one.error} onRetry={() => void one.refetch()} />
          ) : (
            <>
              <h2>{t("pm.document", { key: one.data.idempotency_key })}</h2>
              <p>
                <StatusChip status={one.data.status} label={statusLabel(one.data.status)} />{" "}
                {t("pm.key")}: <code>{one.data.idempotency_key}</code>
                {one.data.next_attempt_at && <> · {t("pm.next")}: {formatDateTime(one.data.next_attempt_at)}</>}
              </p>
              <textarea readOnly className="xml" rows={16} aria-label={t("pm.document", { key: one.data.idempotency_key })} value={one.data.document} />
              {one.data.errors.length > 0 && (
                <>
                  <h3>{t("pm.errors")}</h3>
                  <ul>
                    {one.data.errors.map((e, i) => (
                      <li key={i}><code>{e.code}</code> {e.message}{e.object_id ? ` (${e.object_id})` : ""}</li>
                    ))}
                  </ul>
                </>
              )}
              {one.data.ticket && (
                <>
                  <h3>{t("pm.ticket")}</h3>
                  <textarea readOnly className="xml" rows={10} aria-label={t("pm.ticket")} value={one.data.ticket} />
                </>
              )}
              <button type="button" onClick={() => setShown(null)}>{t("pm.close")}</button>
            </>
          )}
        </section>
      )}
    </section>
  );
}
