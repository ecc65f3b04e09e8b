/**
 * Match candidates as the operator reads them: the grade, the score against the grade
 * thresholds, and each field's reason as a bar (right and green for agreement, left and red
 * against, the length its weight relative to the strongest reason shown).
 */
import type { components } from "../../../api/generated/registry";

export type MatchCandidate = components["schemas"]["MatchCandidate"];
export type MatchReason = components["schemas"]["MatchReason"];
export type Grade = components["schemas"]["Grade"];

export interface ReasonBar {
  field: string;
  level: string;
  detail: string;
  weight: number;
  /** 0–100: |weight| relative to the largest |weight| of the set. */
  percent: number;
  direction: "for" | "against" | "neutral";
}

export function reasonBars(reasons: readonly MatchReason[]): ReasonBar[] {
  const largest = Math.max(1, ...reasons.map((r) => Math.abs(r.weight)));
  return reasons.map((r) => ({
    field: r.field,
    level: r.level,
    detail: r.detail,
    weight: r.weight,
    percent: Math.round((Math.abs(r.weight) / largest) * 1000) / 10,
    direction: r.weight > 0 ? "for" : r.weight < 0 ? "against" : "neutral",
  }));
}

/** The register's thresholds when the answer has none (registry/matching/weights.py). */
export const DEFAULT_THRESHOLDS: Record<Grade, number> = { certain: 36, probable: 23, possible: 16 };

/**
 * A scale for the score meter: from 0 to a bit past the "certain" threshold (or the score,
 * if higher); positions of the score and of each threshold in per cent. A negative score
 * sits at 0.
 */
export function scoreScale(score: number, thresholds: Partial<Record<string, number>> = DEFAULT_THRESHOLDS) {
  const t = { ...DEFAULT_THRESHOLDS, ...thresholds } as Record<Grade, number>;
  const max = Math.max(t.certain * 1.2, score, 1);
  const at = (v: number) => Math.round((Math.max(0, Math.min(v, max)) / max) * 1000) / 10;
  return {
    max,
    score: at(score),
    marks: (["possible", "probable", "certain"] as const).map((g) => ({ grade: g, value: t[g], percent: at(t[g]) })),
  };
}

const text = (v: unknown) => (typeof v === "string" ? v : "");

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The candidates of a refused registration (409 `probable-duplicate`, the `candidates`
 * extension member of the problem), or null when the body is not such a problem.
 */
export function conflictCandidates(body: unknown): MatchCandidate[] | null {
  if (!isRecord(body) || !Array.isArray(body.candidates)) return null;
  const out: MatchCandidate[] = [];
  for (const c of body.candidates) {
    if (!isRecord(c) || typeof c.person_id !== "string" || typeof c.oip !== "number" || typeof c.score !== "number") continue;
    const reasons = Array.isArray(c.reasons)
      ? c.reasons.filter(isRecord).map((r) => ({
          field: text(r.field),
          level: text(r.level),
          weight: typeof r.weight === "number" ? r.weight : 0,
          detail: text(r.detail),
        }))
      : [];
    const grade = c.grade === "certain" || c.grade === "probable" || c.grade === "possible" ? c.grade : "possible";
    out.push({ person_id: c.person_id, oip: c.oip, score: c.score, grade, reasons, person: null });
  }
  return out;
}
