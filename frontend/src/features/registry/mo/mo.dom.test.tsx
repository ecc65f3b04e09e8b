import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { MINZDRAV, MO_ID, page } from "../testing";

const R = "/api/registry";
const MO = { id: MO_ID, name: "ГБУЗ «Городская поликлиника № 2 г. Приозёрска»", code: "990001", territory: { id: "t-1", oktmo: "99701000", name: "городской округ Приозёрск" } };
const room = (id: string, department_id: string, number: string) => ({ id, mo_id: MO_ID, department_id, number, name: `Кабинет ${number}`, floor: 2, area_m2: 23.1 });
const department = (id: string, branch_id: string | null, name: string, rooms: ReturnType<typeof room>[]) => ({
  id,
  mo_id: MO_ID,
  branch_id,
  name,
  department_type: "laboratory",
  care_profiles: [],
  beds: null,
  rooms,
});
const TREE = {
  mo: MO,
  departments: [department("d1", null, "Клинико-диагностическая лаборатория", [room("r1", "d1", "103"), room("r2", "d1", "301")])],
  branches: [{ id: "b1", mo_id: MO_ID, kind: "branch", name: "Филиал в с. Озёрное", address: "с. Озёрное", territory_id: null, departments: [department("d2", "b1", "Отделение общей врачебной практики", [room("r3", "d2", "1")])] }],
};
const UNIT = {
  id: "e-1",
  mo_id: MO_ID,
  type_code: "LAB.HEMA",
  model: "BC-5000",
  manufacturer: "Mindray",
  serial_number: "SN-1",
  inventory_number: null,
  manufactured_year: 2019,
  commissioned_on: "2019-03-01",
  department_id: "d1",
  room_id: "r2",
  norm_hours_month: null,
  state: "under_repair",
  state_since: "2026-10-01",
};
const CARD = {
  ...MO,
  address: "ул. Больничная, д. 26",
  head_name: "Соловьёв Андрей Петрович",
  phone: null,
  counts: { branches: 1, departments: 2, rooms: 3, areas: 1, licenses_in_force: 1, equipment: 1, equipment_working: 0 },
};

describe("the MO passport", () => {
  it("shows the structure as a tree down to rooms, with the equipment in its room", async () => {
    const { user } = await renderApp({
      as: MINZDRAV,
      path: `/registry/mo/${MO_ID}`,
      routes: {
        [`GET ${R}/mo-register/mos/${MO_ID}`]: { status: 200, body: CARD },
        [`GET ${R}/mo-register/mos/${MO_ID}/tree`]: { status: 200, body: TREE },
        [`GET ${R}/mo-register/mos/${MO_ID}/equipment`]: page([UNIT]),
        [`GET ${R}/mo-register/standards`]: {
          status: 200,
          body: { version: "2026.1", note: "", department_types: [{ code: "laboratory", name: "Лаборатория", basis: null, equipment: [] }], work_norms: {} },
        },
        [`GET ${R}/nsi/dictionaries/equipment_type/entries`]: page([{ code: "LAB.HEMA", name: "Гематологический анализатор" }]),
      },
    });
    const tree = await screen.findByTestId("mo-tree");
    const branches = within(tree).getAllByTestId("tree-branch");
    expect(branches.map((b) => b.querySelector("summary")?.textContent)).toEqual([
      "Основная площадка отделений: 1",
      "Филиал: Филиал в с. Озёрное с. Озёрное · отделений: 1",
    ]);
    // A branch is closed until opened; "expand all" opens every level.
    expect(branches[1]!.hasAttribute("open")).toBe(false);
    await user.click(within(tree).getByRole("button", { name: "Развернуть всё" }));
    const opened = within(tree).getAllByTestId("tree-department");
    expect(opened.every((d) => d.hasAttribute("open"))).toBe(true);
    expect(opened[0]!.querySelector("summary")?.textContent).toContain("Лаборатория · кабинетов: 2");
    const rooms = within(tree).getAllByTestId("tree-room");
    expect(rooms.map((r) => r.querySelector(".tree-name")?.textContent)).toEqual(["каб. 103", "каб. 301", "каб. 1"]);
    await waitFor(() => expect(rooms[1]!.textContent).toContain("Гематологический анализатор: BC-5000"));
    expect(within(rooms[1]!).getByText("в ремонте")).toBeTruthy();
    expect(within(rooms[1]!).getByRole("link").getAttribute("href")).toBe(`/registry/mo/${MO_ID}/equipment/e-1`);
    expect(screen.getByRole("link", { name: "Структура" }).getAttribute("aria-current")).toBe("page");
  });
});

describe("the equipment need", () => {
  it("shows the region's need by kind and by MO, a chart of the largest, and exports the same scope", async () => {
    const line = (type_code: string, type_name: string, required: number, available: number) => ({
      type_code,
      type_name,
      required,
      available,
      need: Math.max(0, required - available),
    });
    const asked: string[] = [];
    const { user } = await renderApp({
      as: MINZDRAV,
      path: "/registry/equipment-need",
      routes: {
        [`GET ${R}/mo-register/mos`]: page([MO]),
        [`GET ${R}/mo-register/equipment-need`]: (request) => {
          const mo = new URL(request.url).searchParams.get("mo_id");
          asked.push(mo ?? "region");
          const lines = [line("FUNC.ECG", "Электрокардиограф", 7, 10), line("ICU.DEFIB", "Дефибриллятор", 3, 1)];
          return {
            status: 200,
            body: {
              scope: mo ? "mo" : "region",
              on: "2026-11-24",
              standards_version: "2026.1",
              lines,
              mos: [{ mo_id: MO_ID, mo_name: MO.name, mo_code: "990001", lines, required: 10, available: 11, need: 2 }],
              need: 2,
            },
          };
        },
      },
    });
    const figure = await screen.findByTestId("chart-need");
    expect(figure.getAttribute("aria-label")).toBe("Потребность по видам оборудования, единиц: Дефибриллятор — 2");
    expect(screen.getByTestId("need-total").textContent).toBe("2");
    const byType = screen.getByRole("table", { name: "По видам оборудования" });
    expect(within(byType).getAllByRole("row").slice(1).map((r) => within(r).getAllByRole("cell").map((c) => c.textContent))).toEqual([
      ["Электрокардиограф FUNC.ECG", "7", "10", "0"],
      ["Дефибриллятор ICU.DEFIB", "3", "1", "2"],
    ]);
    expect(within(screen.getByRole("table", { name: "По медицинским организациям" })).getAllByRole("row")).toHaveLength(2);
    expect(screen.getByTestId("export-csv").textContent).toBe("Выгрузить CSV");

    await user.selectOptions(screen.getByTestId("need-scope"), MO_ID);
    await waitFor(() => expect(asked.at(-1)).toBe(MO_ID));
    await waitFor(() => expect(screen.queryByRole("table", { name: "По медицинским организациям" })).toBeNull());
    expect(screen.getByTestId("need-basis").textContent).toContain(MO.name);
  });
});
