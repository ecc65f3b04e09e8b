/** The dashboard's data: whole lists from the gateway admin API, paged through with limit/offset. */
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
