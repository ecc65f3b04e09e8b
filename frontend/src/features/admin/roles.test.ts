import { describe, expect, it } from "vitest";
import type { RoleRead, SigningKeyRead } from "./hooks";
import { keepFitting, rolesForOrganization } from "./roles";
import { byNewest, signingKeyState } from "./signingKeys";

const role = (name: string, kind: "user" | "client", orgKinds: string[]): RoleRead => ({
  role: name,
  kind,
  organization_kinds: orgKinds,
  permissions: [],
});

const catalogue = [
  role("admin", "user", ["tfoms", "health_authority"]),
  role("doctor", "user", ["mo"]),
  role("registry_operator", "user", ["tfoms", "insurer", "mo"]),
  role("pharmacist", "user", ["pharmacy"]),
  role("mis", "client", ["mo", "pharmacy"]),
];

describe("rolesForOrganization", () => {
  it("offers the people's roles of the organization's kind, never client roles", () => {
    expect(rolesForOrganization(catalogue, "mo")).toEqual([
      { role: "doctor", misfit: false },
      { role: "registry_operator", misfit: false },
    ]);
    expect(rolesForOrganization(catalogue, "pharmacy").map((r) => r.role)).toEqual(["pharmacist"]);
  });

  it("offers nothing before an organization is chosen", () => {
    expect(rolesForOrganization(catalogue, null)).toEqual([]);
  });

  it("keeps a held role that does not fit, flagged, so it can be removed", () => {
    expect(rolesForOrganization(catalogue, "pharmacy", ["doctor"])).toEqual([
      { role: "pharmacist", misfit: false },
      { role: "doctor", misfit: true },
    ]);
  });

  it("drops the roles that do not fit a newly chosen organization", () => {
    expect(keepFitting(catalogue, "tfoms", ["doctor", "registry_operator"])).toEqual(["registry_operator"]);
  });
});

describe("signingKeyState", () => {
  const now = Date.parse("2025-06-01T12:00:00Z");
  const key = (kid: string, activeFrom: string, retiredAt: string | null): SigningKeyRead => ({
    kid,
    created_at: activeFrom,
    active_from: activeFrom,
    retired_at: retiredAt,
  });
  const old = key("k1", "2025-05-01T00:00:00Z", "2025-05-02T00:00:00Z");
  const previous = key("k2", "2025-05-02T00:00:00Z", "2025-06-01T13:00:00Z");
  const current = key("k3", "2025-06-01T11:00:00Z", null);
  const keys = [old, previous, current];

  it("names the newest key in force as the signing one", () => {
    expect(keys.map((k) => signingKeyState(k, keys, now))).toEqual(["retired", "verifying", "signing"]);
  });

  it("says when a key is not active yet", () => {
    const next = key("k4", "2025-06-02T00:00:00Z", null);
    expect(signingKeyState(next, [...keys, next], now)).toBe("pending");
  });

  it("sorts newest first", () => {
    expect(byNewest(keys).map((k) => k.kid)).toEqual(["k3", "k2", "k1"]);
  });
});
