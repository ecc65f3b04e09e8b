/** A run's statistics (F's /runs/{id}/statistics): the excluded by age group and sex, by
 * district, and the matching figures (pairs by source and status, operator decisions). */
import { formatNumber } from "../../app/format";
import { BarChart } from "../../components/charts/charts";
import { DataTable, type Column } from "../../components/DataTable";
import { QueryState } from "../../components/states";
import { useRunStatistics, type RunStatistics } from "./hooks";
import { codeTitle, useVerText } from "./texts";

type DistrictLine = RunStatistics["by_district"][number];

export function StatisticsSection({ runId }: { runId: string }) {
  const t = useVerText();
  const stats = useRunStatistics(runId);
  const columns: Column<DistrictLine>[] = [
    { key: "district", header: t("ver.col.district"), cell: (d) => d.district ?? t("ver.savings.noDistrict") },
    { key: "entries", header: t("ver.col.entries"), align: "right", cell: (d) => formatNumber(d.entries) },
    { key: "excluded", header: t("ver.col.excluded"), align: "right", cell: (d) => formatNumber(d.excluded) },
    { key: "months", header: t("ver.col.months"), align: "right", cell: (d) => formatNumber(d.months) },
  ];
  return (
    <section aria-labelledby="ver-statistics" data-testid="run-statistics">
      <h2 id="ver-statistics">{t("ver.stats.title")}</h2>
      <QueryState query={stats}>
        {(s) => (
          <>
            <div className="dashboard-grid">
              <BarChart
                title={t("ver.stats.byAge")}
                data={s.by_age_sex.map((l) => ({ label: l.age_group, value: l.total }))}
                valueLabel={t("ver.chart.persons")}
                testId="chart-age"
              />
              <BarChart
                title={t("ver.stats.pairs")}
                data={Object.entries(s.matching.pairs_by_source).map(([k, v]) => ({ label: codeTitle(t, "source", k), value: Number(v) }))}
                valueLabel={t("ver.stats.pairsCount")}
                horizontal
                testId="chart-pairs"
                note={t("ver.stats.decisions", { count: formatNumber(s.matching.operator_decisions) })}
              />
            </div>
            <details>
              <summary>{t("ver.stats.byDistrict")}</summary>
              <DataTable columns={columns} rows={s.by_district} rowKey={(d) => d.district ?? "-"} label={t("ver.stats.byDistrict")} />
            </details>
          </>
        )}
      </QueryState>
    </section>
  );
}
