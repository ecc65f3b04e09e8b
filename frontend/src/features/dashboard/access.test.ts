import { describe, expect, it } from "vitest";
import { DASHBOARD_PERMISSIONS, dashboardView, homeDashboard } from "./access";
import { DASHBOARD_TEXTS, dashboardText, weekdayNames } from "./texts";

// Abbreviated permission sets of gateway/access/roles.py (what decides is there).
const everyone = ["gateway.organization:read", "registry.organization:read", "finance.organization:read", "registry.nsi:read"];
const roles: Record<string, string[]> = {
  admin: [...everyone, "gateway.user:read", "gateway.organization:write", "gateway.api_key:read"],
  mo_economist: [...everyone, "gateway.user:read", "finance.report:read", "finance.budget:read"],
  tfoms_analyst: [...everyone, "finance.report:read", "finance.budget:read", "verification.savings:read", "registry.person:read"],
  foms_viewer: [...everyone, "finance.report:read", "finance.budget:read", "verification.savings:read"],
  health_authority: [...everyone, "finance.report:read", "finance.state_assignment:write", "verification.savings:read"],
  doctor: [...everyone, "registry.person:read", "pharmacy.prescription:write"],
  verification_operator: [...everyone, "verification.savings:read", "verification.run:read"],
};

describe("which dashboard", () => {
  it("gives the summary to holders of the user list, the region dashboard to the region's report readers", () => {
    const views = Object.fromEntries(Object.entries(roles).map(([role, perms]) => [role, dashboardView(perms)]));
    expect(views).toEqual({
      admin: "summary",
      mo_economist: "summary",
      tfoms_analyst: "region",
      foms_viewer: "region",
      health_authority: "region",
      doctor: null,
      verification_operator: null,
    });
  });
  it("puts the region dashboard, and only it, on the home page", () => {
    expect(homeDashboard(roles.tfoms_analyst!)).toBe("region");
    expect(homeDashboard(roles.admin!)).toBeNull();
    expect(homeDashboard(roles.doctor!)).toBeNull();
  });
  it("shows the menu item exactly to those who have a dashboard", () => {
    for (const perms of Object.values(roles))
      expect(DASHBOARD_PERMISSIONS.some((p) => perms.includes(p))).toBe(dashboardView(perms) !== null);
  });
});

describe("dashboard texts", () => {
  it("has every text in both languages, and seven weekdays Monday first", () => {
    for (const [key, t] of Object.entries(DASHBOARD_TEXTS)) expect([key, t.ru.length > 0, t.en.length > 0]).toEqual([key, true, true]);
    expect(weekdayNames("ru")).toEqual(["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]);
    expect(weekdayNames("en")).toHaveLength(7);
  });
  it("substitutes parameters", () => {
    expect(dashboardText("ru", "signIns.title", { days: 30 })).toBe("Входы в систему за 30 дн.");
    expect(dashboardText("en", "kpi.failedHint", { failed: 3 })).toBe("refused: 3");
  });
});
