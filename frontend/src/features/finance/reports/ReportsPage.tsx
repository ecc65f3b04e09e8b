/**
 * /finance/reports — the reports of the MOs in the caller's scope (filters by form, period,
 * status and MO, kept in the URL), the overdue ones highlighted and listed on their own (with
 * the reports not even started), a new draft for an MO economist, and the consolidated form of
 * the scope (FOMS sees this one only).
 */
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { ApiProblem } from "../../../api/problem";
import { useHasPermission, useMe } from "../../../app/auth";
import { formatDate, formatDateTime } from "../../../app/format";
import { DataTable, PagedTable, type Column } from "../../../components/DataTable";
import { DownloadButton } from "../../../components/DownloadButton";
import { ErrorState, QueryState } from "../../../components/states";
import { useListParams } from "../../../components/listParams";
import { useMos } from "../budget/hooks";
import { checkRules, fromServer, kindsOf, kopecksOf } from "./form";
import { FormGrid } from "./FormGrid";
import {
  useConsolidated,
  useCreateReport,
  useOverdue,
  useReports,
  useTemplate,
  type FormCode,
  type OverdueRead,
  type ReportQuery,
  type ReportSummary,
} from "./hooks";
import { Checks } from "./ReportPage";
import { useReportsText, type ReportsKey } from "./texts";
import "./reports.css";

const FORMS: { code: FormCode; label: string; quarterly: boolean }[] = [
  { code: "14F", label: "14-Ф (ОМС)", quarterly: true },
  { code: "62", label: "62", quarterly: false },
];
const STATUSES = ["draft", "submitted", "returned", "accepted"] as const;
const thisYear = new Date().getFullYear();
const YEARS = [thisYear, thisYear - 1, thisYear - 2];

export default function ReportsPage() {
  const t = useReportsText();
  const can = useHasPermission();
  const { params, update, search } = useFilters();
  const query: ReportQuery = {
    limit: params.limit,
    offset: params.offset,
    form: (search.get("form") as FormCode | null) ?? undefined,
    year: search.get("year") ? Number(search.get("year")) : undefined,
    quarter: search.get("quarter") ? Number(search.get("quarter")) : undefined,
    status: (search.get("status") as ReportQuery["status"]) ?? undefined,
    mo_id: search.get("mo") ?? undefined,
    overdue: search.get("overdue") === "1" || undefined,
  };
  const reports = useReports(query);
  const consolidatedOnly = reports.error instanceof ApiProblem && reports.error.status === 403;
  const overdue = useOverdue(!consolidatedOnly);
  const mos = useMos(!consolidatedOnly);

  const columns: Column<ReportSummary>[] = [
    { key: "form", header: t("fr.col.form"), cell: (r) => <Link to={`/finance/reports/${r.id}`}>{r.short}</Link> },
    { key: "mo", header: t("fr.col.mo"), cell: (r) => r.mo_name ?? r.mo_id },
    { key: "period", header: t("fr.col.period"), cell: (r) => r.period.label },
    {
      key: "status",
      header: t("fr.col.status"),
      cell: (r) => (
        <>
          {t(`fr.status.${r.status}` as ReportsKey)}
          {r.submitted_late && <span className="muted"> · {t("fr.late")}</span>}
        </>
      ),
    },
    { key: "due", header: t("fr.col.due"), cell: (r) => formatDate(r.due_date) },
    {
      key: "overdue",
      header: t("fr.col.overdue"),
      align: "right",
      cell: (r) => (r.days_overdue > 0 ? <span className="report-overdue">{t("fr.days", { days: r.days_overdue })}</span> : ""),
    },
    { key: "updated", header: t("fr.col.updated"), cell: (r) => formatDateTime(r.updated_at) },
  ];

  return (
    <section className="reports-page">
      <h1>{t("fr.title")}</h1>
      <p className="muted">{t("fr.intro")}</p>
      {consolidatedOnly ? (
        <p className="muted">{t("fr.consolidated.onlyYou")}</p>
      ) : (
        <>
          {can("finance.report:write") && <NewReport />}
          <h2>{t("fr.overdue.title")}</h2>
          <QueryState query={overdue} isEmpty={(o) => o.length === 0} empty={t("fr.overdue.none")}>
            {(items) => <OverdueTable items={items.slice(0, 50)} />}
          </QueryState>
          <h2>{t("fr.filters")}</h2>
          <div className="reports-filters">
            <Select label={t("fr.form")} value={search.get("form")} options={FORMS.map((f) => [f.code, f.label])} onChange={(v) => update({ form: v, offset: null })} />
            <Select label={t("fr.year")} value={search.get("year")} options={YEARS.map((y) => [String(y), String(y)])} onChange={(v) => update({ year: v, offset: null })} />
            <Select label={t("fr.quarter")} value={search.get("quarter")} options={[1, 2, 3, 4].map((q) => [String(q), String(q)])} onChange={(v) => update({ quarter: v, offset: null })} />
            <Select
              label={t("fr.status")}
              value={search.get("status")}
              options={STATUSES.map((s) => [s, t(`fr.status.${s}` as ReportsKey)])}
              onChange={(v) => update({ status: v, offset: null })}
            />
            {mos.data && mos.data.length > 1 && (
              <Select label={t("fr.mo")} value={search.get("mo")} options={mos.data.map((m) => [m.id, m.name])} onChange={(v) => update({ mo: v, offset: null })} />
            )}
            <label className="inline">
              <input type="checkbox" checked={search.get("overdue") === "1"} onChange={(e) => update({ overdue: e.target.checked ? "1" : null, offset: null })} />{" "}
              {t("fr.onlyOverdue")}
            </label>
          </div>
          <PagedTable query={reports} columns={columns} rowKey={(r) => r.id} params={params} update={update} label={t("fr.title")} empty={t("fr.none")} />
        </>
      )}
      <Consolidated />
    </section>
  );
}

function useFilters() {
  const list = useListParams({ limit: 25 });
  const [search] = useSearchParams();
  return { ...list, search };
}

function Select({ label, value, options, onChange }: { label: string; value: string | null; options: [string, string][]; onChange: (v: string | null) => void }) {
  const t = useReportsText();
  return (
    <label>
      {label}
      <select value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{t("fr.any")}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function OverdueTable({ items }: { items: OverdueRead[] }) {
  const t = useReportsText();
  const columns: Column<OverdueRead>[] = [
    { key: "form", header: t("fr.col.form"), cell: (o) => o.short },
    { key: "mo", header: t("fr.col.mo"), cell: (o) => o.mo_name ?? o.mo_id },
    { key: "period", header: t("fr.col.period"), cell: (o) => o.period.label },
    {
      key: "status",
      header: t("fr.col.status"),
      cell: (o) => (o.report_id ? <Link to={`/finance/reports/${o.report_id}`}>{t(`fr.status.${o.status}` as ReportsKey)}</Link> : t("fr.overdue.missing")),
    },
    { key: "due", header: t("fr.col.due"), cell: (o) => formatDate(o.due_date) },
    { key: "days", header: t("fr.col.overdue"), align: "right", cell: (o) => <span className="report-overdue">{t("fr.days", { days: o.days_overdue })}</span> },
  ];
  return <DataTable columns={columns} rows={items} rowKey={(o) => `${o.form}-${o.mo_id}-${o.period.end}`} label={t("fr.overdue.title")} />;
}

function NewReport() {
  const t = useReportsText();
  const me = useMe();
  const navigate = useNavigate();
  const create = useCreateReport();
  const [form, setForm] = useState<FormCode>("14F");
  const [year, setYear] = useState(thisYear);
  const [quarter, setQuarter] = useState(1);
  const quarterly = FORMS.find((f) => f.code === form)!.quarterly;
  return (
    <form
      className="reports-filters"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          { form, mo_id: me.organization.id, year, quarter: quarterly ? quarter : null },
          { onSuccess: (report) => void navigate(`/finance/reports/${report.id}`) },
        );
      }}
    >
      <strong>{t("fr.new.title")}</strong>
      <label>
        {t("fr.form")}
        <select value={form} onChange={(e) => setForm(e.target.value as FormCode)}>
          {FORMS.map((f) => (
            <option key={f.code} value={f.code}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("fr.year")}
        <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
          {YEARS.map((y) => (
            <option key={y}>{y}</option>
          ))}
        </select>
      </label>
      {quarterly && (
        <label>
          {t("fr.quarter")}
          <select value={quarter} onChange={(e) => setQuarter(Number(e.target.value))}>
            {[1, 2, 3, 4].map((q) => (
              <option key={q}>{q}</option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" disabled={create.isPending}>
        {t("fr.new.create")}
      </button>
      {create.error ? <ErrorState error={create.error} /> : null}
    </form>
  );
}

function Consolidated() {
  const t = useReportsText();
  const [form, setForm] = useState<FormCode>("14F");
  const [year, setYear] = useState(thisYear);
  const [quarter, setQuarter] = useState(1);
  const [shown, setShown] = useState(false);
  const quarterly = FORMS.find((f) => f.code === form)!.quarterly;
  const q = quarterly ? quarter : null;
  const data = useConsolidated(form, year, q, shown);
  const template = useTemplate(shown ? form : undefined, year, q);
  const params = `year=${year}${q ? `&quarter=${q}` : ""}`;
  return (
    <>
      <h2>{t("fr.consolidated.title")}</h2>
      <div className="reports-filters">
        <label>
          {t("fr.form")}
          <select value={form} onChange={(e) => setForm(e.target.value as FormCode)}>
            {FORMS.map((f) => (
              <option key={f.code} value={f.code}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("fr.year")}
          <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {YEARS.map((y) => (
              <option key={y}>{y}</option>
            ))}
          </select>
        </label>
        {quarterly && (
          <label>
            {t("fr.quarter")}
            <select value={quarter} onChange={(e) => setQuarter(Number(e.target.value))}>
              {[1, 2, 3, 4].map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={() => setShown(true)}>
          {t("fr.consolidated.show")}
        </button>
        {shown && (
          <>
            <DownloadButton url={`/api/finance/forms/${form}/consolidated.xlsx?${params}`}>{t("fr.export.xlsx")}</DownloadButton>
            <DownloadButton url={`/api/finance/forms/${form}/consolidated.pdf?${params}`}>{t("fr.export.pdf")}</DownloadButton>
            <DownloadButton url={`/api/finance/forms/${form}/consolidated.json?${params}`}>{t("fr.export.json")}</DownloadButton>
          </>
        )}
      </div>
      {shown && (
        <QueryState query={data}>
          {(c) => (
            <QueryState query={template}>
              {(tpl) => {
                const values = kopecksOf(c.cells);
                const counts = Object.entries(c.reports)
                  .map(([s, n]) => `${t(`fr.status.${s}` as ReportsKey)} — ${n}`)
                  .join(", ");
                return (
                  <>
                    <p className="muted">
                      {c.period.label}. {counts ? t("fr.consolidated.reports", { counts }) : ""}
                    </p>
                    <FormGrid template={tpl} kinds={kindsOf(c.cells)} values={values} typed={{}} inputErrors={{}} marked={{}} editable={false} onChange={() => undefined} />
                    <Checks violations={[...checkRules(tpl, values), ...fromServer(c.violations)]} t={t} />
                  </>
                );
              }}
            </QueryState>
          )}
        </QueryState>
      )}
    </>
  );
}
