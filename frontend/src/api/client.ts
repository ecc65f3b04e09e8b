/**
 * The one way the SPA talks to the backend: openapi-fetch clients over the generated
 * types, with a fetch that adds the bearer token, renews it once on a 401 and retries,
 * and ends the session when it cannot be renewed. `unwrap` turns every error answer
 * (application/problem+json, or anything else) into a typed ApiProblem.
 */
import createClient, { type Client } from "openapi-fetch";
import type { paths as GatewayPaths } from "./generated/gateway";
import type { paths as RegistryPaths } from "./generated/registry";
import type { paths as FinancePaths } from "./generated/finance";
import type { paths as PharmacyPaths } from "./generated/pharmacy";
import type { paths as VerificationPaths } from "./generated/verification";
import { networkProblem, toApiProblem } from "./problem";
import { Session, type TokenPair } from "./session";

export type FetchLike = (input: Request) => Promise<Response>;

/** How long before its expiry an access token is renewed instead of being sent. */
export const EXPIRY_MARGIN_MS = 15_000;

/** Endpoints that must never carry the bearer token nor trigger a refresh. */
const AUTH_PATHS = ["/api/auth/login", "/api/auth/refresh", "/api/auth/logout"];

function isAuthPath(url: string): boolean {
  const path = new URL(url, "http://x").pathname;
  return AUTH_PATHS.includes(path);
}

function withToken(request: Request, token: string | null): Request {
  const r = new Request(request);
  if (token) r.headers.set("Authorization", `Bearer ${token}`);
  return r;
}

/**
 * A fetch for openapi-fetch: bearer token on (renewed first when it is about to expire),
 * and on a 401 one refresh and one retry. A second 401 (the new token refused too) ends
 * the session as expired.
 */
export function createAuthFetch(session: Session, baseFetch: FetchLike): FetchLike {
  return async (request: Request) => {
    if (isAuthPath(request.url)) return baseFetch(request);
    // A token about to expire is renewed first rather than spent on a certain 401.
    if (session.active && session.accessExpired(EXPIRY_MARGIN_MS)) {
      await session.refresh().catch(() => false); // a network failure: try with what we have
    }
    const retry = request.clone(); // the body can be read only once
    const sentWith = session.accessToken;
    const first = await baseFetch(withToken(request, sentWith));
    if (first.status !== 401 || !session.active) return first;
    // Another request may already have renewed the token while this one was in flight.
    const renewed = session.accessToken !== sentWith || (await session.refresh());
    if (!renewed) return first;
    const second = await baseFetch(withToken(retry, session.accessToken));
    if (second.status === 401) session.end("expired");
    return second;
  };
}

/** POST /api/auth/refresh without the wrapper (no token, no retry): the Session's refresher. */
export function createRefresher(baseUrl: string, baseFetch: FetchLike) {
  return async (refreshToken: string): Promise<TokenPair | null> => {
    const response = await baseFetch(
      new Request(`${baseUrl}/api/auth/refresh`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ refresh_token: refreshToken }),
      }),
    );
    if (response.ok) return (await response.json()) as TokenPair;
    if (response.status === 401 || response.status === 422) return null;
    throw toApiProblem(response.status, await readBody(response), response.headers);
  };
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => "");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface Api {
  session: Session;
  gateway: Client<GatewayPaths>;
  registry: Client<RegistryPaths>;
  finance: Client<FinancePaths>;
  pharmacy: Client<PharmacyPaths>;
  verification: Client<VerificationPaths>;
}

/**
 * Builds the clients. `baseUrl` is the origin ("" in the browser: same origin); gateway
 * paths already start with /api, each service's are proxied under /api/<service>.
 */
export function createApi(options: { baseUrl?: string; fetch?: FetchLike; now?: () => number } = {}): Api {
  const baseUrl = options.baseUrl ?? "";
  const baseFetch: FetchLike = options.fetch ?? ((r) => globalThis.fetch(r));
  const session = new Session(createRefresher(baseUrl, baseFetch), options.now);
  const fetch = createAuthFetch(session, baseFetch);
  const make = <P extends {}>(prefix: string) => createClient<P>({ baseUrl: baseUrl + prefix, fetch });
  return {
    session,
    gateway: make<GatewayPaths>(""),
    registry: make<RegistryPaths>("/api/registry"),
    finance: make<FinancePaths>("/api/finance"),
    pharmacy: make<PharmacyPaths>("/api/pharmacy"),
    verification: make<VerificationPaths>("/api/verification"),
  };
}

/**
 * The data of a successful answer, or a thrown ApiProblem:
 * `const page = await unwrap(api.gateway.GET("/api/admin/users", { params: { query } }))`.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    throw networkProblem(cause);
  }
  const { response } = result;
  if (!response.ok) throw toApiProblem(response.status, result.error, response.headers);
  return result.data as T;
}
