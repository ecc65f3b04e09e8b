import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ADMIN, PHARMACIST } from "../test/fakeGateway";
import { renderApp } from "../test/renderApp";

const emptyPage = { status: 200, body: { items: [], total: 0, limit: 25, offset: 0 } };
const adminLists = {
  "GET /api/admin/organizations": emptyPage,
  "GET /api/admin/users": emptyPage,
  "GET /api/admin/api-keys": emptyPage,
};

function menuLinks() {
  const menu = screen.getByRole("navigation", { name: "Разделы" });
  return within(menu).getAllByRole("link");
}

describe("the shell's menu", () => {
  it("gives a pharmacist drug supply, and no finance or admin items", async () => {
    await renderApp({ as: PHARMACIST });
    const names = menuLinks().map((a) => a.textContent);
    expect(names).toEqual(["Главная", "Лекарственное обеспечение", "НСИ"]);
    expect(screen.queryByRole("link", { name: "Финансовый мониторинг" })).toBeNull();
    expect(screen.getByTestId("organization").textContent).toBe("Аптека № 1");
  });

  it("gives an administrator the admin area, signing keys included", async () => {
    await renderApp({ as: ADMIN, routes: adminLists });
    const names = menuLinks().map((a) => a.textContent);
    expect(names).toEqual(["Главная", "Сводка", "НСИ", "Организации", "Пользователи", "API-ключи", "Ключи подписи"]);
    const admin = screen.getByRole("list", { name: "Администрирование" });
    expect(within(admin).getAllByRole("link")).toHaveLength(4);
  });

  it("marks the open page's item with aria-current", async () => {
    const { user } = await renderApp({ as: ADMIN, routes: adminLists });
    const menu = screen.getByRole("navigation", { name: "Разделы" });
    expect(within(menu).getByRole("link", { name: "Главная" }).getAttribute("aria-current")).toBe("page");
    await user.click(within(menu).getByRole("link", { name: "Пользователи" }));
    await screen.findByRole("heading", { name: "Пользователи", level: 1 });
    expect(window.location.pathname).toBe("/admin/users");
    const current = within(menu)
      .getAllByRole("link")
      .filter((a) => a.getAttribute("aria-current") === "page");
    expect(current.map((a) => a.textContent)).toEqual(["Пользователи"]);
  });

  it("starts the Tab order with a skip link that moves focus into the page", async () => {
    const { user } = await renderApp({ as: PHARMACIST });
    (document.activeElement as HTMLElement | null)?.blur();
    await user.tab();
    const skip = screen.getByRole("link", { name: "Перейти к содержанию" });
    expect(document.activeElement).toBe(skip);
    await user.keyboard("{Enter}");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("main")));
    expect(window.location.hash).toBe("");
  });
});
