/**
 * /pharmacy/control — medico-economic control: the period and pharmacy (in the URL), starting a
 * control run (a job with its progress bar), the summary (sums and a chart of violations by
 * kind), the violations table, the registry's files, drawing up the pharmacy's act and its
 * PDF/XLSX, the period's acts for the fund.
 */
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { formatDate, formatMoney, formatNumber } from "../../../app/format";
import { useHasPermission } from "../../../app/auth";
import { BarChart, KpiTile } from "../../../components/charts/charts";
import { DataTable, Pager, type Column } from "../../../components/DataTable";
import { DownloadButton } from "../../../components/DownloadButton";
import { FormError } from "../../../components/Form";
import { JobProgress } from "../../../components/JobProgress";
import { ErrorState, Loading } from "../../../components/states";
import {
  useActs,
  useControlSummary,
  useDrawUpAct,
  usePharmacies,
  useRefreshControl,
  useStartRun,
  useViolations,
  type ActRead,
  type ControlViolationRead,
} from "./hooks";
import { chartData, periodFrom, periodQuery, type Period } from "./shape";
import { useControlText } from "./texts";
import "./control.css";

const BASE = "/api/pharmacy";

export default function ControlPage() {
  const t = useControlText();
  const can = useHasPermission();
  const [params, setParams] = useSearchParams();
  const period = periodFrom(params, new Date());
  const [code, setCode] = useState("");
  const [page, setPage] = useState({ limit: 50, offset: 0 });
  const [jobId, setJobId] = useState<string | null>(null);
  const pharmacies = usePharmacies();
  const summary = useControlSummary(period);
  const violations = useViolations(period, code, page.limit, page.offset);
  const acts = useActs(period);
  const start = useStartRun();
  const drawUp = useDrawUpAct();
  const refresh = useRefreshControl();
  const canWrite = can("pharmacy.control:write");
  const query = periodQuery(period);

  const setPeriod = (key: keyof Period, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setPage((p) => ({ ...p, offset: 0 }));
  };

  const columns: Column<ControlViolationRead>[] = [
    { key: "day", header: t("pc.col.day"), cell: (v) => formatDate(v.dispensed_on) },
    { key: "rx", header: t("pc.col.prescription"), cell: (v) => <Link to={`/pharmacy/prescriptions/${v.prescription_id}`}>{`${v.series} № ${v.number}`}</Link> },
    { key: "patient", header: t("pc.col.patient"), cell: (v) => v.patient ?? "—" },
    { key: "kind", header: t("pc.col.kind"), cell: (v) => <span title={v.code}>{v.title}</span> },
    { key: "message", header: t("pc.col.message"), cell: (v) => v.message },
    { key: "amount", header: t("pc.col.amount"), align: "right", cell: (v) => formatMoney(v.dispense_amount) },
    { key: "withheld", header: t("pc.col.withheld"), align: "right", cell: (v) => formatMoney(v.amount) },
  ];
  const actColumns: Column<ActRead>[] = [
    { key: "number", header: t("pc.act.number"), cell: (a) => a.number },
    { key: "date", header: t("pc.act.date"), cell: (a) => formatDate(a.drawn_up_on) },
    { key: "pharmacy", header: t("pc.pharmacy"), cell: (a) => a.pharmacy_name ?? a.pharmacy_id },
    { key: "period", header: t("pc.act.period"), cell: (a) => `${formatDate(a.period_from)} — ${formatDate(a.period_to)}` },
    { key: "amount", header: t("pc.amount"), align: "right", cell: (a) => formatMoney(a.amount) },
    { key: "withheld", header: t("pc.withheld"), align: "right", cell: (a) => formatMoney(a.withheld) },
    {
      key: "files",
      header: t("pc.act.files"),
      cell: (a) => (
        <span className="control-downloads">
          <DownloadButton url={`${BASE}/control/acts/${a.id}.pdf`}>{t("pc.act.pdf")}</DownloadButton>
          <DownloadButton url={`${BASE}/control/acts/${a.id}.xlsx`}>{t("pc.act.xlsx")}</DownloadButton>
        </span>
      ),
    },
  ];

  return (
    <section className="control-page">
      <h1>{t("pc.title")}</h1>
      <p className="muted">{t("pc.intro")}</p>
      <div className="toolbar" role="group" aria-label={t("pc.title")}>
        <label>
          {t("pc.from")} <input type="date" value={period.period_from} onChange={(e) => setPeriod("period_from", e.target.value)} />
        </label>
        <label>
          {t("pc.to")} <input type="date" value={period.period_to} onChange={(e) => setPeriod("period_to", e.target.value)} />
        </label>
        {pharmacies.data && pharmacies.data.length > 0 && (
          <label>
            {t("pc.pharmacy")}{" "}
            <select value={period.pharmacy_id} onChange={(e) => setPeriod("pharmacy_id", e.target.value)}>
              <option value="">{t("pc.allPharmacies")}</option>
              {pharmacies.data.map((o) => (
                <option key={o.id} value={o.id}>{o.code ? `${o.code} ${o.name}` : o.name}</option>
              ))}
            </select>
          </label>
        )}
        {canWrite && (
          <button type="button" className="primary" disabled={start.isPending || jobId !== null}
            onClick={() => start.mutate(period, { onSuccess: (run) => run.job_id && setJobId(run.job_id) })}>
            {jobId ? t("pc.running") : t("pc.run")}
          </button>
        )}
      </div>
      {start.error && <FormError error={start.error} />}
      {jobId && <JobProgress service="pharmacy" jobId={jobId} onFinished={() => { setJobId(null); refresh(); }} />}

      {summary.isPending ? (
        <Loading />
      ) : summary.error || !summary.data ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <>
          <div className="kpis">
            <KpiTile label={t("pc.checked")} value={formatNumber(summary.data.checked)} />
            <KpiTile label={t("pc.unchecked")} value={formatNumber(summary.data.unchecked)} />
            <KpiTile label={t("pc.withViolations")} value={formatNumber(summary.data.with_violations)} />
            <KpiTile label={t("pc.amount")} value={formatMoney(summary.data.amount, "")} />
            <KpiTile label={t("pc.withheld")} value={formatMoney(summary.data.withheld, "")} />
            <KpiTile label={t("pc.accepted")} value={formatMoney(summary.data.accepted, "")} />
          </div>
          {summary.data.checked === 0 ? (
            <p className="muted">{t("pc.noRun")}</p>
          ) : summary.data.by_code.length > 0 ? (
            <BarChart title={t("pc.chart")} valueLabel={t("pc.chart.count")} horizontal data={chartData(summary.data.by_code)} testId="violations-chart" />
          ) : null}
        </>
      )}

      <div className="control-downloads">
        <strong>{t("pc.registry")}:</strong>
        <DownloadButton url={`${BASE}/control/registry.csv?${query}`} testId="registry-csv">{t("pc.registry.csv")}</DownloadButton>
        <DownloadButton url={`${BASE}/control/registry.xlsx?${query}`} testId="registry-xlsx">{t("pc.registry.xlsx")}</DownloadButton>
      </div>

      <div className="toolbar">
        <label>
          {t("pc.code")}{" "}
          <select value={code} onChange={(e) => { setCode(e.target.value); setPage((p) => ({ ...p, offset: 0 })); }}>
            <option value="">{t("pm.any")}</option>
            {(summary.data?.by_code ?? []).map((c) => <option key={c.code} value={c.code}>{c.title} ({formatNumber(c.count)})</option>)}
          </select>
        </label>
      </div>
      {violations.isPending ? (
        <Loading />
      ) : violations.error || !violations.data ? (
        <ErrorState error={violations.error} onRetry={() => void violations.refetch()} />
      ) : violations.data.items.length === 0 ? (
        <p className="muted">{t("pc.none")}</p>
      ) : (
        <>
          <DataTable columns={columns} rows={violations.data.items} rowKey={(v) => v.id} label={t("pc.title")} busy={violations.isFetching} />
          <Pager total={violations.data.total} limit={violations.data.limit} offset={violations.data.offset} onChange={(offset, limit) => setPage({ offset, limit })} />
        </>
      )}

      <h2>{t("pc.acts")}</h2>
      {canWrite && (
        <div className="toolbar">
          <button type="button" disabled={!period.pharmacy_id || drawUp.isPending} title={period.pharmacy_id ? undefined : t("pc.act.needPharmacy")}
            onClick={() => drawUp.mutate(period)}>
            {t("pc.act")}
          </button>
          {!period.pharmacy_id && <span className="muted">{t("pc.act.needPharmacy")}</span>}
        </div>
      )}
      {drawUp.error && <FormError error={drawUp.error} />}
      {drawUp.data && (
        <p role="status">
          {t("pc.act.done", { number: drawUp.data.number, withheld: formatMoney(drawUp.data.withheld, ""), amount: formatMoney(drawUp.data.amount, "") })}{" "}
          <DownloadButton url={`${BASE}/control/acts/${drawUp.data.id}.pdf`}>{t("pc.act.pdf")}</DownloadButton>{" "}
          <DownloadButton url={`${BASE}/control/acts/${drawUp.data.id}.xlsx`}>{t("pc.act.xlsx")}</DownloadButton>
        </p>
      )}
      {acts.isPending ? (
        <Loading />
      ) : acts.error || !acts.data ? (
        <ErrorState error={acts.error} onRetry={() => void acts.refetch()} />
      ) : acts.data.items.length === 0 ? (
        <p className="muted">{t("pc.acts.none")}</p>
      ) : (
        <>
          <DataTable columns={actColumns} rows={acts.data.items} rowKey={(a) => a.id} label={t("pc.acts")} />
          <DownloadButton url={`${BASE}/control/acts.csv?${query}`}>{t("pc.acts.csv")}</DownloadButton>
        </>
      )}
    </section>
  );
}
