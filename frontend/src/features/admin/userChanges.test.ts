import { describe, expect, it } from "vitest";
import type { UserRead } from "./hooks";
import { userChanges, userEditOf } from "./userChanges";

const user: UserRead = {
  id: "u1",
  login: "doctor2",
  full_name: "Фёдорова Мария Павловна",
  roles: ["doctor"],
  org_id: "o1",
  person_id: null,
  active: true,
  created_at: "2025-01-01T00:00:00Z",
};

describe("userChanges", () => {
  it("sends nothing when nothing changed", () => {
    expect(userChanges(user, userEditOf(user))).toEqual({});
  });

  it("sends only the changed fields", () => {
    const edit = { ...userEditOf(user), roles: ["doctor", "registry_operator"], active: false };
    expect(userChanges(user, edit)).toEqual({ roles: ["doctor", "registry_operator"], active: false });
  });

  it("ignores role order and spaces around the name; sends a new password", () => {
    const twoRoles = { ...user, roles: ["doctor", "registry_operator"] };
    const edit = { ...userEditOf(twoRoles), roles: ["registry_operator", "doctor"], full_name: ` ${user.full_name} `, password: "0123456789" };
    expect(userChanges(twoRoles, edit)).toEqual({ password: "0123456789" });
  });

  it("sends an emptied role list so the server can refuse it by name", () => {
    expect(userChanges(user, { ...userEditOf(user), roles: [] })).toEqual({ roles: [] });
  });
});
