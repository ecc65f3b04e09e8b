/**
 * The dashboards' data: whole lists from the gateway admin API (paged through with
 * limit/offset), the sign-in activity, the services' organization directories and NSI.
 */
import { useQuery } from "@tanstack/react-query";
import { unwrap } from "../../api/client";
import type { components } from "../../api/generated/gateway";
import { useApi } from "../../app/auth";

type OrganizationRead = components["schemas"]["OrganizationRead"];
type UserRead = components["schemas"]["UserRead"];

/** The largest page the admin API gives. */
const PAGE = 500;
/** A guard against a list that never ends (a server bug): 100 pages. */
const MAX_PAGES = 100;

interface Page<T> {
  items: T[];
  total: number;
}

/** Every item of a paged list: pages of PAGE until `total` is reached or a page is short. */
export async function fetchAll<T>(fetchPage: (offset: number, limit: number) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items: chunk, total } = await fetchPage(items.length, PAGE);
    items.push(...chunk);
    if (chunk.length < PAGE || items.length >= total) break;
  }
  return items;
}

export const dashboardKeys = {
  organizations: ["dashboard", "organizations"] as const,
  users: ["dashboard", "users"] as const,
  activeKeys: ["dashboard", "api-keys", "active"] as const,
  signIns: ["dashboard", "sign-ins"] as const,
  directories: ["dashboard", "service-directories"] as const,
  nsi: ["dashboard", "nsi-dictionaries"] as const,
};

export function useAllOrganizations() {
  const api = useApi();
  return useQuery({
    queryKey: dashboardKeys.organizations,
    queryFn: ({ signal }) =>
      fetchAll<OrganizationRead>((offset, limit) =>
        unwrap(api.gateway.GET("/api/admin/organizations", { params: { query: { offset, limit } }, signal })),
      ),
    staleTime: 60_000,
  });
}

export function useAllUsers() {
  const api = useApi();
  return useQuery({
    queryKey: dashboardKeys.users,
    queryFn: ({ signal }) =>
      fetchAll<UserRead>((offset, limit) =>
        unwrap(api.gateway.GET("/api/admin/users", { params: { query: { offset, limit } }, signal })),
      ),
    staleTime: 60_000,
  });
}

/** Only the count of keys in force (limit=1, `total`). */
export function useActiveKeyCount(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: dashboardKeys.activeKeys,
    queryFn: async ({ signal }) =>
      (
        await unwrap(
          api.gateway.GET("/api/admin/api-keys", { params: { query: { limit: 1, include_revoked: false } }, signal }),
        )
      ).total,
    enabled,
    staleTime: 60_000,
  });
}

/** The browser's time zone, so days and hours match the user's clock (the API's default otherwise). */
function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

export function useSignInActivity(days: number, enabled = true) {
  const api = useApi();
  const tz = browserTimeZone();
  return useQuery({
    queryKey: [...dashboardKeys.signIns, days, tz ?? ""] as const,
    queryFn: ({ signal }) =>
      unwrap(api.gateway.GET("/api/admin/activity/sign-ins", { params: { query: { days, ...(tz ? { tz } : {}) } }, signal })),
    enabled,
    staleTime: 60_000,
  });
}

export const DIRECTORY_SERVICES = ["registry", "finance", "pharmacy", "verification"] as const;
export type DirectoryService = (typeof DIRECTORY_SERVICES)[number];

/** How many organizations each service's own directory holds (limit=1, `total`), in parallel. */
export function useServiceDirectoryTotals() {
  const api = useApi();
  return useQuery({
    queryKey: dashboardKeys.directories,
    queryFn: async ({ signal }) => {
      const page = { params: { query: { limit: 1 } }, signal };
      const totals = await Promise.all([
        unwrap(api.registry.GET("/organizations", page)),
        unwrap(api.finance.GET("/organizations", page)),
        unwrap(api.pharmacy.GET("/organizations", page)),
        unwrap(api.verification.GET("/organizations", page)),
      ]);
      return DIRECTORY_SERVICES.map((service, i) => ({ service, total: totals[i]!.total }));
    },
    staleTime: 60_000,
  });
}

/** The NSI dictionaries with their versions in force (registry). */
export function useNsiDictionaries() {
  const api = useApi();
  return useQuery({
    queryKey: dashboardKeys.nsi,
    queryFn: ({ signal }) => unwrap(api.registry.GET("/nsi/dictionaries", { signal })),
    staleTime: 300_000,
  });
}
