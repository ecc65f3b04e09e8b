/** Progress arithmetic and Russian formats of sizes and durations (upload, download, job). */
import { formatNumber } from "../app/format";

/**
 * Whole percent of `done` out of `total`, rounded down so 100 means really finished;
 * null when the total is unknown (an indeterminate bar).
 */
export function percentOf(done: number, total: number | null | undefined): number | null {
  if (total == null || !Number.isFinite(total) || total <= 0) return null;
  if (!Number.isFinite(done) || done <= 0) return 0;
  return Math.min(100, Math.floor((done * 100) / total));
}

const UNITS = {
  ru: ["Б", "КБ", "МБ", "ГБ", "ТБ"],
  en: ["B", "KB", "MB", "GB", "TB"],
};

/** `512 Б`, `1,5 КБ`, `12,3 МБ` (binary multiples, one decimal from kilobytes on). */
export function formatBytes(bytes: number | null | undefined, lang: "ru" | "en" = "ru"): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return "—";
  const units = UNITS[lang];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = unit === 0 ? formatNumber(value) : formatNumber(value, 1);
  const shown = lang === "en" ? text.replace(",", ".") : text;
  return `${shown}\u00a0${units[unit]}`;
}

/** A duration as `0:05`, `12:40` or `1:02:03` (hours only when needed). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** Milliseconds between two ISO instants (or `now` when the end is missing); null without a start. */
export function elapsedMs(start: string | null | undefined, end: string | null | undefined, now: number): number | null {
  if (!start) return null;
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now;
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  return Math.max(0, to - from);
}
