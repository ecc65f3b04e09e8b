/**
 * The need for equipment (required by the equipping standards − working units), for one
 * MO (`?mo=`) or for every MO the user sees: totals, a chart of the kinds most needed, the
 * lines by kind, the MOs by need, and the CSV/XLSX exports of the same report.
 */
import { Link } from "react-router-dom";
import { formatDate, formatNumber } from "../../../app/format";
import { BarChart, KpiTile } from "../../../components/charts/charts";
import { DataTable, type Column } from "../../../components/DataTable";
import { DownloadButton } from "../../../components/DownloadButton";
import { useListParams } from "../../../components/listParams";
import { EmptyState, QueryState } from "../../../components/states";
import { useRegistryText } from "../texts";
import { useMos, useNeed, type NeedLine } from "./hooks";
import { mosByNeed, needChartData, needExportUrl, needTotals } from "./need";
import type { components } from "../../../api/generated/registry";
import "../registry.css";

type MoNeed = components["schemas"]["MoNeed"];

export default function NeedReportPage() {
  const t = useRegistryText();
  const { search, update } = useListParams();
  const moId = search.get("mo");
  const report = useNeed(moId);
  const mos = useMos({ limit: 500 });

  const lineColumns: Column<NeedLine>[] = [
    {
      key: "type",
      header: t("reg.need.type"),
      cell: (l) => (
        <>
          {l.type_name ?? l.type_code} <code className="muted">{l.type_code}</code>
        </>
      ),
    },
    { key: "required", header: t("reg.need.required"), align: "right", cell: (l) => formatNumber(l.required) },
    { key: "available", header: t("reg.need.available"), align: "right", cell: (l) => formatNumber(l.available) },
    { key: "need", header: t("reg.need.need"), align: "right", cell: (l) => (l.need > 0 ? <strong>{formatNumber(l.need)}</strong> : "0") },
  ];
  const moColumns: Column<MoNeed>[] = [
    { key: "name", header: t("reg.mo.name"), cell: (m) => <Link to={`/registry/mo/${m.mo_id}`}>{m.mo_name}</Link> },
    { key: "code", header: t("reg.mo.code"), cell: (m) => m.mo_code ?? "—" },
    { key: "required", header: t("reg.need.required"), align: "right", cell: (m) => formatNumber(m.required) },
    { key: "available", header: t("reg.need.available"), align: "right", cell: (m) => formatNumber(m.available) },
    { key: "need", header: t("reg.need.need"), align: "right", cell: (m) => formatNumber(m.need) },
    {
      key: "open",
      header: <span className="visually-hidden">{t("reg.need.openMo")}</span>,
      cell: (m) => (
        <Link to={`?mo=${m.mo_id}`}>
          {t("reg.need.openMo")}
          <span className="visually-hidden">: {m.mo_name}</span>
        </Link>
      ),
    },
  ];

  return (
    <section>
      <h1>{t("reg.need.title")}</h1>
      <div className="toolbar">
        <label>
          {t("reg.need.scope")}{" "}
          <select value={moId ?? ""} onChange={(e) => update({ mo: e.target.value || null })} data-testid="need-scope">
            <option value="">{t("reg.need.region")}</option>
            {mos.data?.items.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <DownloadButton url={needExportUrl("csv", moId)} testId="export-csv">
          {t("reg.need.exportCsv")}
        </DownloadButton>
        <DownloadButton url={needExportUrl("xlsx", moId)} testId="export-xlsx">
          {t("reg.need.exportXlsx")}
        </DownloadButton>
      </div>
      <QueryState query={report}>
        {(r) => {
          const chart = needChartData(r.lines);
          const { required, available } = needTotals(r.lines);
          return (
            <>
              <p className="muted" data-testid="need-basis">
                {r.scope === "mo" && r.mos[0] ? `${r.mos[0].mo_name}. ` : ""}
                {t("reg.need.on", { date: formatDate(r.on), version: r.standards_version })}
              </p>
              <div className="kpis">
                <KpiTile label={t("reg.need.required")} value={formatNumber(required)} />
                <KpiTile label={t("reg.need.available")} value={formatNumber(available)} />
                <KpiTile label={t("reg.need.need")} value={<span data-testid="need-total">{formatNumber(r.need)}</span>} hint={t("reg.need.units")} />
              </div>
              {r.lines.length === 0 ? (
                <EmptyState>{t("reg.need.noLines")}</EmptyState>
              ) : (
                <>
                  {chart.length === 0 ? (
                    <EmptyState>{t("reg.need.none")}</EmptyState>
                  ) : (
                    <BarChart
                      testId="chart-need"
                      title={t("reg.need.chart")}
                      valueLabel={t("reg.need.need")}
                      data={chart}
                      horizontal
                      wide
                      height={Math.max(200, 28 * chart.length + 40)}
                      note={t("reg.need.chartNote")}
                    />
                  )}
                  <h2>{t("reg.need.byType")}</h2>
                  <DataTable columns={lineColumns} rows={r.lines} rowKey={(l) => l.type_code} label={t("reg.need.byType")} busy={report.isFetching} />
                  {r.scope === "region" && (
                    <>
                      <h2>{t("reg.need.byMo")}</h2>
                      <DataTable columns={moColumns} rows={mosByNeed(r.mos)} rowKey={(m) => m.mo_id} label={t("reg.need.byMo")} />
                    </>
                  )}
                </>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
