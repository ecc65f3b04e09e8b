import { describe, expect, it } from "vitest";
import type { FetchLike } from "../api/client";
import { ApiProblem } from "../api/problem";
import { fetchFile, filenameFromContentDisposition, filenameFromUrl } from "./download";
import { elapsedMs, formatBytes, formatElapsed, percentOf } from "./progress";

describe("filenameFromContentDisposition", () => {
  it("prefers filename* (UTF-8) over filename", () => {
    const header = `attachment; filename="diff.csv"; filename*=UTF-8''%D1%80%D0%B0%D0%B7%D0%BD%D0%B8%D1%86%D0%B0%20v1-v2.csv`;
    expect(filenameFromContentDisposition(header)).toBe("разница v1-v2.csv");
  });

  it("takes filename* wherever it stands and whatever the case", () => {
    expect(filenameFromContentDisposition(`ATTACHMENT; FILENAME*=utf-8'ru'%D0%90.txt; filename="a.txt"`)).toBe("А.txt");
  });

  it("reads a quoted filename with escapes and semicolons", () => {
    expect(filenameFromContentDisposition('attachment; filename="a \\"b\\"; c.csv"')).toBe('a "b"; c.csv');
  });

  it("reads a bare token and ISO-8859-1 filename*", () => {
    expect(filenameFromContentDisposition("attachment; filename=report.xlsx")).toBe("report.xlsx");
    expect(filenameFromContentDisposition("attachment; filename*=iso-8859-1''caf%E9.txt")).toBe("café.txt");
  });

  it("keeps a malformed percent sequence instead of failing", () => {
    expect(filenameFromContentDisposition("attachment; filename*=UTF-8''100%25%ZZ.csv")).toBe("100%25%ZZ.csv");
  });

  it("drops path parts and gives null when there is no name", () => {
    expect(filenameFromContentDisposition('attachment; filename="../../etc/passwd"')).toBe("passwd");
    expect(filenameFromContentDisposition("attachment")).toBeNull();
    expect(filenameFromContentDisposition(null)).toBeNull();
  });

  it("falls back to the URL's last segment", () => {
    expect(filenameFromUrl("/api/registry/jobs/1/files/%D0%B0.csv?x=1")).toBe("а.csv");
  });
});

describe("fetchFile", () => {
  it("reads the body with progress against Content-Length and names it from the header", async () => {
    const chunks = [new Uint8Array(3).fill(65), new Uint8Array(5).fill(66)];
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const chunk of chunks) c.enqueue(chunk);
        c.close();
      },
    });
    const fetch: FetchLike = async () =>
      new Response(body, {
        headers: {
          "Content-Type": "text/csv",
          "Content-Length": "8",
          "Content-Disposition": "attachment; filename*=UTF-8''%D0%BE%D1%88%D0%B8%D0%B1%D0%BA%D0%B8.csv",
        },
      });
    const seen: [number, number | null][] = [];
    const file = await fetchFile(fetch, "http://oms.test/f", { onProgress: (l, t) => seen.push([l, t]) });
    expect(file.filename).toBe("ошибки.csv");
    expect(await file.blob.text()).toBe("AAABBBBB");
    expect(seen).toEqual([
      [0, 8],
      [3, 8],
      [8, 8],
    ]);
  });

  it("turns a problem answer into ApiProblem", async () => {
    const fetch: FetchLike = async () =>
      new Response(JSON.stringify({ title: "Файл не найден", status: 404 }), {
        status: 404,
        headers: { "Content-Type": "application/problem+json" },
      });
    const error = await fetchFile(fetch, "http://oms.test/f").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    expect((error as ApiProblem).title).toBe("Файл не найден");
  });

  it("reports no answer as a network problem", async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError("Failed to fetch");
    };
    expect(((await fetchFile(fetch, "http://oms.test/f").catch((e: unknown) => e)) as ApiProblem).status).toBe(0);
  });
});

describe("progress math", () => {
  it("rounds down and is null without a total", () => {
    expect(percentOf(0, 10)).toBe(0);
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(1000, 1000)).toBe(100);
    expect(percentOf(1500, 1000)).toBe(100);
    expect(percentOf(5, null)).toBeNull();
    expect(percentOf(5, 0)).toBeNull();
  });

  it("formats sizes in Russian", () => {
    expect(formatBytes(0)).toBe("0\u00a0Б");
    expect(formatBytes(1023)).toBe("1\u00a0023\u00a0Б");
    expect(formatBytes(1536)).toBe("1,5\u00a0КБ");
    expect(formatBytes(5 * 1024 * 1024 + 300 * 1024)).toBe("5,3\u00a0МБ");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3,0\u00a0ГБ");
    expect(formatBytes(1536, "en")).toBe("1.5\u00a0KB");
  });

  it("formats durations", () => {
    expect(formatElapsed(4_999)).toBe("0:04");
    expect(formatElapsed(65_000)).toBe("1:05");
    expect(formatElapsed(3_723_000)).toBe("1:02:03");
    expect(formatElapsed(-5)).toBe("0:00");
  });

  it("measures elapsed time up to now or to the end", () => {
    const start = "2026-01-01T10:00:00Z";
    expect(elapsedMs(start, "2026-01-01T10:01:30Z", 0)).toBe(90_000);
    expect(elapsedMs(start, null, Date.parse(start) + 5_000)).toBe(5_000);
    expect(elapsedMs(null, null, 0)).toBeNull();
  });
});
