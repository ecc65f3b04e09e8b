/**
 * Server-sent events read with fetch + ReadableStream: EventSource cannot send the
 * Authorization header, so the stream is fetched like any other request and parsed here
 * (the WHATWG "event stream interpretation": data lines joined with "\n", comments
 * skipped, `id` kept across events for Last-Event-ID on reconnect, CR/LF/CRLF endings).
 */

export interface SseEvent {
  /** `event:` field, "message" when absent. */
  event: string;
  data: string;
  /** The last event id seen so far (kept across events, as the spec says). */
  id: string | null;
}

export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private eventType = "";
  private started = false;
  /** Last `id:` seen; sent back as Last-Event-ID when reconnecting. */
  lastEventId: string | null = null;
  /** Last `retry:` in milliseconds, when the server gave one. */
  retryMs: number | null = null;
  /** Comment lines (`: keep-alive`) seen, so a caller can tell the stream is alive. */
  comments = 0;

  /** Takes the next piece of the stream; returns the events it completes. */
  feed(chunk: string): SseEvent[] {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.startsWith("\uFEFF")) chunk = chunk.slice(1);
    }
    this.buffer += chunk;
    const events: SseEvent[] = [];
    for (;;) {
      const cr = this.buffer.indexOf("\r");
      const lf = this.buffer.indexOf("\n");
      if (cr < 0 && lf < 0) break;
      const at = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      // A CR at the very end may be the first half of a CRLF split across chunks.
      if (at === cr && at === this.buffer.length - 1) break;
      const width = at === cr && this.buffer[at + 1] === "\n" ? 2 : 1;
      const line = this.buffer.slice(0, at);
      this.buffer = this.buffer.slice(at + width);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  /** The stream ended: a trailing CR ends its line; an event without its blank line is dropped (spec). */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.buffer.endsWith("\r")) {
      const event = this.line(this.buffer.slice(0, -1));
      if (event) events.push(event);
    }
    this.buffer = "";
    this.data = [];
    this.eventType = "";
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) {
      this.comments += 1;
      return null;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.data.push(value);
        break;
      case "event":
        this.eventType = value;
        break;
      case "id":
        if (!value.includes("\0")) this.lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default: // unknown fields are ignored
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    const type = this.eventType || "message";
    this.eventType = "";
    if (this.data.length === 0) return null;
    const event = { event: type, data: this.data.join("\n"), id: this.lastEventId };
    this.data = [];
    return event;
  }
}

/** Reads a Response body as SSE, calling `onEvent` for each event; resolves when the stream ends. */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  parser: SseParser,
  onEvent: (event: SseEvent) => boolean | void,
): Promise<"ended" | "stopped"> {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      const events = parser.feed(text);
      if (done) events.push(...parser.end());
      for (const event of events) {
        // onEvent returns true to stop reading (e.g. the job is finished).
        if (onEvent(event) === true) return "stopped";
      }
      if (done) return "ended";
    }
  } finally {
    reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
