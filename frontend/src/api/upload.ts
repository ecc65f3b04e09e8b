/**
 * File upload as the raw request body (not multipart) with XMLHttpRequest, because fetch
 * reports no upload progress. The file name travels in `Content-Disposition:
 * attachment; filename*=UTF-8''…` (RFC 6266/8187), which is what oms_kit.jobs.receive_upload
 * reads. Token handling follows client.ts: renew when about to expire, one refresh and
 * one retry on a 401, the session ends when the renewed token is refused too.
 */
import { EXPIRY_MARGIN_MS } from "./client";
import { networkProblem, toApiProblem, type ApiProblem } from "./problem";
import type { Session } from "./session";

/** RFC 8187 value-chars: everything outside attr-char is percent-encoded as UTF-8. */
export function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function contentDisposition(filename: string): string {
  return `attachment; filename*=UTF-8''${encodeRfc8187(filename)}`;
}

export function uploadHeaders(filename: string, contentType: string, token: string | null): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Type": contentType,
    "Content-Disposition": contentDisposition(filename),
    Accept: "application/json, application/problem+json",
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

/** What the upload needs of an XMLHttpRequest (a fake one in tests). */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  getResponseHeader(name: string): string | null;
  readonly status: number;
  readonly responseText: string;
  upload: { onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export interface UploadOptions {
  url: string;
  file: Blob;
  filename: string;
  contentType: string;
  session: Session;
  method?: "POST" | "PUT";
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
  createXhr?: () => XhrLike;
}

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

function abortError(): DOMException {
  return new DOMException("Загрузка отменена", "AbortError");
}

function sendOnce(options: UploadOptions, token: string | null): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) return reject(abortError());
    const xhr = options.createXhr ? options.createXhr() : (new XMLHttpRequest() as unknown as XhrLike);
    const onAbortSignal = () => xhr.abort();
    signal?.addEventListener("abort", onAbortSignal, { once: true });
    const cleanup = () => signal?.removeEventListener("abort", onAbortSignal);
    xhr.open(options.method ?? "POST", options.url);
    for (const [name, value] of Object.entries(uploadHeaders(options.filename, options.contentType, token))) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => options.onProgress?.(e.loaded, e.lengthComputable ? e.total : options.file.size);
    xhr.onload = () => {
      cleanup();
      const headers = new Headers();
      for (const name of ["content-type", "x-request-id", "retry-after"]) {
        const value = xhr.getResponseHeader(name);
        if (value !== null) headers.set(name, value);
      }
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // a text answer (a proxy's page): kept as text
      }
      resolve({ status: xhr.status, body, headers });
    };
    xhr.onerror = () => {
      cleanup();
      reject(networkProblem(new Error("Соединение прервано во время загрузки")));
    };
    xhr.onabort = () => {
      cleanup();
      reject(abortError());
    };
    xhr.send(options.file);
  });
}

/**
 * Uploads the file and resolves with the parsed JSON answer (e.g. a 202 JobRead). Rejects
 * with an ApiProblem (413 too large, 415 wrong type, 422 …; status 0 without an answer),
 * or with an AbortError DOMException when `signal` aborts it.
 */
export async function uploadFile<T>(options: UploadOptions): Promise<T> {
  const { session } = options;
  if (session.active && session.accessExpired(EXPIRY_MARGIN_MS)) await session.refresh().catch(() => false);
  const sentWith = session.accessToken;
  let answer = await sendOnce(options, sentWith);
  if (answer.status === 401 && session.active) {
    const renewed = session.accessToken !== sentWith || (await session.refresh());
    if (renewed) {
      options.onProgress?.(0, options.file.size); // the file goes again from the start
      answer = await sendOnce(options, session.accessToken);
      if (answer.status === 401) session.end("expired");
    }
  }
  if (answer.status >= 200 && answer.status < 300) return answer.body as T;
  throw toApiProblem(answer.status, answer.body, answer.headers) satisfies ApiProblem;
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}
