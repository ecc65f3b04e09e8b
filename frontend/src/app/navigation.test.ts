import { describe, expect, it } from "vitest";
import { buildNavigation, domainPermissions, navigationItems } from "./navigation";
import { isRegisterKeeper, type Viewer } from "../features/registry/sections";
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
  /** A staff user of a TFOMS unless told otherwise (what /api/auth/me says). */
  const as = (permissions: string[], over: { roles?: string[]; kind?: string; person_id?: string } = {}): Viewer => ({
    permissions,
    roles: over.roles ?? [],
    organization: { kind: over.kind ?? "tfoms" },
    person_id: over.person_id ?? null,
  });

  // gateway/access/roles.py registry_operator: the same permissions in a TFOMS, an MO or an insurer.
  const registryOperator = ["registry.person:read", "registry.person:write", "registry.mo_passport:read"];

  it("gives an administrator the dashboard and the admin area", () => {
    const admin = [
      ...everyone,
      "gateway.organization:write",
      "gateway.user:read",
      "gateway.api_key:read",
      "gateway.signing_key:read",
      "registry.nsi:write",
    ];
    expect(buildNavigation(as(admin, { roles: ["admin"] })).map((s) => s.label)).toEqual(["nav.section.analytics", "nav.section.work", "nav.section.admin"]);
    expect(navigationItems(as(admin, { roles: ["admin"] })).map((i) => i.to)).toEqual([
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
    expect(buildNavigation(as(directories))).toEqual([]);
  });

  it("opens the NSI browser to NSI readers, and the jobs to those who import", () => {
    expect(navigationItems(as(everyone)).map((i) => i.to)).toEqual(["/nsi"]);
    expect(navigationItems(as([...everyone, "registry.nsi:write"])).map((i) => i.to)).toEqual(["/nsi", "/jobs"]);
  });

  it("gives an MO economist the dashboard, finance and the users of their MO", () => {
    const items = navigationItems(as([...everyone, "gateway.user:read", "finance.budget:read", "registry.mo_passport:read"], { kind: "mo" }));
    expect(items.map((i) => i.to)).toEqual(["/dashboard", "/finance", "/registry/mo", "/registry/equipment-need", "/nsi", "/admin/users"]);
  });

  it("opens the person search to person readers and the duplicate queue to a TFOMS's registry operator", () => {
    const doctor = navigationItems(as([...everyone, "registry.person:read", "registry.profile:read"], { kind: "mo" }));
    expect(doctor.map((i) => i.to)).toEqual(["/registry/persons", "/nsi"]);
    const registrar = navigationItems(as([...everyone, ...registryOperator], { roles: ["registry_operator"] }));
    expect(registrar.map((i) => i.to)).toEqual([
      "/registry/persons",
      "/registry/duplicates",
      "/registry/mo",
      "/registry/equipment-need",
      "/nsi",
    ]);
  });

  it("hides the duplicate queue from an MO's and an insurer's registry operators, whom the server refuses", () => {
    for (const kind of ["mo", "insurer"]) {
      const operator = as([...everyone, ...registryOperator], { roles: ["registry_operator"], kind });
      expect(isRegisterKeeper(operator)).toBe(false);
      expect(navigationItems(operator).map((i) => i.to)).toEqual(["/registry/persons", "/registry/mo", "/registry/equipment-need", "/nsi"]);
    }
  });

  it("shows the duplicate queue to region-wide roles in any organization", () => {
    const admin = as([...everyone, "registry.person:read", "registry.person:write"], { roles: ["admin"], kind: "mo" });
    expect(isRegisterKeeper(admin)).toBe(true);
    expect(navigationItems(admin).map((i) => i.to)).toContain("/registry/duplicates");
    const minzdrav = as([...everyone, "registry.person:write"], { roles: ["health_authority"], kind: "health_authority" });
    expect(navigationItems(minzdrav).map((i) => i.to)).toEqual(["/registry/duplicates", "/nsi"]);
  });

  it("gives a patient their own card instead of the person search, and no duplicate queue", () => {
    const personId = "a30f3219-d58b-5d07-9832-2cd38dc0fdd4";
    // Even with a write permission (never given to a patient today) a patient keeps no register.
    const patient = as(["registry.person:read", "registry.person:write", "registry.profile:read", "pharmacy.prescription:read"], {
      roles: ["patient"],
      kind: "tfoms",
      person_id: personId,
    });
    expect(isRegisterKeeper(patient)).toBe(false);
    const items = navigationItems(patient);
    expect(items.map((i) => [i.to, i.label])).toEqual([
      ["/pharmacy", "nav.pharmacy"],
      [`/registry/persons/${personId}`, "nav.registry.myCard"],
    ]);
    expect(translate("ru", "nav.registry.myCard")).toBe("Моя карта");
  });

  it("gives a pharmacist the drug supply and no admin area", () => {
    const items = navigationItems(as([...everyone, "pharmacy.prescription:read", "pharmacy.prescription:dispense", "pharmacy.stock:read"], { kind: "pharmacy" }));
    expect(items.map((i) => i.to)).toEqual(["/pharmacy", "/nsi"]);
  });

  it("gives nothing without permissions", () => {
    expect(buildNavigation(as([]))).toEqual([]);
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
