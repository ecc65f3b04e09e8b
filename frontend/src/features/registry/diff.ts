/** Reading a diff row's fields (`name`, `valid_from`, `attributes.<column>`) for display. */
import type { EntrySnapshot } from "./hooks";

export function fieldValue(snapshot: EntrySnapshot | null | undefined, field: string): unknown {
  if (!snapshot) return undefined;
  if (field.startsWith("attributes.")) return snapshot.attributes[field.slice("attributes.".length)];
  return (snapshot as unknown as Record<string, unknown>)[field];
}

export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A field as the user knows it: attribute columns by their file name, the rest by their role. */
export function fieldLabel(field: string, labels: Record<string, string>): string {
  return field.startsWith("attributes.") ? field.slice("attributes.".length) : (labels[field] ?? field);
}

/** The import job's result (registry.nsi.jobs.run_import), read defensively. */
export interface ImportResult {
  message: string | null;
  version: string | null;
  created: boolean;
  previousVersion: string | null;
  rowsImported: number | null;
  rowsRejected: number | null;
  diff: { added: number; removed: number; changed: number } | null;
  errorFileId: string | null;
  diffFileId: string | null;
}

const str = (v: unknown) => (typeof v === "string" ? v : null);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

export function importResultOf(result: Record<string, unknown>): ImportResult {
  const d = result.diff;
  const diff =
    d && typeof d === "object"
      ? {
          added: num((d as Record<string, unknown>).added) ?? 0,
          removed: num((d as Record<string, unknown>).removed) ?? 0,
          changed: num((d as Record<string, unknown>).changed) ?? 0,
        }
      : null;
  return {
    message: str(result.message),
    version: str(result.version),
    created: result.created === true,
    previousVersion: str(result.previous_version),
    rowsImported: num(result.rows_imported),
    rowsRejected: num(result.rows_rejected),
    diff,
    errorFileId: str(result.error_file_id),
    diffFileId: str(result.diff_file_id),
  };
}
