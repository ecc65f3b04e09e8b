/**
 * Long server jobs (oms_kit.jobs, the same `/jobs` API in every service): following one
 * over SSE with a fallback to polling, cancelling it, and the URLs of its files. The
 * component that shows a job is components/JobProgress.tsx.
 */
import { createAuthFetch, type Api, type FetchLike } from "./client";
import type { components } from "./generated/registry";
import { networkProblem, toApiProblem } from "./problem";
import { readEventStream, SseParser } from "./sse";

export type JobService = "registry" | "finance" | "pharmacy" | "verification";
/** Every service's /jobs answers the same schema (oms_kit.jobs.schemas); registry's is used. */
export type JobRead = components["schemas"]["JobRead"];
export type JobFile = components["schemas"]["JobFileRead"];
export type JobStatus = JobRead["status"];

export const TERMINAL_STATUSES: readonly JobStatus[] = ["succeeded", "failed", "cancelled"];

export function isTerminal(job: Pick<JobRead, "status">): boolean {
  return TERMINAL_STATUSES.includes(job.status);
}

/** Paths behind the gateway (`/api/<service>/jobs/...`), relative to the origin. */
export function jobPaths(service: JobService, jobId: string) {
  const base = `/api/${service}/jobs/${encodeURIComponent(jobId)}`;
  return {
    get: base,
    events: `${base}/events`,
    cancel: `${base}/cancel`,
    file: (fileId: string) => `${base}/files/${encodeURIComponent(fileId)}`,
  };
}

/**
 * An absolute URL for `new Request`: the browser resolves "/api/…" against the page, but
 * Node's Request (tests) needs an origin.
 */
export function absoluteUrl(url: string): string {
  return new URL(url, globalThis.location?.href ?? "http://localhost/").toString();
}

const authFetches = new WeakMap<Api, FetchLike>();

/**
 * A fetch with the session's bearer token and refresh-on-401, for what openapi-fetch
 * does not cover: streams (SSE) and binary downloads. Same rules as client.ts.
 */
export function authFetchFor(api: Api): FetchLike {
  let f = authFetches.get(api);
  if (!f) {
    f = createAuthFetch(api.session, (r) => globalThis.fetch(r));
    authFetches.set(api, f);
  }
  return f;
}

async function problemOf(response: Response) {
  const text = await response.text().catch(() => "");
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return toApiProblem(response.status, body, response.headers);
}

/** GET a JSON answer through an auth fetch; an error answer becomes an ApiProblem. */
export async function getJson<T>(fetch: FetchLike, url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(new Request(absoluteUrl(url), { ...init, headers: { Accept: "application/json", ...init.headers } }));
  } catch (cause) {
    if (init.signal?.aborted) throw cause;
    throw networkProblem(cause);
  }
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as T;
}

export async function cancelJob(fetch: FetchLike, service: JobService, jobId: string): Promise<JobRead> {
  return getJson<JobRead>(fetch, jobPaths(service, jobId).cancel, { method: "POST" });
}

export type FollowMode = "stream" | "poll";

export interface FollowOptions {
  fetch: FetchLike;
  /** Absolute or origin-relative URLs of the job and of its event stream. */
  jobUrl: string;
  eventsUrl: string;
  signal: AbortSignal;
  onUpdate: (job: JobRead) => void;
  onMode?: (mode: FollowMode) => void;
  pollIntervalMs?: number;
  /** Streams that fail (or end early) this many times in a row give way to polling. */
  maxStreamFailures?: number;
  reconnectDelayMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

/**
 * Follows a job until it finishes: the event stream first (reconnecting with
 * Last-Event-ID when it drops), then GET every second once the stream keeps failing.
 * Resolves with the finished job, or null when aborted. Rejects with an ApiProblem when
 * the job cannot be read at all (403, 404, or repeated failures while polling).
 */
export async function followJob(options: FollowOptions): Promise<JobRead | null> {
  const { fetch, signal, onUpdate } = options;
  const sleep = options.sleep ?? abortableSleep;
  const maxFailures = options.maxStreamFailures ?? 3;
  const parser = new SseParser();
  let failures = 0;
  let finished: JobRead | null = null;

  options.onMode?.("stream");
  while (!signal.aborted && failures < maxFailures) {
    let progressed = false;
    try {
      const headers: Record<string, string> = { Accept: "text/event-stream" };
      if (parser.lastEventId !== null) headers["Last-Event-ID"] = parser.lastEventId;
      const response = await fetch(new Request(absoluteUrl(options.eventsUrl), { headers, signal }));
      const type = response.headers.get("content-type") ?? "";
      if (!response.ok || !type.startsWith("text/event-stream") || !response.body) {
        // No stream here (an old service, a proxy that buffers): polling says why, if anything.
        response.body?.cancel().catch(() => undefined);
        break;
      }
      await readEventStream(response.body, parser, (event) => {
        if (event.event !== "job") return false;
        const job = JSON.parse(event.data) as JobRead;
        progressed = true;
        onUpdate(job);
        if (isTerminal(job)) {
          finished = job;
          return true;
        }
        return false;
      });
      if (finished) return finished;
    } catch {
      if (signal.aborted) return null;
    }
    failures = progressed ? 1 : failures + 1;
    if (failures < maxFailures) await sleep(parser.retryMs ?? options.reconnectDelayMs ?? 1000, signal);
  }
  if (signal.aborted) return null;

  options.onMode?.("poll");
  let pollFailures = 0;
  while (!signal.aborted) {
    try {
      const job = await getJson<JobRead>(fetch, options.jobUrl, { signal });
      pollFailures = 0;
      onUpdate(job);
      if (isTerminal(job)) return job;
    } catch (error) {
      if (signal.aborted) return null;
      const status = (error as { status?: number }).status ?? 0;
      // A refusal or a missing job will not change by asking again; a blip might.
      pollFailures += 1;
      if ((status >= 400 && status < 500 && status !== 408 && status !== 429) || pollFailures >= 5) throw error;
    }
    await sleep(options.pollIntervalMs ?? 1000, signal);
  }
  return null;
}
