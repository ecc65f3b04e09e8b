import { describe, expect, it } from "vitest";
import type { FetchLike } from "./client";
import { followJob, jobPaths, type FollowMode, type JobRead } from "./jobs";
import { ApiProblem } from "./problem";

const BASE = "http://oms.test";

function job(status: JobRead["status"], done = 0, total: number | null = 10): JobRead {
  return {
    id: "j1",
    kind: "nsi_import",
    title: "Импорт",
    status,
    stage: status === "running" ? "Чтение файла" : null,
    progress_done: done,
    progress_total: total,
    percent: total ? Math.floor((done * 100) / total) : null,
    created_by: "u1",
    created_at: "2026-01-01T10:00:00Z",
    started_at: null,
    finished_at: null,
    result: null,
    error: null,
    files: [],
  };
}

const sse = (...jobs: JobRead[]) => jobs.map((j, i) => `id: ${i + 1}\nevent: job\ndata: ${JSON.stringify(j)}\n\n`).join("");

function eventStream(text: string, status = 200): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/event-stream; charset=utf-8" } });
}

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** A fake service answering each request from a queue per path; records what was asked. */
function fakeService(answers: Record<string, (() => Response | Promise<Response>)[]>) {
  const calls: { path: string; lastEventId: string | null }[] = [];
  const fetch: FetchLike = async (request) => {
    const path = new URL(request.url).pathname;
    calls.push({ path, lastEventId: request.headers.get("Last-Event-ID") });
    const next = answers[path]?.shift();
    if (!next) throw new TypeError("Failed to fetch");
    return next();
  };
  return { fetch, calls };
}

const paths = jobPaths("registry", "j1");
const noSleep = async () => undefined;

function follow(fetch: FetchLike, extra: { signal?: AbortSignal } = {}) {
  const updates: JobRead["status"][] = [];
  const modes: FollowMode[] = [];
  const done = followJob({
    fetch,
    jobUrl: BASE + paths.get,
    eventsUrl: BASE + paths.events,
    signal: extra.signal ?? new AbortController().signal,
    onUpdate: (j) => updates.push(j.status),
    onMode: (m) => modes.push(m),
    sleep: noSleep,
  });
  return { done, updates, modes };
}

describe("followJob", () => {
  it("follows the stream to the terminal status", async () => {
    const svc = fakeService({
      [paths.events]: [() => eventStream(`: keep-alive\n\n${sse(job("queued"), job("running", 5), job("succeeded", 10))}`)],
    });
    const f = follow(svc.fetch);
    expect((await f.done)?.status).toBe("succeeded");
    expect(f.updates).toEqual(["queued", "running", "succeeded"]);
    expect(f.modes).toEqual(["stream"]);
  });

  it("reconnects with Last-Event-ID when the stream ends early", async () => {
    const svc = fakeService({
      [paths.events]: [() => eventStream(sse(job("queued"), job("running", 3))), () => eventStream(sse(job("failed")))],
    });
    const f = follow(svc.fetch);
    expect((await f.done)?.status).toBe("failed");
    expect(svc.calls.map((c) => c.lastEventId)).toEqual([null, "2"]);
    expect(f.modes).toEqual(["stream"]);
  });

  it("falls back to polling when the stream keeps failing", async () => {
    const svc = fakeService({
      [paths.events]: [], // every attempt: network error
      [paths.get]: [() => jsonResponse(job("running", 4)), () => jsonResponse(job("succeeded", 10))],
    });
    const f = follow(svc.fetch);
    expect((await f.done)?.status).toBe("succeeded");
    expect(svc.calls.filter((c) => c.path === paths.events)).toHaveLength(3);
    expect(f.modes).toEqual(["stream", "poll"]);
    expect(f.updates).toEqual(["running", "succeeded"]);
  });

  it("polls at once when the answer is not an event stream", async () => {
    const svc = fakeService({
      [paths.events]: [() => jsonResponse({ title: "Не найдено", status: 404 }, 404)],
      [paths.get]: [() => jsonResponse({ type: "urn:oms:problem:not-found", title: "Задание не найдено", status: 404 }, 404)],
    });
    const f = follow(svc.fetch);
    const error = await f.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    expect((error as ApiProblem).title).toBe("Задание не найдено");
    expect(svc.calls).toHaveLength(2);
  });

  it("retries a poll that failed on the network", async () => {
    const svc = fakeService({
      [paths.events]: [() => new Response("no", { status: 502 })],
      [paths.get]: [
        () => Promise.reject(new TypeError("Failed to fetch")),
        () => jsonResponse(job("cancelled")),
      ],
    });
    const f = follow(svc.fetch);
    expect((await f.done)?.status).toBe("cancelled");
  });

  it("stops and resolves null when aborted", async () => {
    const controller = new AbortController();
    const fetch: FetchLike = (request) =>
      new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
    const f = follow(fetch, { signal: controller.signal });
    controller.abort();
    expect(await f.done).toBeNull();
  });
});
