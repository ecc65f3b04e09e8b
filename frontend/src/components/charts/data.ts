/** Pure data shaping for the charts: counting, ordering, summaries, heat-map scales. */
import { formatNumber } from "../../app/format";

export interface Datum {
  label: string;
  value: number;
}

/** One line (or bar group) of a multi-series chart: a value per label. */
export interface Series {
  label: string;
  values: number[];
}

/**
 * Counts items by a key (`kind`, a role…), each item possibly under several keys, largest
 * first, ties by label; `labelOf` turns a key into its display text.
 */
export function countBy<T>(
  items: readonly T[],
  keysOf: (item: T) => string | readonly string[],
  labelOf: (key: string) => string = (k) => k,
): Datum[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const keys = keysOf(item);
    for (const key of typeof keys === "string" ? [keys] : keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([key, value]) => ({ label: labelOf(key), value }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, "ru"));
}

/** `Title: A — 3, B — 1` with Russian number formatting, for an aria-label. */
export function summarize(title: string, data: readonly Datum[], format: (v: number) => string = (v) => formatNumber(v)): string {
  if (data.length === 0) return title;
  return `${title}: ${data.map((d) => `${d.label} — ${format(d.value)}`).join(", ")}`;
}

/** Share of each datum in per cent, rounded to one decimal; zeros when the total is 0. */
export function shares(data: readonly Datum[]): number[] {
  const total = data.reduce((s, d) => s + d.value, 0);
  return data.map((d) => (total > 0 ? Math.round((d.value / total) * 1000) / 10 : 0));
}

/** 0..1 position of `value` between min and max (0.5 when they are equal; null stays null). */
export function heatLevel(value: number | null, min: number, max: number): number | null {
  if (value == null || !Number.isFinite(value)) return null;
  if (max <= min) return 0.5;
  return Math.min(1, Math.max(0, (value - min) / (max - min)));
}

/** Min and max of a matrix, ignoring nulls; [0, 0] when there is no value. */
export function extent(matrix: readonly (readonly (number | null)[])[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const row of matrix)
    for (const v of row)
      if (v != null && Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
  return min === Infinity ? [0, 0] : [min, max];
}

/** A fixed qualitative palette (colour-blind friendly, Okabe–Ito), cycled. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];
export const colorAt = (i: number) => PALETTE[i % PALETTE.length]!;

export interface LegendItem {
  label: string;
  value: string;
  share: string;
  color: string;
}

/**
 * The legend of a pie, drawn as HTML beside the canvas: the full label (long Russian names
 * wrap instead of being cut off, as Chart.js's canvas legend does), the value and the share,
 * in the colours the slices get (`colorAt` by position).
 */
export function legendItems(data: readonly Datum[], format: (v: number) => string = (v) => formatNumber(v)): LegendItem[] {
  const pct = shares(data);
  return data.map((d, i) => ({ label: d.label, value: format(d.value), share: `${formatNumber(pct[i], 1)}\u00a0%`, color: colorAt(i) }));
}
