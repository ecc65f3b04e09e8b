/**
 * The stock pages' logic, pure (tested without a browser): expiry marks, the codes scanned into a
 * receipt line (GTIN from the first code, no repeats across the invoice), the receipt body as the
 * API takes it, the balance over time for the card's chart.
 */
import { classify } from "../dispensing/scanInput";
import { GS } from "../scanner/wedge";

export const EXPIRING_DAYS = 90;

export type ExpiryLevel = "expired" | "soon" | "ok";

export function expiryLevel(daysToExpiry: number): ExpiryLevel {
  if (daysToExpiry < 0) return "expired";
  if (daysToExpiry <= EXPIRING_DAYS) return "soon";
  return "ok";
}

/** The GTIN (AI 01) at the start of a scanned code, after an optional symbology prefix. */
export function gtinOfCode(raw: string): string | null {
  const body = raw.trim().split(GS).join("");
  const m = /^(?:\][A-Za-zА-Яа-я]\d)?01(\d{14})/.exec(body);
  return m?.[1] ?? null;
}

const IDENTITY = new RegExp(`^01(\\d{14})21([^${GS}]{1,20})`);

/** The package's identity (GTIN + serial, AI 01 + 21) when the code's serial is cut by GS or is the fixed 13 characters. */
export function identityOfCode(raw: string): string {
  const body = raw.trim().replace(/^\][A-Za-zА-Яа-я]\d/, "");
  const m = IDENTITY.exec(body);
  if (!m?.[1] || !m[2]) return body;
  return m[1] + m[2].slice(0, 13);
}

export type ScanError = "duplicate" | "notCode" | "otherGtin";

export interface ScanResult {
  codes: string[];
  gtin: string;
  error?: ScanError;
  errorGtin?: string;
}

/**
 * One scan into a line: refused when not a marking code, of another GTIN than the line's, or a
 * package already scanned anywhere in the document (`taken`: identities of every line).
 */
export function addScan(line: { codes: string[]; gtin: string }, raw: string, taken: ReadonlySet<string>): ScanResult {
  const text = raw.trim();
  const keep = { codes: line.codes, gtin: line.gtin };
  const gtin = gtinOfCode(text);
  if (!text || classify(text) !== "code" || gtin === null) return { ...keep, error: "notCode" };
  if (line.gtin && gtin !== line.gtin) return { ...keep, error: "otherGtin", errorGtin: gtin };
  if (taken.has(identityOfCode(text))) return { ...keep, error: "duplicate" };
  return { codes: [...line.codes, text], gtin: line.gtin || gtin };
}

export function takenIdentities(lines: { codes: string[] }[]): Set<string> {
  return new Set(lines.flatMap((l) => l.codes.map(identityOfCode)));
}

export interface ReceiptLineDraft {
  key: number;
  gtin: string;
  series: string;
  expiry_date: string;
  funding_source: "federal" | "regional";
  unit_price: string;
  quantity: string;
  low_threshold: string;
  codes: string[];
}

export interface ReceiptDraft {
  supplier: string;
  invoice_number: string;
  invoice_date: string;
  pharmacy_id: string;
  lines: ReceiptLineDraft[];
}

export function emptyLine(key: number): ReceiptLineDraft {
  return { key, gtin: "", series: "", expiry_date: "", funding_source: "federal", unit_price: "", quantity: "", low_threshold: "", codes: [] };
}

export interface ReceiptLineBody {
  gtin: string;
  series: string;
  expiry_date: string;
  funding_source: "federal" | "regional";
  unit_price: string;
  quantity: number;
  codes: string[];
  low_threshold?: number;
}

export interface ReceiptBody {
  supplier: string;
  invoice_number: string;
  invoice_date: string;
  pharmacy_id?: string;
  lines: ReceiptLineBody[];
}

export type DraftProblem =
  | { kind: "required"; line: number | null; fields: string[] }
  | { kind: "count"; line: number; codes: number; quantity: number };

/**
 * The body for POST /stock/receipts, or what is missing. A line with scanned codes takes their
 * number as its quantity when the quantity is left empty; a different number is a problem (the
 * server would refuse it too).
 */
export function receiptBody(draft: ReceiptDraft): { body: ReceiptBody } | { problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  const head = (["supplier", "invoice_number", "invoice_date"] as const).filter((f) => !draft[f].trim());
  if (head.length) problems.push({ kind: "required", line: null, fields: [...head] });
  const lines: ReceiptLineBody[] = [];
  draft.lines.forEach((l, i) => {
    const n = i + 1;
    const quantity = l.quantity.trim() ? Number.parseInt(l.quantity, 10) : l.codes.length;
    const missing = (["gtin", "series", "expiry_date", "unit_price"] as const).filter((f) => !l[f].trim());
    if (!Number.isFinite(quantity) || quantity <= 0) missing.push("quantity" as never);
    if (missing.length) {
      problems.push({ kind: "required", line: n, fields: missing });
      return;
    }
    if (l.codes.length && l.codes.length !== quantity) {
      problems.push({ kind: "count", line: n, codes: l.codes.length, quantity });
      return;
    }
    const threshold = Number.parseInt(l.low_threshold, 10);
    lines.push({
      gtin: l.gtin.trim(),
      series: l.series.trim(),
      expiry_date: l.expiry_date,
      funding_source: l.funding_source,
      unit_price: l.unit_price.trim().replace(",", "."),
      quantity,
      codes: l.codes,
      ...(Number.isFinite(threshold) && threshold >= 0 ? { low_threshold: threshold } : {}),
    });
  });
  if (problems.length) return { problems };
  return {
    body: {
      supplier: draft.supplier.trim(),
      invoice_number: draft.invoice_number.trim(),
      invoice_date: draft.invoice_date,
      ...(draft.pharmacy_id ? { pharmacy_id: draft.pharmacy_id } : {}),
      lines,
    },
  };
}

/** The balance at the end of each day with movements (time order), for the card's chart. */
export function balanceByDay(movements: { booked_at: string; balance: number }[]): { labels: string[]; values: number[] } {
  const days = new Map<string, number>();
  const sorted = [...movements].sort((a, b) => a.booked_at.localeCompare(b.booked_at));
  for (const m of sorted) {
    const d = new Date(m.booked_at);
    const key = `${String(d.getDate()).padStart(2, "0")}.${String(d.getMonth() + 1).padStart(2, "0")}.${d.getFullYear()}`;
    days.delete(key); // keep insertion order = the day's last movement's order
    days.set(key, m.balance);
  }
  return { labels: [...days.keys()], values: [...days.values()] };
}

/** Today as YYYY-MM-DD in local time (default document date). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}
