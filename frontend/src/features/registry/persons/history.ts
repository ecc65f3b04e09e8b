/**
 * A person's history (GET /persons/{id}/history) read as a timeline. Every fact has a
 * validity period (`valid_from`…`valid_to`, inclusive dates) and a recorded period
 * (`recorded_from`…`recorded_to`, instants). The register never erases (person/history.py):
 *
 * - a correction closes the recorded period of the corrected fact at the instant the new
 *   fact is recorded, in the same kind and slot → the old one is *corrected*, the new one
 *   *is a correction*;
 * - a succession (a new name from the marriage date) closes the open-ended fact and
 *   re-records it ending the day before the new one → the old row is *re-recorded* (its
 *   copy, with the same data, holds the shortened period);
 * - a retraction closes a fact with nothing in its place → *retracted*.
 */
import type { components } from "../../../api/generated/registry";

export type FactRead = components["schemas"]["FactRead"];

export type FactStatus = "current" | "corrected" | "rerecorded" | "retracted";

export interface FactState {
  status: FactStatus;
  /** This fact replaced a corrected one (its id). */
  corrects: number | null;
  /** The fact that replaced this corrected one. */
  correctedBy: number | null;
}

/** Kinds in the order the card shows them. */
export const KIND_ORDER = [
  "name",
  "sex",
  "birth",
  "snils",
  "enp",
  "document",
  "address",
  "contact",
  "insurance",
  "attachment",
  "employment",
  "death",
] as const;

const sameData = (a: FactRead, b: FactRead) => JSON.stringify(sortKeys(a.data)) === JSON.stringify(sortKeys(b.data));

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, d! + days));
  return date.toISOString().slice(0, 10);
}

const slotKey = (f: Pick<FactRead, "kind" | "slot">) => `${f.kind}/${f.slot}`;
const instant = (iso: string) => new Date(iso).getTime();

export function classifyFacts(facts: readonly FactRead[]): Map<number, FactState> {
  const states = new Map<number, FactState>();
  for (const f of facts) states.set(f.fact_id, { status: "current", corrects: null, correctedBy: null });
  // Facts recorded at one instant in one kind and slot: what replaced what was closed then.
  const recordedAt = new Map<string, FactRead[]>();
  for (const f of facts) {
    const key = `${slotKey(f)}@${instant(f.recorded_from)}`;
    recordedAt.set(key, [...(recordedAt.get(key) ?? []), f]);
  }
  for (const old of facts) {
    if (!old.recorded_to) continue;
    const state = states.get(old.fact_id)!;
    const successors = (recordedAt.get(`${slotKey(old)}@${instant(old.recorded_to)}`) ?? []).filter((f) => f.fact_id !== old.fact_id);
    if (successors.length === 0) {
      state.status = "retracted";
      continue;
    }
    // The copy of a succession: same data and start, ends the day before a new fact begins.
    const copy = successors.find(
      (f) =>
        sameData(f, old) &&
        f.valid_from === old.valid_from &&
        f.valid_to !== null &&
        successors.some((n) => n !== f && n.valid_from === addDays(f.valid_to!, 1)),
    );
    if (copy) {
      state.status = "rerecorded";
      continue;
    }
    state.status = "corrected";
    const replacement = successors.find((f) => states.get(f.fact_id)!.corrects === null) ?? successors[0]!;
    state.correctedBy = replacement.fact_id;
    states.get(replacement.fact_id)!.corrects = old.fact_id;
  }
  return states;
}

export interface FactGroup {
  kind: string;
  slot: string;
  facts: FactRead[];
}

/** Facts by kind and slot (documents by type, addresses by kind), in the card's order;
 * within a group by start of validity, then by when they were recorded. */
export function groupFacts(facts: readonly FactRead[]): FactGroup[] {
  const groups = new Map<string, FactGroup>();
  for (const f of facts) {
    const key = slotKey(f);
    if (!groups.has(key)) groups.set(key, { kind: f.kind, slot: f.slot, facts: [] });
    groups.get(key)!.facts.push(f);
  }
  const rank = (kind: string) => {
    const i = (KIND_ORDER as readonly string[]).indexOf(kind);
    return i < 0 ? KIND_ORDER.length : i;
  };
  const out = [...groups.values()].sort((a, b) => rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind) || a.slot.localeCompare(b.slot));
  for (const g of out)
    g.facts.sort((a, b) => a.valid_from.localeCompare(b.valid_from) || instant(a.recorded_from) - instant(b.recorded_from));
  return out;
}

/** Was the fact in force on `on` (a date) as the register knew it at `asOf` (an instant)? */
export function inForce(f: FactRead, on: string, asOf: string): boolean {
  const t = instant(asOf);
  return (
    f.valid_from <= on &&
    (f.valid_to === null || on <= f.valid_to) &&
    instant(f.recorded_from) <= t &&
    (f.recorded_to === null || t < instant(f.recorded_to))
  );
}

/** The time axis of the timeline: from the earliest start to `today` (or the latest end). */
export function timeAxis(facts: readonly FactRead[], today: string): { start: string; end: string } {
  const starts = facts.map((f) => f.valid_from);
  const ends = facts.map((f) => f.valid_to ?? today);
  const start = starts.length ? starts.reduce((a, b) => (a < b ? a : b)) : today;
  const end = [today, ...ends].reduce((a, b) => (a > b ? a : b));
  return { start, end };
}

const days = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

/** Left offset and width (per cent of the axis) of a fact's validity. */
export function span(f: Pick<FactRead, "valid_from" | "valid_to">, axis: { start: string; end: string }): { left: number; width: number } {
  const total = Math.max(1, days(axis.end) - days(axis.start) + 1);
  const from = Math.max(0, days(f.valid_from) - days(axis.start));
  const to = Math.min(total, days(f.valid_to ?? axis.end) - days(axis.start) + 1);
  const left = Math.round((from / total) * 1000) / 10;
  const width = Math.max(0.5, Math.round(((to - from) / total) * 1000) / 10);
  return { left, width: Math.min(width, 100 - left) };
}
