/**
 * The entry grid's logic, apart from React: amounts as people type them («1 234,56»), the
 * grid's cells keyed by flow × КВФО × КОСГУ, totals per row and column in kopecks (no float
 * drift), the body of a save, and the server's per-cell errors put back on their cells.
 */
import { NBSP } from "../../../app/format";

export type Flow = "income" | "expense" | "payable";
export type Column = "planned" | "actual";
export const FLOWS: readonly Flow[] = ["income", "expense", "payable"];
/** КВФО in the order the grid shows them: CMI first. */
export const KVFO_COLUMNS: readonly number[] = [7, 4, 5, 6, 2];

export interface KosguInfo {
  code: string;
  name: string;
  flow: "income" | "expense";
  group: string;
  cmi_allowed: "yes" | "no" | "conditional";
}

/** A cell as the month's answer has it (amounts as decimal strings). */
export interface ServerCell {
  flow: Flow;
  kvfo: number;
  kosgu: string;
  planned: string | null;
  actual: string;
  entered: boolean;
  payments: string | null;
  difference: string | null;
}

export type CellKey = string; // `${flow}:${kvfo}:${kosgu}`
export interface CellText {
  planned: string;
  actual: string;
}
export type Values = Record<CellKey, CellText>;
export type CellErrors = Record<CellKey, Partial<Record<Column | "cell", string>>>;

export const cellKey = (flow: Flow, kvfo: number, kosgu: string): CellKey => `${flow}:${kvfo}:${kosgu}`;

export function splitKey(key: CellKey): { flow: Flow; kvfo: number; kosgu: string } {
  const [flow, kvfo, kosgu] = key.split(":");
  return { flow: flow as Flow, kvfo: Number(kvfo), kosgu: kosgu ?? "" };
}

export type Parsed = { ok: true; kopecks: number | null } | { ok: false; message: string };

const SPACES = /[\s\u00a0\u2009\u202f']/g;
const SHAPE = /^-?\d+(\.\d{1,2})?$/;

/** «1 234,56», «1234.5», «-12» → kopecks; empty → null; anything else → a Russian message. */
export function parseAmount(text: string): Parsed {
  const raw = text.replace(SPACES, "");
  if (raw === "") return { ok: true, kopecks: null };
  if (raw.includes(",") && raw.includes(".")) return { ok: false, message: "и запятая, и точка — оставьте одну" };
  const normal = raw.replace(",", ".");
  if (!SHAPE.test(normal)) return { ok: false, message: "не число с не более чем двумя знаками после запятой" };
  const negative = normal.startsWith("-");
  const [int = "0", frac = ""] = normal.replace("-", "").split(".");
  const kopecks = Number(int) * 100 + Number(frac.padEnd(2, "0"));
  if (!Number.isSafeInteger(kopecks)) return { ok: false, message: "слишком большая сумма" };
  return { ok: true, kopecks: negative ? -kopecks : kopecks };
}

/** Kopecks → «1 234,56» (no-break spaces between thousands). */
export function formatKopecks(kopecks: number | null): string {
  if (kopecks === null) return "";
  const sign = kopecks < 0 ? "-" : "";
  const abs = Math.abs(kopecks);
  const int = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  return `${sign}${int},${String(abs % 100).padStart(2, "0")}`;
}

/** A decimal string of the API («1234.50») → what the grid shows and edits («1 234,50»). */
export function fromServer(value: string | null): string {
  if (value === null) return "";
  const parsed = parseAmount(value);
  return parsed.ok ? formatKopecks(parsed.kopecks) : value;
}

export function valuesOf(cells: readonly ServerCell[]): Values {
  const values: Values = {};
  for (const c of cells) {
    if (!c.entered) continue;
    values[cellKey(c.flow, c.kvfo, c.kosgu)] = { planned: fromServer(c.planned), actual: fromServer(c.actual) };
  }
  return values;
}

const kopecksOf = (text: string | undefined): number => {
  if (!text) return 0;
  const parsed = parseAmount(text);
  return parsed.ok ? (parsed.kopecks ?? 0) : 0;
};

/** The sum of a row (one КОСГУ of a flow) over the КВФО columns. */
export function rowTotal(values: Values, flow: Flow, kosgu: string, column: Column): number {
  return KVFO_COLUMNS.reduce((sum, kvfo) => sum + kopecksOf(values[cellKey(flow, kvfo, kosgu)]?.[column]), 0);
}

/** The sum of a column (one КВФО, or every КВФО when null) over a flow's rows. */
export function columnTotal(values: Values, flow: Flow, kvfo: number | null, column: Column): number {
  let sum = 0;
  for (const [key, text] of Object.entries(values)) {
    const cell = splitKey(key);
    if (cell.flow === flow && (kvfo === null || cell.kvfo === kvfo)) sum += kopecksOf(text[column]);
  }
  return sum;
}

/** Local problems of what is typed (before any save): cell → column → message. */
export function localErrors(values: Values): CellErrors {
  const errors: CellErrors = {};
  for (const [key, text] of Object.entries(values)) {
    for (const column of ["planned", "actual"] as const) {
      const parsed = parseAmount(text[column]);
      if (!parsed.ok) (errors[key] ??= {})[column] = parsed.message;
      else if (splitKey(key).flow === "payable" && (parsed.kopecks ?? 0) < 0)
        (errors[key] ??= {})[column] = "задолженность не бывает отрицательной";
    }
  }
  return errors;
}

export interface CellIn {
  flow: Flow;
  kvfo: number;
  kosgu: string;
  planned: string | null;
  actual: string | null;
}

/** The PUT body: every cell with a plan or an actual, amounts as typed (the server parses them). */
export function bodyOf(values: Values): CellIn[] {
  const body: CellIn[] = [];
  for (const key of Object.keys(values).sort()) {
    const text = values[key]!;
    const planned = text.planned.trim();
    const actual = text.actual.trim();
    if (!planned && !actual) continue;
    const { flow, kvfo, kosgu } = splitKey(key);
    body.push({ flow, kvfo, kosgu, planned: planned || null, actual: actual || null });
  }
  return body;
}

/**
 * The server's 422 (`errors[].field` = `body.<index>.<column>`) back on the cells of the body
 * that was sent. A problem with the КВФО, КОСГУ or flow belongs to the cell as a whole.
 */
export function serverErrors(sent: readonly CellIn[], fieldErrors: readonly { field: string; message: string }[]): CellErrors {
  const errors: CellErrors = {};
  for (const e of fieldErrors) {
    const match = /^body\.(\d+)\.(\w+)$/.exec(e.field);
    const cell = match ? sent[Number(match[1])] : undefined;
    if (!match || !cell) continue;
    const key = cellKey(cell.flow, cell.kvfo, cell.kosgu);
    const column = match[2] === "planned" || match[2] === "actual" ? match[2] : "cell";
    const slot = (errors[key] ??= {});
    slot[column] = slot[column] ? `${slot[column]}; ${e.message}` : e.message;
  }
  return errors;
}

/** The КОСГУ rows of a flow: those with a value (or every code of the section when `all`). */
export function rowsOf(kosgu: readonly KosguInfo[], values: Values, flow: Flow, all: boolean): KosguInfo[] {
  const section = flow === "income" ? "income" : "expense";
  const used = new Set(
    Object.keys(values)
      .map(splitKey)
      .filter((c) => c.flow === flow)
      .map((c) => c.kosgu),
  );
  return kosgu.filter((k) => k.flow === section && (all || used.has(k.code)));
}

export function sameValues(a: Values, b: Values): boolean {
  const norm = (v: Values) =>
    JSON.stringify(
      bodyOf(v).map((c) => [c.flow, c.kvfo, c.kosgu, kopecksOf(c.planned ?? ""), c.planned === null, kopecksOf(c.actual ?? "")]),
    );
  return norm(a) === norm(b);
}

/** `2026-03` → `2026-04` (or back with -1). */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The month an MO reports now: the previous calendar month. */
export function defaultMonth(today: Date = new Date()): string {
  return shiftMonth(`${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}`, -1);
}

export const isMonth = (text: string | undefined): text is string => !!text && /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
