/** Counting the MO tree and placing equipment in it (room, else its department). */
import type { components } from "../../../api/generated/registry";

type MoTree = components["schemas"]["MoTree"];
type EquipmentRead = components["schemas"]["EquipmentRead"];

export function treeCounts(tree: MoTree): { branches: number; departments: number; rooms: number } {
  const departments = [...tree.departments, ...tree.branches.flatMap((b) => b.departments)];
  return {
    branches: tree.branches.length,
    departments: departments.length,
    rooms: departments.reduce((n, d) => n + d.rooms.length, 0),
  };
}

/** `room:<id>` or `dept:<id>` → the units placed there, in the order given. */
export function equipmentByPlace(equipment: readonly EquipmentRead[]): Map<string, EquipmentRead[]> {
  const out = new Map<string, EquipmentRead[]>();
  for (const e of equipment) {
    const place = e.room_id ? `room:${e.room_id}` : `dept:${e.department_id}`;
    out.set(place, [...(out.get(place) ?? []), e]);
  }
  return out;
}

/** Department and room names by id, for the equipment list's "location" column. */
export function placeNames(tree: MoTree): { departments: Map<string, string>; rooms: Map<string, string> } {
  const departments = new Map<string, string>();
  const rooms = new Map<string, string>();
  for (const d of [...tree.departments, ...tree.branches.flatMap((b) => b.departments)]) {
    departments.set(d.id, d.name);
    for (const r of d.rooms) rooms.set(r.id, r.number);
  }
  return { departments, rooms };
}

export interface AgeSexRow {
  label: string;
  male: number;
  female: number;
  total: number;
}

/** Age/sex groups summed over areas (all of them, or one by its code; "" for no area). */
export function sumGroups(
  areas: readonly { area_code: string | null; groups: readonly AgeSexRow[] }[],
  only: string | null = null,
): AgeSexRow[] {
  const rows = new Map<string, AgeSexRow>();
  for (const a of areas) {
    if (only !== null && (a.area_code ?? "") !== only) continue;
    for (const g of a.groups) {
      const row = rows.get(g.label) ?? { label: g.label, male: 0, female: 0, total: 0 };
      row.male += g.male;
      row.female += g.female;
      row.total += g.total;
      rows.set(g.label, row);
    }
  }
  return [...rows.values()];
}
