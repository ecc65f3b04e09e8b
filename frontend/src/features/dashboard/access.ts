/**
 * Which dashboard a user gets, from permissions (never role names, like app/navigation.ts).
 * Tiny and free of React, so app/ can import it without pulling the dashboard chunk.
 *
 * - «Сводка» (summary): organizations, users, sign-in activity — needs the user list
 *   (`gateway.user:read`: admin, and an MO economist for their MO).
 * - The region dashboard: organizations of the region by kind and in the services'
 *   directories, NSI — for readers of the region's finance reports (`finance.report:read`:
 *   tfoms_analyst, foms_viewer, health_authority; the MO economist also reads reports but
 *   gets the summary first). It needs nothing beyond the organization directories and NSI
 *   that every role reads; the administrator, who keeps the organization register
 *   (`gateway.organization:write`), may open it too at /dashboard/region.
 */
export const SUMMARY_PERMISSIONS = ["gateway.user:read"] as const;
export const REGION_PERMISSIONS = ["finance.report:read"] as const;
/** Opens the region dashboard at /dashboard/region (the admin runs the organization register). */
export const REGION_ROUTE_PERMISSIONS = [...REGION_PERMISSIONS, "gateway.organization:write"] as const;
/** Any of these shows the dashboard in the menu. */
export const DASHBOARD_PERMISSIONS = [...SUMMARY_PERMISSIONS, ...REGION_PERMISSIONS] as const;

export type DashboardView = "summary" | "region";

const holdsAny = (permissions: readonly string[], wanted: readonly string[]) => wanted.some((p) => permissions.includes(p));

/** The dashboard at /dashboard for these permissions, or null when there is none. */
export function dashboardView(permissions: readonly string[]): DashboardView | null {
  if (holdsAny(permissions, SUMMARY_PERMISSIONS)) return "summary";
  if (holdsAny(permissions, REGION_PERMISSIONS)) return "region";
  return null;
}

/** The dashboard shown on the home page: the region one only (the summary has its own tiles there). */
export function homeDashboard(permissions: readonly string[]): DashboardView | null {
  return dashboardView(permissions) === "region" ? "region" : null;
}
