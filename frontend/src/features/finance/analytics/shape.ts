/**
 * Pure shaping of the dashboard answers (/analytics/overview, /comparison, /savings) into
 * chart data: amounts arrive as decimal strings, months as `YYYY-MM`.
 */
import type { Datum, Series } from "../../../components/charts/data";

export interface StructureLine { flow: string; kvfo: number; group: string; planned: string; actual: string }
export interface MonthLine { month: string; flow: string; planned: string; actual: string; cmi_actual: string }
export interface KpiMonth {
  month: string;
  cmi_expense: string;
  wages: string;
  medicines: string;
  wages_share: number | null;
  medicines_share: number | null;
  payables: string;
  payables_growth: number | null;
}
export interface PayableLine { month: string; kvfo: number; group: string; amount: string }
export interface DrugLine { month: string; funding_source: string; amount: string; prescriptions: number }
export interface Comparable {
  mo_id: string;
  code: string | null;
  name: string;
  legal_form: string | null;
  beds: number | null;
  attached_persons: number | null;
  expense: string;
  expense_per_bed: string | null;
  expense_per_attached: string | null;
  wages_share: number | null;
  medicines_share: number | null;
  payables_end: string;
}

const MONTHS_SHORT = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];

/** A decimal string (or number, or null) as a number; null and garbage as 0. */
export function num(value: string | number | null | undefined): number {
  if (value == null) return 0;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

/** `2026-03` → `мар 2026`. */
export function monthLabel(month: string): string {
  const [year, m] = month.split("-");
  const index = Number(m) - 1;
  return index >= 0 && index < 12 ? `${MONTHS_SHORT[index]} ${year}` : month;
}

/** Every month from `from` to `to` (`YYYY-MM`), so the charts have no holes. */
export function monthRange(from: string, to: string): string[] {
  const [fy, fm] = from.split("-").map(Number) as [number, number];
  const [ty, tm] = to.split("-").map(Number) as [number, number];
  const out: string[] = [];
  for (let i = fy * 12 + fm - 1; i <= ty * 12 + tm - 1 && out.length < 120; i++) {
    out.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);
  }
  return out;
}

/** Σ actual of a flow by КВФО (the pie of income or expense sources), largest first. */
export function byKvfo(lines: readonly StructureLine[], flow: string, kvfoName: (kvfo: number) => string): Datum[] {
  const sums = new Map<number, number>();
  for (const l of lines) if (l.flow === flow) sums.set(l.kvfo, (sums.get(l.kvfo) ?? 0) + num(l.actual));
  return [...sums.entries()]
    .filter(([, v]) => v > 0)
    .map(([kvfo, value]) => ({ label: kvfoName(kvfo), value }))
    .sort((a, b) => b.value - a.value);
}

/** Σ actual of a flow by КОСГУ group over every КВФО, largest first. */
export function byGroup(lines: readonly StructureLine[], flow: string): Datum[] {
  const sums = new Map<string, number>();
  for (const l of lines) if (l.flow === flow) sums.set(l.group, (sums.get(l.group) ?? 0) + num(l.actual));
  return [...sums.entries()]
    .filter(([, v]) => v > 0)
    .map(([label, value]) => ({ label, value }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, "ru"));
}

/** Plan and actual of a flow per month (months without figures as 0). */
export function planActual(lines: readonly MonthLine[], flow: string, months: readonly string[], names: { plan: string; fact: string; cmi: string }): Series[] {
  const of = new Map(lines.filter((l) => l.flow === flow).map((l) => [l.month, l]));
  return [
    { label: names.plan, values: months.map((m) => num(of.get(m)?.planned)) },
    { label: names.fact, values: months.map((m) => num(of.get(m)?.actual)) },
    { label: names.cmi, values: months.map((m) => num(of.get(m)?.cmi_actual)) },
  ];
}

/** Wages and medicines shares of CMI spending per month, in per cent (one decimal). */
export function shareSeries(months: readonly KpiMonth[], names: { wages: string; medicines: string }): Series[] {
  const pct = (v: number | null) => (v == null ? 0 : Math.round(v * 1000) / 10);
  return [
    { label: names.wages, values: months.map((m) => pct(m.wages_share)) },
    { label: names.medicines, values: months.map((m) => pct(m.medicines_share)) },
  ];
}

/** Payables at each month's end by КВФО (a line per КВФО). */
export function payableSeries(lines: readonly PayableLine[], months: readonly string[], kvfoName: (kvfo: number) => string): Series[] {
  const kvfos = [...new Set(lines.map((l) => l.kvfo))].sort((a, b) => b - a);
  return kvfos.map((kvfo) => ({
    label: kvfoName(kvfo),
    values: months.map((m) => lines.filter((l) => l.kvfo === kvfo && l.month === m).reduce((s, l) => s + num(l.amount), 0)),
  }));
}

/** Drug spending per month by funding source. */
export function drugSeries(lines: readonly DrugLine[], months: readonly string[], sourceName: (source: string) => string): Series[] {
  return ["federal", "regional"].map((source) => ({
    label: sourceName(source),
    values: months.map((m) => lines.filter((l) => l.funding_source === source && l.month === m).reduce((s, l) => s + num(l.amount), 0)),
  }));
}

export type Basis = "bed" | "attached";

/** The MOs that have the denominator, by their figure per bed or per attached person, largest first. */
export function perUnit(items: readonly Comparable[], basis: Basis, top = 20): Datum[] {
  return items
    .map((i) => ({ label: i.code ? `${i.code} ${i.name}` : i.name, value: basis === "bed" ? i.expense_per_bed : i.expense_per_attached }))
    .filter((d): d is { label: string; value: string } => d.value != null)
    .map((d) => ({ label: d.label, value: num(d.value) }))
    .sort((a, b) => b.value - a.value)
    .slice(0, top);
}

/** The share as `72,4 %`, «—» when unknown. */
export function percent(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return "—";
  return `${(Math.round(value * 1000) / 10).toFixed(1).replace(".", ",")}\u00a0%`;
}

/** The payables' change over the period: `+150,0 %`, «—» without a start. */
export function growth(start: string | number, end: string | number): string {
  const s = num(start);
  if (s <= 0) return "—";
  const g = (num(end) - s) / s;
  return `${g >= 0 ? "+" : "−"}${(Math.round(Math.abs(g) * 1000) / 10).toFixed(1).replace(".", ",")}\u00a0%`;
}
