/** Who is shown the register's sections: the menu, the register's home and the route guard. */
import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderApp } from "../../test/renderApp";
import { MO_REGISTRAR, PATIENT, PATIENT_ID, REGISTRAR } from "./testing";

const menu = () => screen.getByRole("navigation", { name: "Разделы" });

describe("the register's sections", () => {
  it("keeps the duplicate queue from an MO's registry operator: no menu item, no tile, the guard refuses", async () => {
    const { requests } = await renderApp({ as: MO_REGISTRAR, path: "/registry" });
    await screen.findByRole("heading", { name: "Регистр застрахованных лиц и реестр МО" });
    const tiles = screen.getByRole("main");
    expect(within(tiles).getByRole("link", { name: /Застрахованные лица/ })).toBeTruthy();
    expect(within(tiles).queryByRole("link", { name: /Дубликаты/ })).toBeNull();
    expect(within(menu()).getByRole("link", { name: "Застрахованные лица" })).toBeTruthy();
    expect(within(menu()).queryByRole("link", { name: "Дубликаты" })).toBeNull();

    window.history.pushState({}, "", "/registry/duplicates");
    window.dispatchEvent(new PopStateEvent("popstate"));
    await screen.findByText("Недостаточно прав для этого раздела");
    expect(requests.some((r) => r.key.includes("/duplicates"))).toBe(false);
  });

  it("shows the duplicate queue to a TFOMS registry operator", async () => {
    await renderApp({ as: REGISTRAR, path: "/registry" });
    await screen.findByRole("heading", { name: "Регистр застрахованных лиц и реестр МО" });
    expect(within(screen.getByRole("main")).getByRole("link", { name: /Дубликаты/ }).getAttribute("href")).toBe("/registry/duplicates");
    expect(within(menu()).getByRole("link", { name: "Дубликаты" })).toBeTruthy();
  });

  it("gives a patient their own card instead of the person search", async () => {
    await renderApp({ as: PATIENT, path: "/registry" });
    await screen.findByRole("heading", { name: "Регистр застрахованных лиц и реестр МО" });
    const card = `/registry/persons/${PATIENT_ID}`;
    const main = screen.getByRole("main");
    expect(within(main).getByRole("link", { name: /Моя карта/ }).getAttribute("href")).toBe(card);
    expect(within(main).queryByRole("link", { name: /Застрахованные лица/ })).toBeNull();
    expect(within(menu()).getByRole("link", { name: "Моя карта" }).getAttribute("href")).toBe(card);
    expect(within(menu()).queryByRole("link", { name: "Застрахованные лица" })).toBeNull();
    expect(within(menu()).queryByRole("link", { name: "Дубликаты" })).toBeNull();
  });

  it("puts «Моя карта» among a patient's sections on the first page, and no person search", async () => {
    await renderApp({ as: PATIENT, path: "/" });
    const main = screen.getByRole("main");
    await within(main).findByRole("heading", { name: "Доступные разделы" });
    expect(within(main).getByRole("link", { name: "Моя карта" }).getAttribute("href")).toBe(`/registry/persons/${PATIENT_ID}`);
    expect(within(main).queryByRole("link", { name: "Застрахованные лица" })).toBeNull();
  });
});
