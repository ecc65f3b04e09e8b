/**
 * /finance/analytics — the dashboards: KPIs of CMI spending (wages and medicines shares,
 * payables), income and expense structure by КВФО and КОСГУ group, months plan vs actual,
 * payables and drug spending, the comparison of MOs (per bed, per attached person) and the
 * verification savings. Region-wide users pick an MO or look at the total; an MO's own people
 * see their MO; FOMS sees the consolidated region only (the server answers 403 for the rest).
 */
import { useState } from "react";
import { Link } from "react-router-dom";
import { ApiProblem } from "../../../api/problem";
import { formatMoney, formatNumber } from "../../../app/format";
import { BarChart, DashboardGrid, KpiTile, LineChart, PieChart } from "../../../components/charts/charts";
import { DataTable, type Column } from "../../../components/DataTable";
import { EmptyState, QueryState } from "../../../components/states";
import { useMos } from "../budget/hooks";
import { useComparison, useOverview, useSavings, type Comparison, type Overview, type SavingsRead } from "./hooks";
import {
  byGroup,
  byKvfo,
  drugSeries,
  growth,
  monthLabel,
  monthRange,
  payableSeries,
  percent,
  perUnit,
  planActual,
  shareSeries,
  type Comparable,
} from "./shape";
import { useAnalyticsText, type AnalyticsText } from "./texts";
import "../budget/budget.css";

const money = (v: number) => formatMoney(v);

export default function AnalyticsPage() {
  const t = useAnalyticsText();
  const mos = useMos();
  const consolidatedOnly = mos.error instanceof ApiProblem && mos.error.status === 403;
  const [moId, setMoId] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const single = mos.data?.length === 1;
  const overview = useOverview({ mo_id: moId || undefined, date_from: from || undefined, date_to: to || undefined });
  const canCompare = !consolidatedOnly && !single && !mos.isPending;
  const comparison = useComparison({ date_from: from || undefined, date_to: to || undefined }, canCompare && !moId);

  return (
    <section className="analytics-page">
      <h1>{t("fa.title")}</h1>
      <p className="muted">{t("fa.intro")}</p>
      {consolidatedOnly && <p className="muted">{t("fa.consolidatedOnly")}</p>}
      <div className="budget-toolbar">
        {mos.data && mos.data.length > 1 && (
          <label>
            {t("fa.mo")}{" "}
            <select value={moId} onChange={(e) => setMoId(e.target.value)} data-testid="analytics-mo">
              <option value="">{t("fa.allMos")}</option>
              {mos.data.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.code ? `${m.code} ${m.name}` : m.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {single && <strong>{mos.data![0]!.name}</strong>}
        <label>
          {t("fa.from")} <input type="month" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t("fa.to")} <input type="month" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <Link to="/finance/deviations">{t("fa.deviations")} →</Link>
      </div>
      <QueryState query={overview}>{(data) => <OverviewSection data={data} t={t} />}</QueryState>
      {canCompare && !moId && (
        <QueryState query={comparison}>{(data) => <ComparisonSection data={data} t={t} onPick={setMoId} />}</QueryState>
      )}
      <SavingsSection t={t} />
    </section>
  );
}

function OverviewSection({ data, t }: { data: Overview; t: AnalyticsText }) {
  const months = monthRange(data.period.date_from, data.period.date_to);
  const labels = months.map(monthLabel);
  const kvfo = (code: number) => t("fa.kvfo", { code });
  const { kpi } = data;
  if (data.dynamics.length === 0) return <EmptyState>{t("fa.empty")}</EmptyState>;
  const names = { plan: t("fa.series.plan"), fact: t("fa.series.fact"), cmi: t("fa.series.cmi") };
  return (
    <>
      <p className="muted" data-testid="analytics-period">
        {t("fa.period", { from: monthLabel(data.period.date_from), to: monthLabel(data.period.date_to), mos: data.period.mos })}
      </p>
      <DashboardGrid
        kpis={
          <>
            <KpiTile label={t("fa.kpi.cmi")} value={formatMoney(kpi.cmi_expense)} />
            <KpiTile label={t("fa.kpi.wages")} value={percent(kpi.wages_share)} hint={t("fa.kpi.wagesHint", { threshold: percent(kpi.wages_share_threshold) })} />
            <KpiTile label={t("fa.kpi.medicines")} value={percent(kpi.medicines_share)} />
            <KpiTile label={t("fa.kpi.payables")} value={formatMoney(kpi.payables_end)} hint={t("fa.kpi.payablesHint", { growth: growth(kpi.payables_start, kpi.payables_end) })} />
            <KpiTile label={t("fa.kpi.execution")} value={percent(kpi.execution)} />
            <KpiTile label={t("fa.kpi.income")} value={formatMoney(kpi.income)} />
          </>
        }
      >
        <PieChart title={t("fa.chart.incomeKvfo")} data={byKvfo(data.structure, "income", kvfo)} format={money} />
        <PieChart title={t("fa.chart.expenseKvfo")} data={byKvfo(data.structure, "expense", kvfo)} format={money} />
        <BarChart title={t("fa.chart.expenseGroup")} data={byGroup(data.structure, "expense")} format={money} horizontal wide />
        <LineChart title={t("fa.chart.dynamics")} labels={labels} series={planActual(data.dynamics, "expense", months, names)} format={money} wide />
        <LineChart title={t("fa.chart.income")} labels={labels} series={planActual(data.dynamics, "income", months, names)} format={money} />
        <LineChart
          title={t("fa.chart.shares")}
          labels={data.kpi_by_month.map((m) => monthLabel(m.month))}
          series={shareSeries(data.kpi_by_month, { wages: t("fa.series.wages"), medicines: t("fa.series.medicines") })}
          format={(v) => `${formatNumber(v, 1)} %`}
        />
        <LineChart title={t("fa.chart.payables")} labels={labels} series={payableSeries(data.payables, months, kvfo)} format={money} />
        {data.drugs.length > 0 && (
          <LineChart
            title={t("fa.chart.drugs")}
            labels={labels}
            series={drugSeries(data.drugs, months, (s) => t(s === "federal" ? "fa.source.federal" : "fa.source.regional"))}
            format={money}
          />
        )}
      </DashboardGrid>
    </>
  );
}

/** The MOs side by side; an MO's name opens its own dashboards (the MO picker above). */
function ComparisonSection({ data, t, onPick }: { data: Comparison; t: AnalyticsText; onPick: (moId: string) => void }) {
  if (data.items.length < 2) return null;
  const items = data.items as Comparable[];
  const columns: Column<Comparison["items"][number]>[] = [
    { key: "code", header: t("fa.compare.code"), cell: (m) => m.code ?? "" },
    {
      key: "name",
      header: t("fa.compare.name"),
      cell: (m) => (
        <button type="button" className="link" onClick={() => onPick(m.mo_id)}>
          {m.name}
        </button>
      ),
    },
    { key: "beds", header: t("fa.compare.beds"), align: "right", cell: (m) => formatNumber(m.beds) },
    { key: "attached", header: t("fa.compare.attached"), align: "right", cell: (m) => formatNumber(m.attached_persons) },
    { key: "expense", header: t("fa.compare.expense"), align: "right", cell: (m) => formatMoney(m.expense) },
    { key: "per_bed", header: t("fa.compare.perBed"), align: "right", cell: (m) => formatMoney(m.expense_per_bed) },
    { key: "per_attached", header: t("fa.compare.perAttached"), align: "right", cell: (m) => formatMoney(m.expense_per_attached) },
    { key: "wages", header: t("fa.compare.wages"), align: "right", cell: (m) => percent(m.wages_share) },
    { key: "medicines", header: t("fa.compare.medicines"), align: "right", cell: (m) => percent(m.medicines_share) },
    { key: "payables", header: t("fa.compare.payables"), align: "right", cell: (m) => formatMoney(m.payables_end) },
  ];
  return (
    <>
      <h2>{t("fa.compare")}</h2>
      <DashboardGrid>
        <BarChart title={t("fa.chart.perBed")} data={perUnit(items, "bed")} format={money} horizontal height={420} />
        <BarChart title={t("fa.chart.perAttached")} data={perUnit(items, "attached")} format={money} horizontal height={420} />
      </DashboardGrid>
      <DataTable columns={columns} rows={data.items} rowKey={(m) => m.mo_id} label={t("fa.compare")} />
    </>
  );
}

function SavingsSection({ t }: { t: AnalyticsText }) {
  const savings = useSavings();
  return (
    <>
      <h2>{t("fa.savings")}</h2>
      <QueryState query={savings} isEmpty={(d: SavingsRead) => d.runs.length === 0} empty={t("fa.savings.none")}>
        {(data) => {
          const columns: Column<SavingsRead["runs"][number]>[] = [
            { key: "period", header: t("fa.savings.period"), cell: (r) => `${r.period_from} — ${r.period_to}` },
            { key: "excluded", header: t("fa.savings.excluded"), align: "right", cell: (r) => formatNumber(r.excluded) },
            { key: "months", header: t("fa.savings.months"), align: "right", cell: (r) => formatNumber(r.months_excluded) },
            { key: "tariff", header: t("fa.savings.tariff"), align: "right", cell: (r) => formatMoney(r.monthly_tariff) },
            { key: "amount", header: t("fa.savings.amount"), align: "right", cell: (r) => formatMoney(r.savings_amount) },
            { key: "register", header: t("fa.savings.register"), align: "right", cell: (r) => formatNumber(r.actual_register) },
          ];
          return (
            <>
              <div className="kpis">
                <KpiTile label={t("fa.savings.latest")} value={formatMoney(data.latest_savings)} />
                {data.latest_forecast_year != null && (
                  <KpiTile label={t("fa.savings.forecast", { year: data.latest_forecast_year })} value={formatMoney(data.latest_forecast)} />
                )}
              </div>
              <DataTable columns={columns} rows={data.runs} rowKey={(r) => r.run_id} label={t("fa.savings")} />
            </>
          );
        }}
      </QueryState>
    </>
  );
}
