import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ADMIN } from "../../test/fakeGateway";
import { renderApp } from "../../test/renderApp";

const ORG = { id: "org-mo3", name: "ГБУЗ «Заречная ЦРБ»", kind: "mo", code: "990003", inn: null, ogrn: null, created_at: "2025-01-01T00:00:00Z" };
const DOCTOR = {
  id: "u-doctor2",
  login: "doctor2",
  full_name: "Фёдорова Мария Павловна",
  roles: ["doctor"],
  org_id: ORG.id,
  person_id: null,
  active: true,
  created_at: "2025-01-01T00:00:00Z",
};
const role = (name: string, orgKinds: string[], kind = "user") => ({ role: name, kind, organization_kinds: orgKinds, permissions: [] });
const CATALOGUE = [
  role("admin", ["tfoms", "health_authority"]),
  role("doctor", ["mo"]),
  role("registry_operator", ["tfoms", "insurer", "mo"]),
  role("pharmacist", ["pharmacy"]),
  role("mis", ["mo", "pharmacy"], "client"),
];
const page = (items: unknown[]) => ({ status: 200, body: { items, total: items.length, limit: 500, offset: 0 } });

const routes = {
  "GET /api/admin/users/u-doctor2": { status: 200, body: DOCTOR },
  "GET /api/admin/organizations/org-mo3": { status: 200, body: ORG },
  "GET /api/admin/organizations": page([ORG]),
  "GET /api/admin/roles": { status: 200, body: CATALOGUE },
};

describe("the user edit page", () => {
  it("offers only the roles of the organization's kind and sends only what changed", async () => {
    const { user, requests } = await renderApp({
      as: ADMIN,
      path: "/admin/users/u-doctor2/edit",
      routes: {
        ...routes,
        "PATCH /api/admin/users/u-doctor2": (_req, body) => ({
          status: 200,
          body: { ...DOCTOR, ...(body as object) },
        }),
      },
    });
    const roles = await screen.findByRole("group", { name: "Роли" });
    await within(roles).findByLabelText("Врач");
    const offered = within(roles).getAllByRole("checkbox").map((c) => c.closest("label")?.textContent);
    expect(offered).toEqual(["Врач", "Оператор регистра"]);
    expect(within(roles).getByLabelText("Врач")).toHaveProperty("checked", true);

    await user.click(within(roles).getByLabelText("Оператор регистра"));
    await user.click(screen.getByRole("button", { name: "Сохранить" }));
    await waitFor(() => expect(window.location.pathname).toBe("/admin/users/u-doctor2"));
    expect(requests.find((r) => r.key.startsWith("PATCH"))?.body).toEqual({ roles: ["doctor", "registry_operator"] });
    expect((await screen.findByRole("status")).textContent).toBe("Изменения сохранены.");
  });

  it("shows the server's validation message at the password field", async () => {
    const { user } = await renderApp({
      as: ADMIN,
      path: "/admin/users/u-doctor2/edit",
      routes: {
        ...routes,
        "PATCH /api/admin/users/u-doctor2": {
          status: 422,
          body: {
            title: "Некорректные данные запроса",
            status: 422,
            errors: [{ field: "body.password", message: "Строка должна содержать не менее 10 символов" }],
          },
        },
      },
    });
    const password = await screen.findByLabelText(/Новый пароль/);
    await user.type(password, "short{Enter}");
    await waitFor(() => expect(password.getAttribute("aria-invalid")).toBe("true"));
    expect(password.parentElement?.textContent).toContain("Строка должна содержать не менее 10 символов");
    expect(window.location.pathname).toBe("/admin/users/u-doctor2/edit");
  });
});

describe("the signing keys page", () => {
  it("rotates only after the dialog is confirmed", async () => {
    const keys = [
      { kid: "k-old", created_at: "2025-01-01T00:00:00Z", active_from: "2025-01-01T00:00:00Z", retired_at: "2025-01-02T00:00:00Z" },
      { kid: "k-now", created_at: "2025-01-02T00:00:00Z", active_from: "2025-01-02T00:00:00Z", retired_at: null },
    ];
    const { user, requests } = await renderApp({
      as: { ...ADMIN, permissions: [...ADMIN.permissions, "gateway.signing_key:write"] },
      path: "/admin/signing-keys",
      routes: {
        "GET /api/admin/signing-keys": { status: 200, body: keys },
        "POST /api/admin/signing-keys/rotate": {
          status: 201,
          body: { kid: "k-new", created_at: new Date().toISOString(), active_from: new Date().toISOString(), retired_at: null },
        },
      },
    });
    const table = await screen.findByRole("table", { name: "Ключи подписи токенов" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell")[0]?.textContent)).toEqual(["k-now", "k-old"]);
    expect(rows.map((r) => within(r).getAllByRole("cell")[4]?.textContent)).toEqual(["подписывает", "выведен"]);

    await user.click(screen.getByRole("button", { name: "Сменить ключ подписи" }));
    const dialog = screen.getByRole("dialog", { name: "Сменить ключ подписи" });
    await user.click(within(dialog).getByRole("button", { name: "Отмена" }));
    expect(requests.some((r) => r.key === "POST /api/admin/signing-keys/rotate")).toBe(false);

    await user.click(screen.getByRole("button", { name: "Сменить ключ подписи" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Сменить ключ подписи" }));
    expect((await screen.findByText(/Ключ подписи сменён/)).textContent).toContain("k-new");
    expect(requests.filter((r) => r.key === "POST /api/admin/signing-keys/rotate")).toHaveLength(1);
  });
});
