/** Pure logic of the control and marking pages: filters from the URL, the default period, query strings, chart data. */
export const REPORT_STATUSES = ["queued", "sent", "accepted", "rejected", "failed"] as const;
export const OPERATIONS = ["dispense_by_prescription", "write_off", "return"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export type Operation = (typeof OPERATIONS)[number];

export interface ReportFilters {
  status: string;
  operation: string;
  date_from: string;
  date_to: string;
  sgtin: string;
  pharmacy_id: string;
}

export function reportFiltersFrom(params: URLSearchParams): ReportFilters {
  const status = params.get("status") ?? "";
  const operation = params.get("operation") ?? "";
  return {
    status: (REPORT_STATUSES as readonly string[]).includes(status) ? status : "",
    operation: (OPERATIONS as readonly string[]).includes(operation) ? operation : "",
    date_from: isoDay(params.get("date_from")),
    date_to: isoDay(params.get("date_to")),
    sgtin: sgtinOf(params.get("sgtin")),
    pharmacy_id: uuidOf(params.get("pharmacy_id")),
  };
}

function uuidOf(value: string | null): string {
  return value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : "";
}

function sgtinOf(value: string | null): string {
  return value && /^\d{14}[A-Za-z0-9]{13}$/.test(value) ? value : "";
}

function isoDay(value: string | null): string {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : "";
}

/** Only the filters that are set, as the API's query. */
export function reportQuery(f: ReportFilters, limit: number, offset: number): Record<string, string | number> {
  const q: Record<string, string | number> = { limit, offset };
  for (const [k, v] of Object.entries(f) as [string, string][]) if (v) q[k] = v;
  return q;
}

/** A failed or rejected report may be sent again. */
export function canResend(status: string): boolean {
  return status === "failed" || status === "rejected";
}

/** The CSS modifier of a status chip. */
export function chipTone(status: string): "ok" | "wait" | "bad" {
  if (status === "accepted") return "ok";
  if (status === "rejected" || status === "failed") return "bad";
  return "wait";
}

export interface Period {
  period_from: string;
  period_to: string;
  pharmacy_id: string;
}

const pad = (n: number) => String(n).padStart(2, "0");
const day = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The previous calendar month — what a control usually covers. */
export function previousMonth(today: Date): { period_from: string; period_to: string } {
  const first = new Date(today.getFullYear(), today.getMonth() - 1, 1);
  const last = new Date(today.getFullYear(), today.getMonth(), 0);
  return { period_from: day(first), period_to: day(last) };
}

export function periodFrom(params: URLSearchParams, today: Date): Period {
  const fallback = previousMonth(today);
  const from = isoDay(params.get("period_from")) || fallback.period_from;
  let to = isoDay(params.get("period_to")) || fallback.period_to;
  if (to < from) to = from;
  return { period_from: from, period_to: to, pharmacy_id: params.get("pharmacy_id") ?? "" };
}

export function periodQuery(p: Period): string {
  const q = new URLSearchParams({ period_from: p.period_from, period_to: p.period_to });
  if (p.pharmacy_id) q.set("pharmacy_id", p.pharmacy_id);
  return q.toString();
}

export interface CodeCount {
  code: string;
  title: string;
  count: number;
}

/** The chart's bars: most frequent first, the server's title as the label. */
export function chartData(byCode: readonly CodeCount[]): { label: string; value: number }[] {
  return [...byCode].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)).map((c) => ({ label: c.title, value: c.count }));
}
