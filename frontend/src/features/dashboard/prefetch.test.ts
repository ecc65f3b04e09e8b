import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { createApi } from "../../api/client";
import { dashboardKeys, prefetchDashboard } from "./hooks";

/** The API over a fetch that answers each path with an empty page (or list) and records it. */
function recordingApi() {
  const requested: string[] = [];
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    requested.push(url.pathname + url.search);
    const body = url.pathname.endsWith("/nsi/dictionaries")
      ? []
      : url.pathname.endsWith("/sign-ins")
        ? { days: 30, daily: [], weekday_hour: [], by_role: [], successful: 0, failed: 0 }
        : { items: [], total: 0, limit: 1, offset: 0 };
    return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
  };
  return { api: createApi({ baseUrl: "http://oms.test", fetch }), requested };
}

describe("prefetchDashboard", () => {
  it("starts every request of the summary at once, the key count only with its permission", async () => {
    const { api, requested } = recordingApi();
    const client = new QueryClient();
    await Promise.all(prefetchDashboard(client, api, "summary", ["gateway.user:read", "gateway.api_key:read"]));
    expect(requested.sort()).toEqual([
      "/api/admin/activity/sign-ins?days=30",
      "/api/admin/api-keys?limit=1&include_revoked=false",
      "/api/admin/organizations?offset=0&limit=500",
      "/api/admin/users?offset=0&limit=500",
    ]);
    const { api: other, requested: without } = recordingApi();
    await Promise.all(prefetchDashboard(new QueryClient(), other, "summary", ["gateway.user:read"]));
    expect(without.some((p) => p.startsWith("/api/admin/api-keys"))).toBe(false);
  });

  it("starts the region dashboard's requests: organizations, the services' directories, NSI", async () => {
    const { api, requested } = recordingApi();
    await Promise.all(prefetchDashboard(new QueryClient(), api, "region", ["finance.report:read"]));
    expect(requested.sort()).toEqual([
      "/api/admin/organizations?offset=0&limit=500",
      "/api/finance/organizations?limit=1",
      "/api/pharmacy/organizations?limit=1",
      "/api/registry/nsi/dictionaries",
      "/api/registry/organizations?limit=1",
      "/api/verification/organizations?limit=1",
    ]);
  });

  it("asks again for nothing the cache has, and for nothing without a dashboard", async () => {
    const { api, requested } = recordingApi();
    const client = new QueryClient();
    await Promise.all(prefetchDashboard(client, api, "summary", ["gateway.user:read"]));
    const first = requested.length;
    expect(prefetchDashboard(client, api, "summary", ["gateway.user:read"])).toEqual([]);
    expect(prefetchDashboard(client, api, null, [])).toEqual([]);
    expect(requested).toHaveLength(first);
    expect(client.getQueryData(dashboardKeys.organizations)).toEqual([]);
  });
});
