/**
 * A report form in the browser: the template the API serves (rows, columns, formulas, control
 * ratios) and the cell values in kopecks. As the MO types a manual cell, the formulas are worked
 * out again here (rows, then columns, each in dependency order — as the server's engine does)
 * and the form's own control ratios checked, so errors show while typing; the inter-form ratios
 * need the other form's report and come from the server's answer.
 */
import type { components } from "../../../api/generated/finance";
import { formatKopecks, parseAmount } from "../budget/grid";

export type Template = components["schemas"]["TemplateRead"];
export type ServerCell = components["schemas"]["CellRead"];
export type ServerViolation = components["schemas"]["ViolationRead"];
export type CellKind = ServerCell["kind"];
export type Kopecks = Record<string, number | null>; // `${row}:${column}` → kopecks

export const cellKey = (row: string, column: string) => `${row}:${column}`;

export interface LocalViolation {
  code: string;
  severity: "error" | "warning";
  message: string;
  rule: string;
  left: number; // kopecks
  right: number;
  cells: string[]; // cell keys of this form
  interForm: boolean;
}

export function kopecksOf(cells: readonly ServerCell[]): Kopecks {
  const out: Kopecks = {};
  for (const c of cells) {
    const parsed = c.value === null ? null : parseAmount(c.value);
    out[cellKey(c.row, c.column)] = parsed && parsed.ok ? parsed.kopecks : null;
  }
  return out;
}

export function kindsOf(cells: readonly ServerCell[]): Record<string, CellKind> {
  return Object.fromEntries(cells.map((c) => [cellKey(c.row, c.column), c.kind]));
}

const terms = (formula: string): [number, string][] => {
  const out: [number, string][] = [];
  let sign = 1;
  for (const part of formula.split(/\s+/).filter(Boolean)) {
    if (part === "+") sign = 1;
    else if (part === "-") sign = -1;
    else {
      out.push([sign, part]);
      sign = 1;
    }
  }
  return out;
};

function order(formulas: Record<string, [number, string][]>): string[] {
  const done: string[] = [];
  const seen = new Set<string>();
  const visit = (code: string) => {
    if (seen.has(code)) return;
    seen.add(code);
    for (const [, dep] of formulas[code] ?? []) if (dep in formulas) visit(dep);
    done.push(code);
  };
  Object.keys(formulas).forEach(visit);
  return done;
}

/** Every formula cell worked out again from the data and manual cells of ``values``. */
export function recompute(template: Template, kinds: Record<string, CellKind>, values: Kopecks): Kopecks {
  const out: Kopecks = { ...values };
  const rowTerms: Record<string, [number, string][]> = {};
  for (const r of template.rows) if (r.formula) rowTerms[r.code] = terms(r.formula);
  const colTerms: Record<string, [number, string][]> = {};
  for (const c of template.columns) if (c.formula) colTerms[c.code] = terms(c.formula);
  for (const row of order(rowTerms)) {
    for (const col of template.columns) {
      const key = cellKey(row, col.code);
      if (kinds[key] !== "row_formula") continue;
      out[key] = rowTerms[row]!.reduce((sum, [sign, dep]) => sum + sign * (out[cellKey(dep, col.code)] ?? 0), 0);
    }
  }
  for (const col of order(colTerms)) {
    for (const row of template.rows) {
      const key = cellKey(row.code, col);
      if (kinds[key] !== "column_formula") continue;
      out[key] = colTerms[col]!.reduce((sum, [sign, dep]) => sum + sign * (out[cellKey(row.code, dep)] ?? 0), 0);
    }
  }
  return out;
}

// --- control ratios -------------------------------------------------------------------------

type Token = { ref: [string | null, string, string] } | { num: number } | { op: string };
const TOKEN = /\s*(?:\[(?:(\w+)!)?([\w.]+):(\w+)\]|(\d+(?:\.\d+)?)|(<=|>=|=|<|>|[-+*()]))/y;
const COMPARISONS = ["<=", ">=", "=", "<", ">"];

function tokens(expr: string): Token[] {
  const out: Token[] = [];
  const text = expr.trimEnd();
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`bad control ratio: ${expr}`);
    if (m[2]) out.push({ ref: [m[1] ?? null, m[2], m[3]!] });
    else if (m[4]) out.push({ num: Number(m[4]) });
    else out.push({ op: m[5]! });
  }
  return out;
}

function evaluate(list: Token[], get: (form: string | null, row: string, col: string) => number): number {
  let pos = 0;
  const atom = (): number => {
    const t = list[pos++]!;
    if ("ref" in t) return get(...t.ref);
    if ("num" in t) return t.num * 100; // numbers in the ratios are rubles
    if (t.op === "(") {
      const v = sum();
      pos++;
      return v;
    }
    if (t.op === "-") return -atom();
    throw new Error(`unexpected ${t.op}`);
  };
  const product = (): number => {
    let v = atom();
    while (pos < list.length && "op" in list[pos]! && (list[pos] as { op: string }).op === "*") {
      pos++;
      v = (v * atom()) / 100; // kopecks × a number written in rubles
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (pos < list.length && "op" in list[pos]! && ["+", "-"].includes((list[pos] as { op: string }).op)) {
      const op = (list[pos++] as { op: string }).op;
      v = op === "+" ? v + product() : v - product();
    }
    return v;
  };
  return sum();
}

function holds(left: number, op: string, right: number): boolean {
  const l = Math.round(left);
  const r = Math.round(right);
  if (op === "=") return l === r;
  if (op === "<=") return l <= r;
  if (op === ">=") return l >= r;
  if (op === "<") return l < r;
  return l > r;
}

/** «[02:3] <= [01:3]» → «стр. 02 гр. 3 ≤ стр. 01 гр. 3», as the server says it. */
export function describe(expr: string, form: string): string {
  return expr
    .replace(/\[(?:(\w+)!)?([\w.]+):(\w+)\]/g, (_, other: string | undefined, row: string, col: string) =>
      `${other && other !== form ? `ф. ${other} ` : ""}стр. ${row} гр. ${col}`,
    )
    .replace(/<=/g, "≤")
    .replace(/>=/g, "≥")
    .replace(/\*/g, "×");
}

/** The form's own control ratios on ``values`` (inter-form ones are the server's). */
export function checkRules(template: Template, values: Kopecks): LocalViolation[] {
  const out: LocalViolation[] = [];
  for (const rule of template.rules) {
    if (rule.inter_form) continue;
    let expansions = [rule.expr];
    if (rule.columns.length) expansions = expansions.flatMap((e) => rule.columns.map((c) => e.replaceAll("{c}", c)));
    if (rule.rows.length) expansions = expansions.flatMap((e) => rule.rows.map((r) => e.replaceAll("{r}", r)));
    for (const text of expansions) {
      const list = tokens(text);
      const at = list.findIndex((t) => "op" in t && COMPARISONS.includes(t.op));
      const op = (list[at] as { op: string }).op;
      const cells: string[] = [];
      const get = (_form: string | null, row: string, col: string) => {
        const key = cellKey(row, col);
        if (!cells.includes(key)) cells.push(key);
        return values[key] ?? 0;
      };
      const left = evaluate(list.slice(0, at), get);
      const right = evaluate(list.slice(at + 1), get);
      if (!holds(left, op, right)) {
        out.push({
          code: rule.code,
          severity: rule.severity,
          message: rule.message,
          rule: describe(text, template.form),
          left: Math.round(left),
          right: Math.round(right),
          cells,
          interForm: false,
        });
      }
    }
  }
  return out;
}

/** The server's violations in the same shape (their cells of this form only); ``interOnly``:
 * just the inter-form ones (the others are checked here as the MO types). */
export function fromServer(violations: readonly ServerViolation[], interOnly = true): LocalViolation[] {
  return violations
    .filter((v) => !interOnly || v.cells.some((c) => c.form !== null))
    .map((v) => {
      const left = parseAmount(v.left);
      const right = parseAmount(v.right);
      return {
        code: v.code,
        severity: v.severity,
        message: v.message,
        rule: v.rule,
        left: left.ok ? (left.kopecks ?? 0) : 0,
        right: right.ok ? (right.kopecks ?? 0) : 0,
        cells: v.cells.filter((c) => c.form === null).map((c) => cellKey(c.row, c.column)),
        interForm: v.cells.some((c) => c.form !== null),
      };
    });
}

export const money = (kopecks: number | null | undefined): string => formatKopecks(kopecks ?? null);

/** The typed manual cells → kopecks, or the first typing mistake of each cell. */
export function parseTyped(typed: Record<string, string>): { values: Kopecks; errors: Record<string, string> } {
  const values: Kopecks = {};
  const errors: Record<string, string> = {};
  for (const [key, text] of Object.entries(typed)) {
    const parsed = parseAmount(text);
    if (!parsed.ok) errors[key] = parsed.message;
    else if (parsed.kopecks !== null && parsed.kopecks < 0) errors[key] = "значение не может быть отрицательным";
    else values[key] = parsed.kopecks;
  }
  return { values, errors };
}

/** Kopecks → the API's decimal string («1234.50»), null for an empty cell. */
export function toDecimal(kopecks: number | null | undefined): string | null {
  if (kopecks === null || kopecks === undefined) return null;
  const sign = kopecks < 0 ? "-" : "";
  const abs = Math.abs(kopecks);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
