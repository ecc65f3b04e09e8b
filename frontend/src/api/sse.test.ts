import { describe, expect, it } from "vitest";
import { readEventStream, SseParser } from "./sse";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

describe("SseParser", () => {
  it("joins multi-line data with newlines and names the event", () => {
    const p = new SseParser();
    expect(p.feed('event: job\ndata: {"a":\ndata: 1}\n\n')).toEqual([{ event: "job", data: '{"a":\n1}', id: null }]);
  });

  it("defaults the type to message and strips one leading space only", () => {
    const p = new SseParser();
    expect(p.feed("data:  two spaces\ndata:none\n\n")).toEqual([{ event: "message", data: " two spaces\nnone", id: null }]);
  });

  it("skips comments and counts them as keep-alives", () => {
    const p = new SseParser();
    expect(p.feed(": keep-alive\n\n: keep-alive\n")).toEqual([]);
    expect(p.comments).toBe(2);
    expect(p.feed("data: x\n\n")).toEqual([{ event: "message", data: "x", id: null }]);
  });

  it("completes events split anywhere across chunks, CRLF included", () => {
    const text = "event: job\r\ndata: один\r\n\r\nevent: job\rdata: два\r\r";
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const events = [...p.feed(text.slice(0, cut)), ...p.feed(text.slice(cut)), ...p.end()];
      expect(events.map((e) => e.data), `cut at ${cut}`).toEqual(["один", "два"]);
    }
  });

  it("keeps the last id across events and ignores ids with NUL", () => {
    const p = new SseParser();
    const events = p.feed("id: 7\ndata: a\n\ndata: b\n\nid: 8\0\ndata: c\n\n");
    expect(events.map((e) => e.id)).toEqual(["7", "7", "7"]);
    expect(p.lastEventId).toBe("7");
  });

  it("reads retry, ignores unknown fields and events without data", () => {
    const p = new SseParser();
    expect(p.feed("retry: 2500\nfoo: bar\nevent: job\n\nretry: soon\n")).toEqual([]);
    expect(p.retryMs).toBe(2500);
  });

  it("drops an event the stream cut off before its blank line", () => {
    const p = new SseParser();
    expect(p.feed("data: half")).toEqual([]);
    expect(p.end()).toEqual([]);
  });

  it("strips a byte order mark at the start", () => {
    const p = new SseParser();
    expect(p.feed("\uFEFFdata: x\n\n")).toEqual([{ event: "message", data: "x", id: null }]);
  });
});

describe("readEventStream", () => {
  it("decodes UTF-8 split inside a character and reports the end", async () => {
    const bytes = new TextEncoder().encode("event: job\ndata: Выполняется\n\n");
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 20)); // cuts a two-byte Cyrillic letter
        c.enqueue(bytes.slice(20));
        c.close();
      },
    });
    const seen: string[] = [];
    const how = await readEventStream(stream, new SseParser(), (e) => void seen.push(e.data));
    expect(how).toBe("ended");
    expect(seen).toEqual(["Выполняется"]);
  });

  it("stops when the handler says so", async () => {
    const seen: string[] = [];
    const how = await readEventStream(streamOf(["data: 1\n\ndata: 2\n\n"]), new SseParser(), (e) => {
      seen.push(e.data);
      return true;
    });
    expect(how).toBe("stopped");
    expect(seen).toEqual(["1"]);
  });
});
