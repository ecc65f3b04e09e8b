import { describe, expect, it } from "vitest";
import { contentDisposition, encodeRfc8187, isAbort, uploadFile, uploadHeaders, type XhrLike } from "./upload";
import { ApiProblem } from "./problem";
import { Session, type TokenPair } from "./session";

const pair = (n: number): TokenPair => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  expires_in: 900,
  refresh_expires_in: 3600,
  token_type: "Bearer",
});

describe("upload headers", () => {
  it("encodes a Cyrillic name as UTF-8 in filename*", () => {
    expect(contentDisposition("Справочник МКБ-10.csv")).toBe(
      "attachment; filename*=UTF-8''%D0%A1%D0%BF%D1%80%D0%B0%D0%B2%D0%BE%D1%87%D0%BD%D0%B8%D0%BA%20%D0%9C%D0%9A%D0%91-10.csv",
    );
  });

  it("escapes the characters RFC 8187 does not allow bare", () => {
    expect(encodeRfc8187("a'b(c)*d e;f\"g.csv")).toBe("a%27b%28c%29%2Ad%20e%3Bf%22g.csv");
    // …and leaves attr-chars alone
    expect(encodeRfc8187("A-z_0.9!~")).toBe("A-z_0.9!~");
  });

  it("round-trips through decodeURIComponent", () => {
    const name = "Отчёт (ёлка) №5's*.json";
    const value = contentDisposition(name).split("UTF-8''")[1]!;
    expect(decodeURIComponent(value)).toBe(name);
  });

  it("carries type, name and token", () => {
    expect(uploadHeaders("f.csv", "text/csv", "t1")).toEqual({
      "Content-Type": "text/csv",
      "Content-Disposition": "attachment; filename*=UTF-8''f.csv",
      Accept: "application/json, application/problem+json",
      Authorization: "Bearer t1",
    });
    expect(uploadHeaders("f.csv", "text/csv", null).Authorization).toBeUndefined();
  });
});

type Reply = { status: number; body: string; headers?: Record<string, string>; progress?: [number, number][] } | "error";

/** A fake XMLHttpRequest that answers with the next reply and records what it was sent. */
function fakeXhrs(replies: Reply[]) {
  const sent: { method: string; url: string; headers: Record<string, string>; size: number }[] = [];
  const create = (): XhrLike => {
    const headers: Record<string, string> = {};
    let reply: Reply | undefined;
    const xhr: XhrLike & { status: number; responseText: string } = {
      status: 0,
      responseText: "",
      upload: { onprogress: null },
      onload: null,
      onerror: null,
      onabort: null,
      open(method, url) {
        sent.push({ method, url, headers, size: -1 });
      },
      setRequestHeader(name, value) {
        headers[name] = value;
      },
      getResponseHeader(name) {
        return reply && reply !== "error" ? (reply.headers?.[name.toLowerCase()] ?? null) : null;
      },
      send(body) {
        sent[sent.length - 1]!.size = body.size;
        reply = replies.shift();
        queueMicrotask(() => {
          if (!reply) return; // hangs until aborted
          if (reply === "error") return xhr.onerror?.();
          for (const [loaded, total] of reply.progress ?? []) xhr.upload.onprogress?.({ loaded, total, lengthComputable: true });
          xhr.status = reply.status;
          xhr.responseText = reply.body;
          xhr.onload?.();
        });
      },
      abort() {
        queueMicrotask(() => xhr.onabort?.());
      },
    };
    return xhr;
  };
  return { create, sent };
}

const file = new Blob(["code;name\nA00;Холера\n"], { type: "text/csv" });

function session(refreshTo: number | null = null) {
  const s = new Session(async () => (refreshTo === null ? null : pair(refreshTo)));
  s.start(pair(1));
  return s;
}

describe("uploadFile", () => {
  it("sends the raw body with headers and reports progress", async () => {
    const x = fakeXhrs([{ status: 202, body: '{"id":"j1","status":"queued"}', progress: [[10, 40], [40, 40]] }]);
    const progress: number[] = [];
    const job = await uploadFile<{ id: string }>({
      url: "/api/registry/nsi/dictionaries/F001/imports?version=2",
      file,
      filename: "новый.csv",
      contentType: "text/csv",
      session: session(),
      onProgress: (loaded) => progress.push(loaded),
      createXhr: x.create,
    });
    expect(job.id).toBe("j1");
    expect(progress).toEqual([10, 40]);
    expect(x.sent.map((r) => [r.method, r.url, r.size])).toEqual([
      ["POST", "/api/registry/nsi/dictionaries/F001/imports?version=2", file.size],
    ]);
    expect(x.sent[0]?.headers).toMatchObject({
      Authorization: "Bearer access-1",
      "Content-Type": "text/csv",
      "Content-Disposition": "attachment; filename*=UTF-8''%D0%BD%D0%BE%D0%B2%D1%8B%D0%B9.csv",
    });
  });

  it("maps a 413 problem to ApiProblem with its request id", async () => {
    const x = fakeXhrs([
      {
        status: 413,
        body: JSON.stringify({ type: "urn:oms:problem:too-large", title: "Файл слишком большой", detail: "Не больше 1 ГБ", status: 413 }),
        headers: { "content-type": "application/problem+json", "x-request-id": "r-9" },
      },
    ]);
    const error = await uploadFile({ url: "/u", file, filename: "f.csv", contentType: "text/csv", session: session(), createXhr: x.create }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error).toMatchObject({ status: 413, title: "Файл слишком большой", detail: "Не больше 1 ГБ", requestId: "r-9" });
  });

  it("gives a 415 without a problem body a Russian fallback title", async () => {
    const x = fakeXhrs([{ status: 415, body: "<html>nginx</html>" }]);
    const error = (await uploadFile({ url: "/u", file, filename: "f", contentType: "x/y", session: session(), createXhr: x.create }).catch(
      (e: unknown) => e,
    )) as ApiProblem;
    expect(error.status).toBe(415);
    expect(error.title).toBe("Ошибка 415");
  });

  it("refreshes once on 401 and sends the file again", async () => {
    const x = fakeXhrs([
      { status: 401, body: '{"title":"Требуется вход","status":401}' },
      { status: 202, body: '{"id":"j2"}' },
    ]);
    const job = await uploadFile<{ id: string }>({ url: "/u", file, filename: "f", contentType: "text/csv", session: session(2), createXhr: x.create });
    expect(job.id).toBe("j2");
    expect(x.sent.map((s) => s.headers.Authorization)).toEqual(["Bearer access-1", "Bearer access-2"]);
  });

  it("ends the session when the renewed token is refused too", async () => {
    const s = session(2);
    const x = fakeXhrs([
      { status: 401, body: "{}" },
      { status: 401, body: "{}" },
    ]);
    await expect(uploadFile({ url: "/u", file, filename: "f", contentType: "t", session: s, createXhr: x.create })).rejects.toBeInstanceOf(ApiProblem);
    expect(s.active).toBe(false);
  });

  it("reports a dropped connection as a network problem", async () => {
    const x = fakeXhrs(["error"]);
    const error = (await uploadFile({ url: "/u", file, filename: "f", contentType: "t", session: session(), createXhr: x.create }).catch(
      (e: unknown) => e,
    )) as ApiProblem;
    expect(error.status).toBe(0);
  });

  it("aborts when the signal fires", async () => {
    const x = fakeXhrs([]); // never answers
    const controller = new AbortController();
    const pending = uploadFile({ url: "/u", file, filename: "f", contentType: "t", session: session(), createXhr: x.create, signal: controller.signal });
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(isAbort(error)).toBe(true);
  });
});
