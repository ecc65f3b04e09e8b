/**
 * Downloads from URLs that need the bearer token (a plain <a href> cannot send it):
 * fetch → Blob (with progress when Content-Length is known) → object URL → a click on
 * <a download> named as the server says in Content-Disposition (`filename*` first).
 */
import type { FetchLike } from "../api/client";
import { absoluteUrl } from "../api/jobs";
import { networkProblem, toApiProblem } from "../api/problem";

/** Percent-decoding that keeps the text as it was when a sequence is not valid UTF-8. */
function decodeUtf8Percent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Decodes `%XX` as ISO-8859-1 bytes (RFC 8187 allows that charset too). */
function decodeLatin1Percent(value: string): string {
  return value.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * The file name of a Content-Disposition header: `filename*=UTF-8''…` (RFC 6266 says it
 * wins), else `filename="…"` (quoted-string with backslash escapes) or a bare token;
 * null when there is none. Path parts are dropped: a name is never a path.
 */
export function filenameFromContentDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  let plain: string | null = null;
  let extended: string | null = null;
  const param = /;\s*([A-Za-z0-9!#$&+.^_`|~-]+\*?)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (let m = param.exec(header); m; m = param.exec(header)) {
    const name = m[1]!.toLowerCase();
    const raw = m[2]!.trim();
    if (name === "filename*") {
      const ext = /^([A-Za-z0-9!#$%&+^_`{}~-]+)'[^']*'(.*)$/.exec(raw.replace(/^"|"$/g, ""));
      if (!ext) continue;
      const charset = ext[1]!.toLowerCase();
      if (charset === "utf-8") extended = decodeUtf8Percent(ext[2]!);
      else if (charset === "iso-8859-1") extended = decodeLatin1Percent(ext[2]!);
    } else if (name === "filename") {
      plain = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
    }
  }
  const name = extended ?? plain;
  if (!name) return null;
  const base = name.split(/[\\/]/).pop()!.trim();
  return base || null;
}

/** The last path segment of a URL, as a name of last resort. */
export function filenameFromUrl(url: string): string {
  const path = new URL(url, "http://x").pathname;
  return decodeUtf8Percent(path.split("/").filter(Boolean).pop() ?? "download");
}

export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/**
 * Fetches `url` (through an auth fetch) into a Blob. `onProgress(loaded, total)` gets the
 * byte counts; `total` is null without a Content-Length. Error answers become ApiProblem.
 */
export async function fetchFile(
  fetch: FetchLike,
  url: string,
  options: { onProgress?: (loaded: number, total: number | null) => void; signal?: AbortSignal } = {},
): Promise<DownloadedFile> {
  let response: Response;
  try {
    response = await fetch(new Request(absoluteUrl(url), options.signal ? { signal: options.signal } : {}));
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw networkProblem(cause);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    throw toApiProblem(response.status, body, response.headers);
  }
  const filename = filenameFromContentDisposition(response.headers.get("content-disposition")) ?? filenameFromUrl(url);
  const type = response.headers.get("content-type") ?? "application/octet-stream";
  const length = Number.parseInt(response.headers.get("content-length") ?? "", 10);
  const total = Number.isFinite(length) && length >= 0 ? length : null;
  if (!response.body) return { blob: new Blob([], { type }), filename };
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let loaded = 0;
  options.onProgress?.(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    loaded += value.byteLength;
    options.onProgress?.(loaded, total);
  }
  return { blob: new Blob(parts as BlobPart[], { type }), filename };
}

/** Hands a Blob to the browser as a file download under `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  a.rel = "noopener";
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click has started the download; the browser keeps its own reference.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

export async function downloadFile(
  fetch: FetchLike,
  url: string,
  options: { onProgress?: (loaded: number, total: number | null) => void; signal?: AbortSignal } = {},
): Promise<DownloadedFile> {
  const file = await fetchFile(fetch, url, options);
  saveBlob(file.blob, file.filename);
  return file;
}
