/** Pure reading of a run's counts (jsonb written by the pipeline's stages) for the screens. */
import type { RunRead } from "./hooks";
import { STAGE_CODES } from "./texts";

export interface RunFigures {
  entries: number | null;
  rejectedRows: number | null;
  outcomes: Record<string, number>;
  excludedByReason: Record<string, number>;
  reviewByReason: Record<string, number>;
  monthsExcluded: number | null;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function numbers(v: unknown): Record<string, number> {
  if (!v || typeof v !== "object") return {};
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const n = num(x);
    if (n !== null) out[k] = n;
  }
  return out;
}

export function runFigures(run: Pick<RunRead, "counts">): RunFigures {
  const c = (run.counts ?? {}) as Record<string, unknown>;
  return {
    entries: num(c.entries),
    rejectedRows: num(c.rejected_rows),
    outcomes: numbers(c.outcomes),
    excludedByReason: numbers(c.excluded_by_reason),
    reviewByReason: numbers(c.review_by_reason),
    monthsExcluded: num(c.months_excluded),
  };
}

/** One source the run was checked against: its answers (files and SMEV messages) and records
 * the scoring stage read (`counts.sources_used`), and the pairs found with the register
 * (`counts.pairs_<source>`). Empty for a run scored before the counts existed. */
export interface SourceUse {
  code: string;
  batches: number;
  records: number;
  pairs: number | null;
}

export function sourcesUsed(run: Pick<RunRead, "counts">): SourceUse[] {
  const c = (run.counts ?? {}) as Record<string, unknown>;
  const used = c.sources_used;
  if (!used || typeof used !== "object") return [];
  return Object.entries(used as Record<string, unknown>).flatMap(([code, v]) => {
    const u = (v ?? {}) as Record<string, unknown>;
    const batches = num(u.batches);
    const records = num(u.records);
    return batches === null || records === null ? [] : [{ code, batches, records, pairs: num(c[`pairs_${code}`]) }];
  });
}

/** How many of the five stages are finished (all when the run succeeded). */
export function stagesDone(run: Pick<RunRead, "finished_stage" | "status">): number {
  if (run.status === "succeeded") return STAGE_CODES.length;
  if (!run.finished_stage) return 0;
  return (STAGE_CODES as readonly string[]).indexOf(run.finished_stage) + 1;
}

export const isFinished = (run: Pick<RunRead, "finished_stage">) => run.finished_stage === "decisions";

/** Savings estimate: months excluded × the monthly tariff, to the kopeck (decision 0009). */
export function savingsOf(months: number, monthly: string | number): string {
  const kopecks = BigInt(Math.round(Number(monthly) * 100)) * BigInt(months);
  const rub = kopecks / 100n;
  const kop = (kopecks % 100n).toString().padStart(2, "0");
  return `${rub}.${kop}`;
}
