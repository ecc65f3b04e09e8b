import { describe, expect, it } from "vitest";
import type { components } from "../../../api/generated/registry";
import { equipmentByPlace, placeNames, sumGroups, treeCounts } from "./tree";

type MoTree = components["schemas"]["MoTree"];
type EquipmentRead = components["schemas"]["EquipmentRead"];

const room = (id: string, department_id: string, number: string) => ({ id, mo_id: "mo", department_id, number, name: `Кабинет ${number}`, floor: 1, area_m2: 20 });
const department = (id: string, branch_id: string | null, rooms: ReturnType<typeof room>[]) => ({
  id,
  mo_id: "mo",
  branch_id,
  name: `Отделение ${id}`,
  department_type: "therapy_outpatient",
  care_profiles: [],
  beds: null,
  rooms,
});

const TREE: MoTree = {
  mo: { id: "mo", name: "ГБУЗ «Поликлиника»", code: "990001", territory: null },
  departments: [department("d1", null, [room("r1", "d1", "101"), room("r2", "d1", "102")])],
  branches: [
    { id: "b1", mo_id: "mo", kind: "branch", name: "Филиал", address: null, territory_id: null, departments: [department("d2", "b1", [room("r3", "d2", "201")]), department("d3", "b1", [])] },
  ],
};

const unit = (id: string, department_id: string, room_id: string | null): EquipmentRead => ({
  id,
  mo_id: "mo",
  type_code: "FUNC.ECG",
  model: "ЭК12Т",
  manufacturer: "Аксион",
  serial_number: id,
  inventory_number: null,
  manufactured_year: 2020,
  commissioned_on: "2020-01-01",
  department_id,
  room_id,
  norm_hours_month: null,
  state: "working",
  state_since: "2020-01-01",
});

describe("the MO tree", () => {
  it("counts branches, departments of every site and their rooms", () => {
    expect(treeCounts(TREE)).toEqual({ branches: 1, departments: 3, rooms: 3 });
  });

  it("places equipment in its room, else in its department", () => {
    const placed = equipmentByPlace([unit("e1", "d1", "r1"), unit("e2", "d1", null), unit("e3", "d1", "r1")]);
    expect(placed.get("room:r1")?.map((e) => e.id)).toEqual(["e1", "e3"]);
    expect(placed.get("dept:d1")?.map((e) => e.id)).toEqual(["e2"]);
  });

  it("names departments and rooms by id", () => {
    const names = placeNames(TREE);
    expect(names.departments.get("d2")).toBe("Отделение d2");
    expect(names.rooms.get("r3")).toBe("201");
  });
});

describe("sumGroups", () => {
  const g = (label: string, male: number, female: number) => ({ label, male, female, total: male + female });
  const areas = [
    { area_code: "01", groups: [g("0", 1, 0), g("1–6", 2, 3)] },
    { area_code: "02", groups: [g("0", 0, 1), g("1–6", 1, 1)] },
    { area_code: null, groups: [g("0", 5, 5), g("1–6", 0, 0)] },
  ];
  it("adds age/sex groups over every area, or over one (\"\" for the persons without an area)", () => {
    expect(sumGroups(areas)).toEqual([g("0", 6, 6), g("1–6", 3, 4)]);
    expect(sumGroups(areas, "02")).toEqual([g("0", 0, 1), g("1–6", 1, 1)]);
    expect(sumGroups(areas, "")).toEqual([g("0", 5, 5), g("1–6", 0, 0)]);
  });
});
