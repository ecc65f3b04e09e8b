/**
 * The dashboards' data: whole lists from the gateway admin API (paged through with
 * limit/offset), the sign-in activity, the services' organization directories and NSI.
 *
 * Each query is an options factory (`…Query(api)`) used twice: by the page's hooks, and by
 * `usePrefetchDashboard` in the routes chunk, which starts the requests as soon as the
 * route is known — while the page's own chunk and Chart.js are still loading — instead of
 * after the page has rendered (measured: docs/benchmarks.md, SPA).
 */
import { queryOptions, useQuery, useQueryClient, type FetchQueryOptions, type QueryClient } from "@tanstack/react-query";
import { unwrap, type Api } from "../../api/client";
import type { components } from "../../api/generated/gateway";
import { useApi } from "../../app/auth";
import type { DashboardView } from "./access";

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

const MINUTE = 60_000;

export const organizationsQuery = (api: Api) =>
  queryOptions({
    queryKey: dashboardKeys.organizations,
    queryFn: ({ signal }) =>
      fetchAll<OrganizationRead>((offset, limit) =>
        unwrap(api.gateway.GET("/api/admin/organizations", { params: { query: { offset, limit } }, signal })),
      ),
    staleTime: MINUTE,
  });

export const usersQuery = (api: Api) =>
  queryOptions({
    queryKey: dashboardKeys.users,
    queryFn: ({ signal }) =>
      fetchAll<UserRead>((offset, limit) =>
        unwrap(api.gateway.GET("/api/admin/users", { params: { query: { offset, limit } }, signal })),
      ),
    staleTime: MINUTE,
  });

/** Only the count of keys in force (limit=1, `total`). */
export const activeKeyCountQuery = (api: Api) =>
  queryOptions({
    queryKey: dashboardKeys.activeKeys,
    queryFn: async ({ signal }) =>
      (await unwrap(api.gateway.GET("/api/admin/api-keys", { params: { query: { limit: 1, include_revoked: false } }, signal })))
        .total,
    staleTime: MINUTE,
  });

/**
 * Days and hours in the region's time zone (the API's default): the activity of a region
 * reads in its own time whatever the viewer's computer says — and asking the browser for
 * its zone (Intl) costs 20–140 ms of ICU start-up on the critical path.
 */
export const signInActivityQuery = (api: Api, days: number) =>
  queryOptions({
    queryKey: [...dashboardKeys.signIns, days] as const,
    queryFn: ({ signal }) => unwrap(api.gateway.GET("/api/admin/activity/sign-ins", { params: { query: { days } }, signal })),
    staleTime: MINUTE,
  });

export const DIRECTORY_SERVICES = ["registry", "finance", "pharmacy", "verification"] as const;
export type DirectoryService = (typeof DIRECTORY_SERVICES)[number];

/** How many organizations each service's own directory holds (limit=1, `total`), in parallel. */
export const directoryTotalsQuery = (api: Api) =>
  queryOptions({
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
    staleTime: MINUTE,
  });

/** The NSI dictionaries with their versions in force (registry). */
export const nsiDictionariesQuery = (api: Api) =>
  queryOptions({
    queryKey: dashboardKeys.nsi,
    queryFn: ({ signal }) => unwrap(api.registry.GET("/nsi/dictionaries", { signal })),
    staleTime: 5 * MINUTE,
  });

export const ACTIVITY_DAYS = 30;

export function useAllOrganizations() {
  return useQuery(organizationsQuery(useApi()));
}

export function useAllUsers() {
  return useQuery(usersQuery(useApi()));
}

export function useActiveKeyCount(enabled: boolean) {
  return useQuery({ ...activeKeyCountQuery(useApi()), enabled });
}

export function useSignInActivity(days: number = ACTIVITY_DAYS) {
  return useQuery(signInActivityQuery(useApi(), days));
}

export function useServiceDirectoryTotals() {
  return useQuery(directoryTotalsQuery(useApi()));
}

export function useNsiDictionaries() {
  return useQuery(nsiDictionariesQuery(useApi()));
}

/**
 * Starts the requests of a dashboard: the data of `view` that is not in the cache yet.
 * Returns the promises (for tests; the callers let them run).
 */
export function prefetchDashboard(client: QueryClient, api: Api, view: DashboardView | null, permissions: readonly string[]): Promise<void>[] {
  const started: Promise<void>[] = [];
  const prefetch = <T, K extends readonly unknown[]>(options: FetchQueryOptions<T, Error, T, K>) => {
    if (!client.getQueryState(options.queryKey)) started.push(client.prefetchQuery(options));
  };
  if (view === null) return started;
  prefetch(organizationsQuery(api));
  if (view === "summary") {
    prefetch(usersQuery(api));
    if (permissions.includes("gateway.api_key:read")) prefetch(activeKeyCountQuery(api));
    prefetch(signInActivityQuery(api, ACTIVITY_DAYS));
  } else {
    prefetch(directoryTotalsQuery(api));
    prefetch(nsiDictionariesQuery(api));
  }
  return started;
}

/**
 * `prefetchDashboard` during the render of the dashboard's route (routes.tsx), before the
 * page's chunk has loaded; the page's hooks then find the requests in flight or done.
 */
export function usePrefetchDashboard(view: DashboardView | null, permissions: readonly string[]): void {
  void prefetchDashboard(useQueryClient(), useApi(), view, permissions);
}
