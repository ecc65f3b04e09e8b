/** Pure helpers of the register of beneficiaries: the list's filters as query parameters, names, the state of a benefit period, the history timeline. */

export type StatusFilter = "" | "active" | "refused" | "other" | "local";

export interface Filters {
  q: string;
  category: string;
  funding_source: "" | "federal" | "regional";
  status: StatusFilter;
}

export const NO_FILTERS: Filters = { q: "", category: "", funding_source: "", status: "" };

const STATUSES: StatusFilter[] = ["active", "refused", "other", "local"];

/** Filters from the URL's search parameters (unknown values dropped). */
export function filtersFrom(params: URLSearchParams): Filters {
  const funding = params.get("funding_source");
  const status = params.get("status") as StatusFilter | null;
  return {
    q: params.get("q") ?? "",
    category: params.get("category") ?? "",
    funding_source: funding === "federal" || funding === "regional" ? funding : "",
    status: status && STATUSES.includes(status) ? status : "",
  };
}

/** The list's query parameters: the filters set, the state as the API's own filters, the page and the sort. */
export function listQuery(
  filters: Filters,
  today: string,
  page: { limit: number; offset: number; sort: string | null },
): Record<string, string | number | boolean> {
  const query: Record<string, string | number | boolean> = { limit: page.limit, offset: page.offset };
  if (page.sort) query.sort = page.sort;
  const q = filters.q.trim();
  if (q) query.q = q;
  if (filters.category) query.category = filters.category;
  if (filters.funding_source) query.funding_source = filters.funding_source;
  if (filters.status === "active") query.active_on = today;
  if (filters.status === "refused") query.refused_year = Number(today.slice(0, 4));
  if (filters.status === "other") query.other_region = true;
  if (filters.status === "local") query.other_region = false;
  return query;
}

/** Today as `YYYY-MM-DD` in local time (the API's date). */
export function isoDay(d: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function fullName(p: { surname: string | null; first_name: string | null; patronymic: string | null }): string | null {
  const parts = [p.surname, p.first_name, p.patronymic].filter((x): x is string => !!x && x.trim() !== "");
  return parts.length ? parts.join(" ") : null;
}

export interface Period {
  category_code: string;
  valid_from: string;
  valid_to?: string | null;
}

export type PeriodState = "active" | "ended" | "future" | "refused";

/** A benefit period on `today`: not yet started, ended, refused in kind this year (a refusable federal category), or in force. */
export function periodState(period: Period, today: string, refusedYears: number[], refusable: boolean): PeriodState {
  if (period.valid_from > today) return "future";
  if (period.valid_to && period.valid_to < today) return "ended";
  if (refusable && refusedYears.includes(Number(today.slice(0, 4)))) return "refused";
  return "active";
}

export type EventKind = "started" | "ended" | "refusal" | "death";

export interface HistoryEvent {
  day: string;
  kind: EventKind;
  category?: string;
  year?: number;
  document?: { kind: string | null; number: string | null } | null;
}

/** The history of a beneficiary's benefits, newest first: each period's start (with its document) and end (when it has passed),
 * each year's in-kind refusal (from 1 January), the death. Events of one day keep starts before ends. */
export function timeline(
  card: {
    entitlements: (Period & { document_kind?: string | null; document_number?: string | null })[];
    refused_years: number[];
    death_date: string | null;
  },
  today: string,
): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const e of card.entitlements) {
    events.push({
      day: e.valid_from,
      kind: "started",
      category: e.category_code,
      document: e.document_kind || e.document_number ? { kind: e.document_kind ?? null, number: e.document_number ?? null } : null,
    });
    if (e.valid_to && e.valid_to <= today) events.push({ day: e.valid_to, kind: "ended", category: e.category_code });
  }
  for (const year of card.refused_years) events.push({ day: `${year}-01-01`, kind: "refusal", year });
  if (card.death_date) events.push({ day: card.death_date, kind: "death" });
  const order: Record<EventKind, number> = { death: 0, ended: 1, refusal: 2, started: 3 };
  return events.sort((a, b) => (a.day === b.day ? order[a.kind] - order[b.kind] : a.day < b.day ? 1 : -1));
}
