/**
 * A year of one MO (or the consolidated figures): monthly expenses by КВФО as a chart, the
 * month totals of receipts, payments and payables, the closed months, the XLSX export.
 */
import { useState } from "react";
import { formatMoney } from "../../../app/format";
import { DownloadButton } from "../../../components/DownloadButton";
import { LineChart } from "../../../components/charts/charts";
import { EmptyState, QueryState } from "../../../components/states";
import { FLOWS } from "./grid";
import { useConsolidated, useYear } from "./hooks";
import { useBudgetText } from "./texts";
import { MONTHS_SHORT, expenseSeries, flowTotals, type GridRowLike } from "./yearData";

export function BudgetYear({ moId, year: initial, onOpenMonth }: { moId: string; year: number; onOpenMonth: (month: string) => void }) {
  const t = useBudgetText();
  const [year, setYear] = useState(initial);
  const query = useYear(moId, year);
  return (
    <div className="budget-year">
      <YearPicker year={year} onChange={setYear} />
      <QueryState query={query}>
        {(data) => (
          <>
            {data.locked_months.length > 0 && <p className="muted">{t("fb.year.locked", { months: data.locked_months.join(", ") })}</p>}
            <YearFigures rows={data.rows} year={year} onOpenMonth={onOpenMonth} />
            <p>
              <DownloadButton url={`/api/finance/budget/${moId}/year/${year}/export.xlsx`}>{t("fb.export.year")}</DownloadButton>
            </p>
          </>
        )}
      </QueryState>
    </div>
  );
}

export function ConsolidatedYear({ initial }: { initial: number }) {
  const t = useBudgetText();
  const [year, setYear] = useState(initial);
  const query = useConsolidated(year);
  return (
    <div className="budget-year" data-testid="consolidated">
      <YearPicker year={year} onChange={setYear} />
      <QueryState query={query}>
        {(data) => (
          <>
            <p className="muted">
              {data.scope === "founded" ? t("fb.consolidated.founded") : t("fb.consolidated")} · {t("fb.consolidated.mos", { count: data.mos })}
            </p>
            <YearFigures rows={data.rows} year={year} />
            <p>
              <DownloadButton url={`/api/finance/budget/consolidated/export.xlsx?year=${year}`}>{t("fb.export.year")}</DownloadButton>
            </p>
          </>
        )}
      </QueryState>
    </div>
  );
}

function YearPicker({ year, onChange }: { year: number; onChange: (year: number) => void }) {
  const t = useBudgetText();
  return (
    <p className="budget-month">
      <button type="button" onClick={() => onChange(year - 1)}>←</button>
      <strong>{t("fb.year.title", { year })}</strong>
      <button type="button" onClick={() => onChange(year + 1)}>→</button>
    </p>
  );
}

function YearFigures({ rows, year, onOpenMonth }: { rows: GridRowLike[]; year: number; onOpenMonth?: (month: string) => void }) {
  const t = useBudgetText();
  if (rows.length === 0) return <EmptyState>{t("fb.year.empty")}</EmptyState>;
  const series = expenseSeries(rows);
  const totals = FLOWS.map((flow) => ({ flow, values: flowTotals(rows, flow) }));
  return (
    <>
      <LineChart title={t("fb.year.chart")} labels={MONTHS_SHORT} series={series} format={(v) => formatMoney(v)} wide testId="year-chart" />
      {/* wide: it scrolls sideways; without the month buttons in it, it takes the focus itself */}
      <div className="table-wrap" {...(onOpenMonth ? {} : { tabIndex: 0, role: "region", "aria-label": t("fb.year.title", { year }) })}>
        <table className="data-table budget-year-table">
          <thead>
            <tr>
              <th scope="col"></th>
              {MONTHS_SHORT.map((m, i) => (
                <th scope="col" key={m} className="num">
                  {onOpenMonth ? (
                    <button type="button" className="link" onClick={() => onOpenMonth(`${year}-${String(i + 1).padStart(2, "0")}`)}>
                      {m}
                    </button>
                  ) : (
                    m
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {totals.map(({ flow, values }) => (
              <tr key={flow}>
                <th scope="row">{t(`fb.flow.${flow}`)}</th>
                {values.map((v, i) => (
                  <td key={i} className="num">{v === null ? "—" : formatMoney(v, "")}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
