/** The year grid shaped for the chart and the month totals (pure, tested). */
import { KVFO_COLUMNS, parseAmount, type Flow } from "./grid";

export const MONTHS_SHORT = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];

export interface GridRowLike {
  flow: Flow;
  kvfo: number;
  kosgu: string;
  planned: (string | null)[];
  actual: (string | null)[];
}

const roubles = (value: string | null | undefined): number => {
  if (value == null) return 0;
  const parsed = parseAmount(value);
  return parsed.ok ? (parsed.kopecks ?? 0) / 100 : 0;
};

/** Monthly expenses (actual) per КВФО — the series of the year chart; КВФО without any left out. */
export function expenseSeries(rows: readonly GridRowLike[]): { label: string; values: number[] }[] {
  return KVFO_COLUMNS.map((kvfo) => {
    const values = Array.from({ length: 12 }, (_, m) =>
      rows.filter((r) => r.flow === "expense" && r.kvfo === kvfo).reduce((sum, r) => sum + roubles(r.actual[m]), 0),
    );
    return { label: `КВФО ${kvfo}`, values: values.map((v) => Math.round(v * 100) / 100) };
  }).filter((s) => s.values.some((v) => v !== 0));
}

/** Totals of a flow per month (actual); null for a month without any figure of that flow. */
export function flowTotals(rows: readonly GridRowLike[], flow: Flow): (number | null)[] {
  return Array.from({ length: 12 }, (_, m) => {
    const cells = rows.filter((r) => r.flow === flow && r.actual[m] != null);
    if (cells.length === 0) return null;
    return Math.round(cells.reduce((sum, r) => sum + roubles(r.actual[m]), 0) * 100) / 100;
  });
}
