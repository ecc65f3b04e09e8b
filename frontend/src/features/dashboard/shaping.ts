/**
 * Pure shaping of the dashboards' data into chart inputs (no React, tested in Node): the
 * sign-in activity into a line (per day) and a heat map (weekday × hour), organizations
 * into counts by kind, NSI dictionaries into the headline figures.
 */
import type { components as Gateway } from "../../api/generated/gateway";
import type { Datum, Series } from "../../components/charts/data";
import { countBy } from "../../components/charts/data";

export type SignInActivity = Gateway["schemas"]["SignInActivity"];

/** `2026-11-23` → `23.11`: the API's calendar dates, never shifted through a time zone. */
export function dayLabel(isoDate: string): string {
  const [, month, day] = isoDate.split("-");
  return `${day}.${month}`;
}

/** One label per day and two series, successful and refused sign-ins. */
export function signInLine(activity: SignInActivity, names: { successful: string; failed: string }): { labels: string[]; series: Series[] } {
  return {
    labels: activity.daily.map((d) => dayLabel(d.date)),
    series: [
      { label: names.successful, values: activity.daily.map((d) => d.successful) },
      { label: names.failed, values: activity.daily.map((d) => d.failed) },
    ],
  };
}

/**
 * The weekday × hour matrix (Monday first, hours 0–23) as a heat map. Hours nobody signs in
 * at, on any day, are cut from the edges (night hours) so the busy part is readable;
 * zeros inside the range stay zeros.
 */
export function signInHeatMap(activity: SignInActivity, weekdays: readonly string[]): { rows: string[]; columns: string[]; values: number[][] } {
  const matrix = activity.weekday_hour;
  const used = Array.from({ length: 24 }, (_, h) => matrix.some((row) => (row[h] ?? 0) > 0));
  let first = used.indexOf(true);
  let last = used.lastIndexOf(true);
  if (first < 0) [first, last] = [8, 18]; // nothing yet: the working day, all zeros
  const hours = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  return {
    rows: weekdays.slice(0, 7),
    columns: hours.map((h) => String(h).padStart(2, "0")),
    values: matrix.slice(0, 7).map((row) => hours.map((h) => row[h] ?? 0)),
  };
}

/** The busiest cell of the matrix (for a KPI hint): weekday index, hour and count, or null. */
export function busiestHour(activity: SignInActivity): { weekday: number; hour: number; count: number } | null {
  let best: { weekday: number; hour: number; count: number } | null = null;
  activity.weekday_hour.forEach((row, weekday) =>
    row.forEach((count, hour) => {
      if (count > 0 && (!best || count > best.count)) best = { weekday, hour, count };
    }),
  );
  return best;
}

export interface OrganizationLike {
  kind: string;
}

/** Organizations by kind, largest first, labelled. */
export function organizationsByKind(orgs: readonly OrganizationLike[], labelOf: (kind: string) => string): Datum[] {
  return countBy(orgs, (o) => o.kind, labelOf);
}

/** How many organizations of each kind (`mo`, `pharmacy`, …), 0 for a kind not present. */
export function countOfKind(orgs: readonly OrganizationLike[], kind: string): number {
  return orgs.reduce((n, o) => n + (o.kind === kind ? 1 : 0), 0);
}

export interface DictionaryLike {
  code: string;
  identifier?: string | null;
  current_version?: { version: string; valid_from: string } | null;
}

/** The OID of ICD-10 on the Ministry of Health's NSI portal. */
export const ICD10_OID = "1.2.643.5.1.13.13.11.1005";

/** The number of dictionaries and the ICD-10 version in force (null when there is none). */
export function nsiSummary(dictionaries: readonly DictionaryLike[]): {
  dictionaries: number;
  icd10: { version: string; validFrom: string } | null;
} {
  const icd = dictionaries.find((d) => d.code === "icd10" || d.identifier === ICD10_OID);
  const current = icd?.current_version;
  return { dictionaries: dictionaries.length, icd10: current ? { version: current.version, validFrom: current.valid_from } : null };
}

/** The day with the most successful sign-ins (the latest of equals), or null when there were none. */
export function peakDay(activity: SignInActivity): { date: string; successful: number } | null {
  let best: { date: string; successful: number } | null = null;
  for (const d of activity.daily) if (d.successful > 0 && (!best || d.successful >= best.successful)) best = { date: d.date, successful: d.successful };
  return best;
}
