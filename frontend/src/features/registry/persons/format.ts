/** How the register's values read on the screens: SNILS groups, full names, periods. */
import { formatDate } from "../../../app/format";

/** `11223344595` → `112-233-445 95` (as printed on the SNILS card); other input as is. */
export function formatSnils(value: string | null | undefined): string {
  if (!value) return "—";
  const digits = value.replace(/\D/g, "");
  if (digits.length !== 11) return value;
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)} ${digits.slice(9)}`;
}

/** Only the digits of a SNILS typed with dashes and spaces. */
export function snilsDigits(value: string): string {
  return value.replace(/[\s-]/g, "");
}

export function fullName(p: { surname: string; first_name: string; patronymic?: string | null } | null | undefined): string {
  if (!p) return "—";
  return [p.surname, p.first_name, p.patronymic].filter(Boolean).join(" ");
}

/** An inclusive validity period: `с 14.05.1980` or `01.01.2000 – 31.12.2010`. */
export function formatPeriod(from: string, to: string | null | undefined, words: { from: string; to: string } = { from: "с", to: "по" }): string {
  if (!to) return `${words.from} ${formatDate(from)}`;
  return `${formatDate(from)} – ${formatDate(to)}`;
}

/** `yyyy-MM-dd` in local time (what <input type="date"> holds). */
export function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A `datetime-local` value (`2026-03-01T10:30`, local time) as an ISO instant; null if invalid. */
export function localDateTimeToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** An ISO instant as a `datetime-local` value in local time, to the second. */
export function isoToLocalDateTime(value: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${isoDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
