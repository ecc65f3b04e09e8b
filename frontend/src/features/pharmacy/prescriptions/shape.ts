/** Pure helpers of the prescriptions pages: the list's filters in the URL, the term, which pharmacies can hold a reservation, the drug picker's filter. */

export const STATUSES = ["issued", "deferred", "dispensed", "cancelled", "expired"] as const;
export type Status = (typeof STATUSES)[number];

export interface Filters {
  status: "" | Status;
  issued_from: string;
  issued_to: string;
  series: string;
  number: string;
  inn: string;
  category: string;
  funding_source: "" | "federal" | "regional";
  doctor: string;
  person_id: string;
  mo_id: string;
}

export const FILTER_KEYS = [
  "status",
  "issued_from",
  "issued_to",
  "series",
  "number",
  "inn",
  "category",
  "funding_source",
  "doctor",
  "person_id",
  "mo_id",
] as const satisfies readonly (keyof Filters)[];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Filters from the URL (values the API would refuse are dropped). */
export function filtersFrom(params: URLSearchParams): Filters {
  const get = (k: string) => (params.get(k) ?? "").trim();
  const status = get("status");
  const funding = get("funding_source");
  const date = (k: string) => (DATE.test(get(k)) ? get(k) : "");
  const id = (k: string) => (UUID.test(get(k)) ? get(k) : "");
  return {
    status: (STATUSES as readonly string[]).includes(status) ? (status as Status) : "",
    issued_from: date("issued_from"),
    issued_to: date("issued_to"),
    series: /^\d{7}$/.test(get("series")) ? get("series") : "",
    number: /^\d{1,9}$/.test(get("number")) && Number(get("number")) > 0 ? String(Number(get("number"))) : "",
    inn: get("inn"),
    category: get("category"),
    funding_source: funding === "federal" || funding === "regional" ? funding : "",
    doctor: get("doctor"),
    person_id: id("person_id"),
    mo_id: id("mo_id"),
  };
}

/** Only the filters set, with paging and sorting, as the list's query parameters. */
export function listQuery(
  filters: Filters,
  page: { limit: number; offset: number; sort: string | null },
): Record<string, string | number> {
  const query: Record<string, string | number> = { limit: page.limit, offset: page.offset };
  if (page.sort) query.sort = page.sort;
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) query[key] = key === "number" ? Number(value) : value;
  }
  return query;
}

/** The export's URL: the same filters and order, no paging. */
export function exportUrl(filters: Filters, sort: string | null): string {
  const query = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key]) query.set(key, filters[key]);
  if (sort) query.set("sort", sort);
  const text = query.toString();
  return `/api/pharmacy/prescriptions/export.xlsx${text ? `?${text}` : ""}`;
}

/** The last valid day of a prescription written on `issuedOn` (YYYY-MM-DD) for `days` days:
 * the term runs from the day after (a 30-day prescription of 1 March is valid to 31 March). */
export function validUntil(issuedOn: string, days: number): string {
  const [y = 1970, m = 1, d = 1] = issuedOn.split("-").map(Number);
  const at = new Date(Date.UTC(y, m - 1, d + days));
  return at.toISOString().slice(0, 10);
}

/** Today as YYYY-MM-DD in the browser's time zone. */
export function today(now: Date = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

export interface StockLine {
  pharmacy_id: string;
  pharmacy_name: string | null;
  free: number;
  free_federal: number;
  free_regional: number;
}

/** Free packages of the funding source the prescription is paid from. */
export function freeFor(line: StockLine, funding: "federal" | "regional"): number {
  return funding === "federal" ? line.free_federal : line.free_regional;
}

/** The pharmacies that can reserve `quantity` packages paid from `funding`, most free first. */
export function reservable(stock: StockLine[], quantity: number, funding: "federal" | "regional"): StockLine[] {
  if (!Number.isInteger(quantity) || quantity < 1) return [];
  return stock
    .filter((s) => freeFor(s, funding) >= quantity)
    .sort((a, b) => freeFor(b, funding) - freeFor(a, funding) || (a.pharmacy_name ?? "").localeCompare(b.pharmacy_name ?? "", "ru"));
}

export interface DrugLine {
  inn: string;
  trade_name: string;
  dosage_form: string;
  dosage: string;
  categories: string[];
}

/** Does a drug match the picker's text (МНН, trade name, form or dosage; «ё» as «е», any case)? */
export function drugMatches(drug: DrugLine, text: string): boolean {
  const norm = (s: string) => s.toLocaleLowerCase("ru").replaceAll("ё", "е");
  const words = norm(text).split(/\s+/).filter(Boolean);
  const hay = norm(`${drug.inn} ${drug.trade_name} ${drug.dosage_form} ${drug.dosage}`);
  return words.every((w) => hay.includes(w));
}

/** The drugs of one category (the picker shows those of the chosen category). */
export function drugsOf<T extends DrugLine>(drugs: T[], category: string): T[] {
  return category ? drugs.filter((d) => d.categories.includes(category)) : drugs;
}

/** An ICD-10 code fits a disease category's prefixes (none — any code). */
export function diagnosisFits(code: string, prefixes: string[]): boolean {
  const c = code.trim().toUpperCase();
  return prefixes.length === 0 || prefixes.some((p) => c.startsWith(p.toUpperCase()));
}

/** Issued or deferred: still open (a doctor may cancel it). «expired» is issued past its term. */
export function isOpen(status: string): boolean {
  return status === "issued" || status === "deferred" || status === "expired";
}

/** A search text is a person id (then the list is asked by id) or the start of a name. */
export function personQuery(text: string): { person_id: string } | { q: string } | null {
  const value = text.trim();
  if (UUID.test(value)) return { person_id: value };
  return value.length >= 2 ? { q: value } : null;
}
