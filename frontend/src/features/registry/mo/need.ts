/** Shaping the equipment need report for its chart, totals and export links. */
import type { Datum } from "../../../components/charts/data";
import type { components } from "../../../api/generated/registry";

type NeedLine = components["schemas"]["NeedLine"];
type MoNeed = components["schemas"]["MoNeed"];

/** The kinds with a need, largest first (ties by name), at most `limit` of them. */
export function needChartData(lines: readonly NeedLine[], limit = 12): Datum[] {
  return lines
    .filter((l) => l.need > 0)
    .map((l) => ({ label: l.type_name ?? l.type_code, value: l.need }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, "ru"))
    .slice(0, limit);
}

export function needTotals(lines: readonly NeedLine[]): { required: number; available: number; need: number } {
  return lines.reduce((s, l) => ({ required: s.required + l.required, available: s.available + l.available, need: s.need + l.need }), {
    required: 0,
    available: 0,
    need: 0,
  });
}

/** MOs by need, largest first, then by name. */
export function mosByNeed(mos: readonly MoNeed[]): MoNeed[] {
  return [...mos].sort((a, b) => b.need - a.need || a.mo_name.localeCompare(b.mo_name, "ru"));
}

/** The export endpoint (CSV or XLSX), relative to the origin, for DownloadButton. */
export function needExportUrl(format: "csv" | "xlsx", moId: string | null): string {
  const q = new URLSearchParams({ format });
  if (moId) q.set("mo_id", moId);
  return `/api/registry/mo-register/equipment-need/export?${q}`;
}
