/** Server state of the admin area: TanStack Query over the generated gateway client. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../api/client";
import type { components, operations } from "../../api/generated/gateway";
import { useApi } from "../../app/auth";

export type OrganizationRead = components["schemas"]["OrganizationRead"];
export type OrganizationKind = components["schemas"]["OrganizationKind"];
export type UserRead = components["schemas"]["UserRead"];
export type UserUpdate = components["schemas"]["UserUpdate"];
export type UserCreate = components["schemas"]["UserCreate"];
export type OrganizationCreate = components["schemas"]["OrganizationCreate"];
export type ApiKeyRead = components["schemas"]["ApiKeyRead"];
export type ApiKeyCreate = components["schemas"]["ApiKeyCreate"];
export type ApiKeyCreated = components["schemas"]["ApiKeyCreated"];
export type RoleRead = components["schemas"]["RoleRead"];
export type SigningKeyRead = components["schemas"]["SigningKeyRead"];

type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;
export type OrganizationQuery = Query<"organization-list">;
export type UserQuery = Query<"user-list">;
export type ApiKeyQuery = Query<"api_key-list">;

export const adminKeys = {
  organizations: (q: OrganizationQuery) => ["admin", "organizations", q] as const,
  organizationDirectory: ["admin", "organizations", "directory"] as const,
  users: (q: UserQuery) => ["admin", "users", q] as const,
  apiKeys: (q: ApiKeyQuery) => ["admin", "api-keys", q] as const,
  roles: ["admin", "roles"] as const,
  user: (id: string) => ["admin", "users", "one", id] as const,
  organization: (id: string) => ["admin", "organizations", "one", id] as const,
  signingKeys: ["admin", "signing-keys"] as const,
};

export function useOrganizations(query: OrganizationQuery) {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.organizations(query),
    queryFn: ({ signal }) => unwrap(api.gateway.GET("/api/admin/organizations", { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

/** The gateway's role catalogue: which roles exist, for people or for API keys, and where
 * they may be held. The SPA keeps no copy of it. */
export function useRoleCatalogue() {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.roles,
    queryFn: ({ signal }) => unwrap(api.gateway.GET("/api/admin/roles", { signal })),
    staleTime: 60 * 60_000,
  });
}

/** Every organization (id → name) for labels and pickers; the region has tens, not thousands. */
export function useOrganizationDirectory() {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.organizationDirectory,
    queryFn: async ({ signal }) => {
      const page = await unwrap(
        api.gateway.GET("/api/admin/organizations", { params: { query: { limit: 500, sort: "name" } }, signal }),
      );
      return page.items;
    },
    staleTime: 5 * 60_000,
  });
}

export function useOrganization(orgId: string) {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.organization(orgId),
    queryFn: ({ signal }) =>
      unwrap(api.gateway.GET("/api/admin/organizations/{org_id}", { params: { path: { org_id: orgId } }, signal })),
  });
}

export function useUser(userId: string) {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.user(userId),
    queryFn: ({ signal }) =>
      unwrap(api.gateway.GET("/api/admin/users/{user_id}", { params: { path: { user_id: userId } }, signal })),
  });
}

export function useSigningKeys() {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.signingKeys,
    queryFn: ({ signal }) => unwrap(api.gateway.GET("/api/admin/signing-keys", { signal })),
  });
}

export function useRotateSigningKey() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.gateway.POST("/api/admin/signing-keys/rotate")),
    onSuccess: () => client.invalidateQueries({ queryKey: adminKeys.signingKeys }),
  });
}

export function useUsers(query: UserQuery) {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.users(query),
    queryFn: ({ signal }) => unwrap(api.gateway.GET("/api/admin/users", { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useApiKeys(query: ApiKeyQuery) {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.apiKeys(query),
    queryFn: ({ signal }) => unwrap(api.gateway.GET("/api/admin/api-keys", { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useCreateApiKey() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiKeyCreate) => unwrap(api.gateway.POST("/api/admin/api-keys", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["admin", "api-keys"] }),
  });
}

export function useRevokeApiKey() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) =>
      unwrap(api.gateway.POST("/api/admin/api-keys/{key_id}/revoke", { params: { path: { key_id: keyId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["admin", "api-keys"] }),
  });
}

export function useUpdateUser() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, changes }: { userId: string; changes: UserUpdate }) =>
      unwrap(api.gateway.PATCH("/api/admin/users/{user_id}", { params: { path: { user_id: userId } }, body: changes })),
    onSuccess: (user) => {
      client.setQueryData(adminKeys.user(user.id), user);
      return client.invalidateQueries({ queryKey: ["admin", "users"] });
    },
  });
}

export function useCreateUser() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UserCreate) => unwrap(api.gateway.POST("/api/admin/users", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["admin", "users"] }),
  });
}

export function useRegisterOrganization() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: OrganizationCreate) => unwrap(api.gateway.POST("/api/admin/organizations", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["admin", "organizations"] }),
  });
}
