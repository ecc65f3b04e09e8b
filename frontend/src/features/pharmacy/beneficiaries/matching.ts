/**
 * The matching of the federal register to registry persons by SNILS as a load's `matching` or a
 * re-matching job's result carries it (beneficiaries/register_match.py `Outcome`): read from the
 * untyped JSON, null when it is not there (a load before the matching).
 */
export type MatchingStatus = "done" | "unavailable" | "not_needed";
export type MatchingReason = "not_found" | "ambiguous" | "birth_date_mismatch" | "other_snils";

export interface Matching {
  status: MatchingStatus;
  title: string | null;
  detail: string | null;
  matched: number;
  unmatched: number;
  reasons: Partial<Record<MatchingReason, number>>;
}

const STATUSES: readonly string[] = ["done", "unavailable", "not_needed"];
const REASONS: readonly MatchingReason[] = ["not_found", "ambiguous", "birth_date_mismatch", "other_snils"];

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);

export function matchingOf(value: unknown): Matching | null {
  if (typeof value !== "object" || value === null) return null;
  const m = value as Record<string, unknown>;
  if (typeof m.status !== "string" || !STATUSES.includes(m.status)) return null;
  const given = typeof m.reasons === "object" && m.reasons !== null ? (m.reasons as Record<string, unknown>) : {};
  const reasons: Matching["reasons"] = {};
  for (const r of REASONS) if (num(given[r]) > 0) reasons[r] = num(given[r]);
  return {
    status: m.status as MatchingStatus,
    title: str(m.title),
    detail: str(m.detail),
    matched: num(m.matched),
    unmatched: num(m.unmatched),
    reasons,
  };
}
