/**
 * A gateway in memory for component tests: routes "METHOD /path" to answers, records the
 * requests, and hands out an Api built on it (the real client code, only fetch is fake).
 */
import { createApi, type Api } from "../api/client";
import type { components } from "../api/generated/gateway";

type Me = components["schemas"]["Me"];
type Answer = { status: number; body?: unknown } | ((request: Request, body: unknown) => { status: number; body?: unknown });

export function json(status: number, body?: unknown): Response {
  const problem = status >= 400;
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": problem ? "application/problem+json" : "application/json" },
  });
}

export const tokens = {
  access_token: "access-1",
  refresh_token: "refresh-1",
  expires_in: 900,
  refresh_expires_in: 3600,
  token_type: "Bearer" as const,
};

const EVERYONE = ["gateway.organization:read", "registry.organization:read", "registry.nsi:read"];

export function me(login: string, roles: string[], permissions: string[], orgKind = "tfoms"): Me {
  return {
    id: `user-${login}`,
    login,
    full_name: `Пользователь ${login}`,
    roles,
    permissions: [...EVERYONE, ...permissions],
    organization: {
      id: "org-1",
      name: orgKind === "pharmacy" ? "Аптека № 1" : "ТФОМС",
      kind: orgKind as Me["organization"]["kind"],
      code: null,
      inn: null,
      ogrn: null,
      created_at: "2025-01-01T00:00:00Z",
    },
    person_id: null,
  };
}

export const ADMIN = me("admin", ["admin"], [
  "gateway.organization:write",
  "gateway.user:read",
  "gateway.user:write",
  "gateway.api_key:read",
  "gateway.signing_key:read",
]);
export const PHARMACIST = me(
  "pharmacist",
  ["pharmacist"],
  ["pharmacy.prescription:read", "pharmacy.stock:read"],
  "pharmacy",
);

export function fakeGateway(routes: Record<string, Answer>): { api: Api; requests: { key: string; body: unknown }[] } {
  const requests: { key: string; body: unknown }[] = [];
  const api = createApi({
    baseUrl: "http://oms.test",
    fetch: async (request) => {
      const key = `${request.method} ${new URL(request.url).pathname}`;
      const text = request.method === "GET" ? "" : await request.text();
      const body: unknown = text ? JSON.parse(text) : null;
      requests.push({ key, body });
      const answer = routes[key];
      if (!answer) return json(404, { title: "Не найдено", status: 404, detail: key });
      const { status, body: out } = typeof answer === "function" ? answer(request, body) : answer;
      return json(status, out);
    },
  });
  return { api, requests };
}

/** Routes of a user who logs in as `who`. */
export function loginRoutes(who: Me): Record<string, Answer> {
  return {
    "POST /api/auth/login": { status: 200, body: tokens },
    "GET /api/auth/me": { status: 200, body: who },
    "POST /api/auth/logout": { status: 204 },
  };
}
