/**
 * Russian formats, built by hand so they do not depend on the ICU data of the browser:
 * dates `dd.MM.yyyy`, date-times `dd.MM.yyyy HH:mm`, money `1 234,56 ₽`, counts `12 345`.
 * The separators are no-break spaces (U+00A0), so an amount never breaks across lines.
 */

export const NBSP = "\u00a0";
const EMPTY = "—";

const pad = (n: number) => String(n).padStart(2, "0");

/** A date-only ISO string (`2026-11-23`) is a calendar date: no time-zone shift. */
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function toDate(value: string | Date): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const m = DATE_ONLY.exec(value);
  const d = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `dd.MM.yyyy` in local time; "—" for null, undefined or an unparsable value. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value == null || value === "") return EMPTY;
  const d = toDate(value);
  if (!d) return EMPTY;
  return `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()}`;
}

/** `dd.MM.yyyy HH:mm` in local time. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (value == null || value === "") return EMPTY;
  const d = toDate(value);
  if (!d) return EMPTY;
  return `${formatDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
}

/**
 * Splits a decimal (a number, or a string as the API sends money: "1234.5") into sign,
 * integer digits and `fractionDigits` rounded fraction digits. Strings are rounded as
 * decimals (half away from zero), never through a binary float.
 */
function decimalParts(value: number | string, fractionDigits: number): [string, string, string] | null {
  let text = typeof value === "number" ? (Number.isFinite(value) ? value.toFixed(fractionDigits) : "") : value.trim();
  const m = /^([+-]?)(\d+)(?:[.,](\d*))?$/.exec(text);
  if (!m) return null;
  const sign = m[1] === "-" ? "-" : "";
  let int = m[2]!.replace(/^0+(?=\d)/, "");
  let frac = (m[3] ?? "").padEnd(fractionDigits + 1, "0");
  const roundUp = Number(frac[fractionDigits]) >= 5;
  frac = frac.slice(0, fractionDigits);
  if (roundUp) {
    const scaled = (BigInt(int + frac) + 1n).toString().padStart(int.length + fractionDigits, "0");
    int = scaled.slice(0, scaled.length - fractionDigits) || "0";
    frac = scaled.slice(scaled.length - fractionDigits);
  }
  text = int + frac;
  const isZero = /^0*$/.test(text);
  return [isZero ? "" : sign, int, frac];
}

/** `1 234,56 ₽`; `-1 234,56 ₽`; "—" for null or a value that is not a number. */
export function formatMoney(value: number | string | null | undefined, currency = "₽"): string {
  if (value == null || value === "") return EMPTY;
  const parts = decimalParts(value, 2);
  if (!parts) return EMPTY;
  const [sign, int, frac] = parts;
  return `${sign}${groupThousands(int)},${frac}${NBSP}${currency}`;
}

/** `12 345`, or with `fractionDigits` a decimal comma: `1 234,5`. */
export function formatNumber(value: number | string | null | undefined, fractionDigits = 0): string {
  if (value == null || value === "") return EMPTY;
  const parts = decimalParts(value, fractionDigits);
  if (!parts) return EMPTY;
  const [sign, int, frac] = parts;
  return `${sign}${groupThousands(int)}${frac ? `,${frac}` : ""}`;
}
