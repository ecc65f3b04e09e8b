/**
 * Test helpers for FileUpload / JobProgress / DownloadButton (component tests only): the
 * providers they need around an Api with a started session, a controllable SSE body, a fake
 * XMLHttpRequest, and a JobRead.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { createApi, type Api } from "../api/client";
import type { JobRead } from "../api/jobs";
import { AuthProvider } from "../app/auth";
import { I18nProvider } from "../app/i18n";

export function sessionApi(): Api {
  // The components' own requests go through globalThis.fetch (stubbed per test).
  const api = createApi({ baseUrl: "http://localhost", fetch: (r) => globalThis.fetch(r) });
  api.session.start({ access_token: "access-1", refresh_token: "refresh-1", expires_in: 900, refresh_expires_in: 3600, token_type: "Bearer" });
  return api;
}

export function Providers({ api, children }: { api: Api; children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return (
    <I18nProvider initial="ru">
      <QueryClientProvider client={client}>
        <AuthProvider api={api}>{children}</AuthProvider>
      </QueryClientProvider>
    </I18nProvider>
  );
}

export function job(overrides: Partial<JobRead> = {}): JobRead {
  return {
    id: "0b7c9d4e-0000-4000-8000-000000000001",
    kind: "registry.nsi_import",
    title: "Импорт справочника «МКБ-10», версия 2",
    status: "queued",
    stage: null,
    progress_done: 0,
    progress_total: null,
    percent: null,
    created_by: "user-admin",
    created_at: "2026-01-01T10:00:00Z",
    started_at: null,
    finished_at: null,
    result: null,
    error: null,
    files: [],
    ...overrides,
  };
}

/** A text/event-stream Response whose events the test pushes one by one. */
export function liveEventStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { headers: { "Content-Type": "text/event-stream" } }),
    send: (j: JobRead) => controller.enqueue(encoder.encode(`event: job\ndata: ${JSON.stringify(j)}\n\n`)),
    close: () => controller.close(),
  };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...headers },
  });
}

/** Every fake XMLHttpRequest made, to drive from the test. */
export const xhrs: FakeXhr[] = [];

export class FakeXhr {
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: Blob | null = null;
  status = 0;
  responseText = "";
  aborted = false;
  private responseHeaders: Record<string, string> = {};
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  constructor() {
    xhrs.push(this);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }
  send(body: Blob) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }
  respond(status: number, body: unknown, headers: Record<string, string> = {}) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.responseHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    this.onload?.();
  }
}
