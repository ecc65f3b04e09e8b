import { describe, expect, it } from "vitest";
import { buildNavigation, domainPermissions, navigationItems } from "./navigation";
import { en, ru } from "./messages";
import { translate } from "./i18n";

describe("buildNavigation", () => {
  // The directories every role has, and NSI reading every staff role has (gateway/access/roles.py).
  const directories = [
    "gateway.organization:read",
    "registry.organization:read",
    "finance.organization:read",
    "pharmacy.organization:read",
    "verification.organization:read",
  ];
  const everyone = [...directories, "registry.nsi:read"];

  it("gives an administrator the dashboard and the admin area", () => {
    const admin = [
      ...everyone,
      "gateway.organization:write",
      "gateway.user:read",
      "gateway.api_key:read",
      "gateway.signing_key:read",
      "registry.nsi:write",
    ];
    expect(buildNavigation(admin).map((s) => s.label)).toEqual(["nav.section.analytics", "nav.section.work", "nav.section.admin"]);
    expect(navigationItems(admin).map((i) => i.to)).toEqual([
      "/dashboard",
      "/nsi",
      "/jobs",
      "/admin/organizations",
      "/admin/users",
      "/admin/api-keys",
      "/admin/signing-keys",
    ]);
  });

  it("shows nothing for the directories every role has", () => {
    expect(buildNavigation(directories)).toEqual([]);
  });

  it("opens the NSI browser to NSI readers, and the jobs to those who import", () => {
    expect(navigationItems(everyone).map((i) => i.to)).toEqual(["/nsi"]);
    expect(navigationItems([...everyone, "registry.nsi:write"]).map((i) => i.to)).toEqual(["/nsi", "/jobs"]);
  });

  it("gives an MO economist the dashboard, finance and the users of their MO", () => {
    const items = navigationItems([...everyone, "gateway.user:read", "finance.budget:read", "registry.mo_passport:read"]);
    expect(items.map((i) => i.to)).toEqual(["/dashboard", "/finance", "/registry/mo", "/registry/equipment-need", "/nsi", "/admin/users"]);
  });

  it("opens the person search to person readers and the duplicate queue to the register's writers", () => {
    const doctor = navigationItems([...everyone, "registry.person:read", "registry.profile:read"]);
    expect(doctor.map((i) => i.to)).toEqual(["/registry/persons", "/nsi"]);
    const registrar = navigationItems([...everyone, "registry.person:read", "registry.person:write", "registry.mo_passport:read"]);
    expect(registrar.map((i) => i.to)).toEqual([
      "/registry/persons",
      "/registry/duplicates",
      "/registry/mo",
      "/registry/equipment-need",
      "/nsi",
    ]);
  });

  it("gives a pharmacist the drug supply and no admin area", () => {
    const items = navigationItems([...everyone, "pharmacy.prescription:read", "pharmacy.prescription:dispense", "pharmacy.stock:read"]);
    expect(items.map((i) => i.to)).toEqual(["/pharmacy", "/nsi"]);
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
