import { describe, expect, it } from "vitest";
import { buildNavigation, domainPermissions, navigationItems } from "./navigation";
import { en, ru } from "./messages";
import { translate } from "./i18n";

describe("buildNavigation", () => {
  it("gives an administrator the admin area only", () => {
    const nav = buildNavigation([
      "gateway.organization:read",
      "gateway.user:read",
      "gateway.api_key:read",
      "registry.organization:read",
      "registry.nsi:read",
    ]);
    expect(nav.map((s) => s.label)).toEqual(["nav.section.work", "nav.section.admin"]);
    expect(navigationItems(["gateway.organization:read", "gateway.user:read", "gateway.api_key:read"]).map((i) => i.to)).toEqual([
      "/admin/organizations",
      "/admin/users",
      "/admin/api-keys",
    ]);
  });

  it("gives a pharmacist the drug supply and no admin area", () => {
    const items = navigationItems(["pharmacy.prescription:read", "pharmacy.prescription:dispense", "pharmacy.stock:read"]);
    expect(items.map((i) => i.to)).toEqual(["/pharmacy"]);
  });

  it("gives nothing without permissions", () => {
    expect(buildNavigation([])).toEqual([]);
  });

  it("lists a domain's permissions", () => {
    expect(domainPermissions("finance", ["pharmacy.stock:read", "finance.report:read", "finance.budget:read"])).toEqual([
      "finance.budget:read",
      "finance.report:read",
    ]);
  });
});

describe("i18n", () => {
  it("has every Russian key in English", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
  });
  it("substitutes parameters", () => {
    expect(translate("ru", "admin.apiKeys.revokeConfirm", { name: "МИС" })).toContain("«МИС»");
    expect(translate("en", "login.submit")).toBe("Sign in");
  });
});
