import { describe, expect, it } from "vitest";
import { createApi, unwrap, type FetchLike } from "./client";
import { ApiProblem } from "./problem";
import type { SessionEvent } from "./session";

const BASE = "http://oms.test";

function json(status: number, body: unknown, contentType = "application/json"): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": contentType },
  });
}

const pair = (n: number) => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  expires_in: 900,
  refresh_expires_in: 3600,
  token_type: "Bearer" as const,
});

const page = { items: [], total: 0, limit: 50, offset: 0 };

/** A fake gateway: accepts only `validAccess`; refresh spends the token it was given. */
function fakeGateway(opts: { validAccess: string; refreshTo?: number | null }) {
  const calls: { path: string; auth: string | null; body: string | null }[] = [];
  let valid = opts.validAccess;
  const fetch: FetchLike = async (request) => {
    const path = new URL(request.url).pathname;
    const body = request.method === "GET" ? null : await request.text();
    calls.push({ path, auth: request.headers.get("Authorization"), body });
    if (path === "/api/auth/refresh") {
      if (opts.refreshTo == null) return json(401, { title: "Токен обновления недействителен", status: 401 }, "application/problem+json");
      if (valid !== "never") valid = `access-${opts.refreshTo}`;
      return json(200, pair(opts.refreshTo));
    }
    if (request.headers.get("Authorization") !== `Bearer ${valid}`) {
      return json(401, { type: "urn:oms:problem:unauthorized", title: "Требуется вход", status: 401 }, "application/problem+json");
    }
    return json(200, page);
  };
  return { fetch, calls };
}

describe("auth fetch", () => {
  it("sends the bearer token", async () => {
    const gw = fakeGateway({ validAccess: "access-1" });
    const api = createApi({ baseUrl: BASE, fetch: gw.fetch });
    api.session.start(pair(1));
    const data = await unwrap(api.gateway.GET("/api/admin/users", { params: { query: { limit: 50 } } }));
    expect(data).toEqual(page);
    expect(gw.calls).toEqual([{ path: "/api/admin/users", auth: "Bearer access-1", body: null }]);
  });

  it("refreshes once on 401 and retries with the new token", async () => {
    const gw = fakeGateway({ validAccess: "access-2", refreshTo: 2 });
    const api = createApi({ baseUrl: BASE, fetch: gw.fetch });
    api.session.start(pair(1));
    const data = await unwrap(api.gateway.GET("/api/admin/organizations"));
    expect(data).toEqual(page);
    expect(gw.calls.map((c) => [c.path, c.auth])).toEqual([
      ["/api/admin/organizations", "Bearer access-1"],
      ["/api/auth/refresh", null],
      ["/api/admin/organizations", "Bearer access-2"],
    ]);
    expect(JSON.parse(gw.calls[1]!.body!)).toEqual({ refresh_token: "refresh-1" });
    expect(api.session.refreshToken).toBe("refresh-2");
  });

  it("shares one refresh between concurrent 401s", async () => {
    const gw = fakeGateway({ validAccess: "access-2", refreshTo: 2 });
    const api = createApi({ baseUrl: BASE, fetch: gw.fetch });
    api.session.start(pair(1));
    await Promise.all([
      unwrap(api.gateway.GET("/api/admin/organizations")),
      unwrap(api.gateway.GET("/api/admin/users")),
      unwrap(api.gateway.GET("/api/admin/api-keys")),
    ]);
    expect(gw.calls.filter((c) => c.path === "/api/auth/refresh")).toHaveLength(1);
  });

  it("ends the session as expired when the refresh is refused", async () => {
    const gw = fakeGateway({ validAccess: "never", refreshTo: null });
    const api = createApi({ baseUrl: BASE, fetch: gw.fetch });
    const events: SessionEvent[] = [];
    api.session.subscribe((e) => events.push(e));
    api.session.start(pair(1));
    const error = await unwrap(api.gateway.GET("/api/auth/me")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    expect((error as ApiProblem).status).toBe(401);
    expect(api.session.active).toBe(false);
    expect(events).toEqual([{ kind: "started" }, { kind: "ended", reason: "expired" }]);
    expect(gw.calls.filter((c) => c.path === "/api/auth/me")).toHaveLength(1);
  });

  it("retries only once: a second 401 ends the session", async () => {
    const gw = fakeGateway({ validAccess: "never", refreshTo: 2 });
    const api = createApi({ baseUrl: BASE, fetch: gw.fetch });
    api.session.start(pair(1));
    await expect(unwrap(api.gateway.GET("/api/auth/me"))).rejects.toMatchObject({ status: 401 });
    expect(gw.calls.map((c) => c.path)).toEqual(["/api/auth/me", "/api/auth/refresh", "/api/auth/me"]);
    expect(api.session.active).toBe(false);
  });

  it("never refreshes for the login call itself", async () => {
    const calls: string[] = [];
    const api = createApi({
      baseUrl: BASE,
      fetch: async (r) => {
        calls.push(new URL(r.url).pathname);
        return json(401, { title: "Неверный логин или пароль", status: 401 }, "application/problem+json");
      },
    });
    const error = await unwrap(
      api.gateway.POST("/api/auth/login", { body: { login: "admin", password: "x" } }),
    ).catch((e: unknown) => e as ApiProblem);
    expect(calls).toEqual(["/api/auth/login"]);
    expect(error).toMatchObject({ status: 401, title: "Неверный логин или пароль" });
  });

  it("does not refresh without a session", async () => {
    const gw = fakeGateway({ validAccess: "x", refreshTo: 2 });
    const api = createApi({ baseUrl: BASE, fetch: gw.fetch });
    await expect(unwrap(api.gateway.GET("/api/auth/me"))).rejects.toMatchObject({ status: 401 });
    expect(gw.calls.map((c) => c.path)).toEqual(["/api/auth/me"]);
  });

  it("renews a token about to expire before sending it", async () => {
    let now = 0;
    const gw = fakeGateway({ validAccess: "access-2", refreshTo: 2 });
    const api = createApi({ baseUrl: BASE, fetch: gw.fetch, now: () => now });
    api.session.start(pair(1)); // expires_in 900 s
    now = 890_000; // 10 s left, within the margin
    await unwrap(api.gateway.GET("/api/admin/users"));
    expect(gw.calls.map((c) => [c.path, c.auth])).toEqual([
      ["/api/auth/refresh", null],
      ["/api/admin/users", "Bearer access-2"],
    ]);
  });

  it("retries a POST with its body intact", async () => {
    const gw = fakeGateway({ validAccess: "access-2", refreshTo: 2 });
    const api = createApi({ baseUrl: BASE, fetch: gw.fetch });
    api.session.start(pair(1));
    const body = { name: "МИС поликлиники", org_id: "00000000-0000-0000-0000-000000000001", client_role: "mis" as const };
    await api.gateway.POST("/api/admin/api-keys", { body });
    const posts = gw.calls.filter((c) => c.path === "/api/admin/api-keys");
    expect(posts).toHaveLength(2);
    expect(JSON.parse(posts[1]!.body!)).toEqual(body);
  });
});

describe("unwrap", () => {
  it("maps problem+json to a typed ApiProblem with field errors", async () => {
    const problem = {
      type: "urn:oms:problem:validation",
      title: "Некорректные данные запроса",
      status: 422,
      detail: "Ошибки в полях: query.limit",
      instance: "/organizations",
      request_id: "3f1c",
      errors: [{ field: "query.limit", message: "Input should be greater than or equal to 1", type: "greater_than_equal" }],
    };
    const api = createApi({ baseUrl: BASE, fetch: async () => json(422, problem, "application/problem+json") });
    const error = (await unwrap(api.gateway.GET("/api/admin/organizations", { params: { query: { limit: 0 } } })).catch(
      (e: unknown) => e,
    )) as ApiProblem;
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error.status).toBe(422);
    expect(error.type).toBe("urn:oms:problem:validation");
    expect(error.title).toBe("Некорректные данные запроса");
    expect(error.detail).toBe("Ошибки в полях: query.limit");
    expect(error.requestId).toBe("3f1c");
    expect(error.errorsFor("query.limit")).toEqual(["Input should be greater than or equal to 1"]);
  });

  it("gives a problem for a non-JSON error page", async () => {
    const api = createApi({
      baseUrl: BASE,
      fetch: async () => new Response("<html>Bad Gateway</html>", { status: 502, headers: { "X-Request-ID": "rid" } }),
    });
    const error = (await unwrap(api.gateway.GET("/api/auth/me")).catch((e: unknown) => e)) as ApiProblem;
    expect(error).toMatchObject({ status: 502, title: "Сервис недоступен", requestId: "rid", fieldErrors: [] });
  });

  it("keeps Retry-After of a 429", async () => {
    const api = createApi({
      baseUrl: BASE,
      fetch: async () =>
        new Response(JSON.stringify({ type: "urn:oms:problem:rate-limited", title: "Слишком много попыток входа; повторите позже", status: 429 }), {
          status: 429,
          headers: { "Content-Type": "application/problem+json", "Retry-After": "42" },
        }),
    });
    const error = (await unwrap(api.gateway.POST("/api/auth/login", { body: { login: "a", password: "b" } })).catch(
      (e: unknown) => e,
    )) as ApiProblem;
    expect(error).toMatchObject({ status: 429, type: "urn:oms:problem:rate-limited", retryAfter: 42 });
  });

  it("gives status 0 when there is no answer at all", async () => {
    const api = createApi({
      baseUrl: BASE,
      fetch: async () => {
        throw new TypeError("Failed to fetch");
      },
    });
    await expect(unwrap(api.gateway.GET("/api/auth/me"))).rejects.toMatchObject({ status: 0, type: "urn:oms:problem:network" });
  });

  it("prefixes service paths with /api/<service>", async () => {
    const urls: string[] = [];
    const api = createApi({
      baseUrl: BASE,
      fetch: async (r) => {
        urls.push(new URL(r.url).pathname);
        return json(200, {});
      },
    });
    await api.registry.GET("/health/live" as never);
    expect(urls[0]).toBe("/api/registry/health/live");
  });
});
