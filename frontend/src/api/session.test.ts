import { describe, expect, it } from "vitest";
import { Session, type SessionEvent, type TokenPair } from "./session";

const pair = (n: number, expires = 900, refreshExpires = 3600): TokenPair => ({
  access_token: `a${n}`,
  refresh_token: `r${n}`,
  expires_in: expires,
  refresh_expires_in: refreshExpires,
  token_type: "Bearer",
});

describe("Session", () => {
  it("keeps tokens in memory and forgets them on logout", () => {
    const s = new Session(async () => null);
    const events: SessionEvent[] = [];
    s.subscribe((e) => events.push(e));
    s.start(pair(1));
    expect(s.accessToken).toBe("a1");
    expect(s.refreshToken).toBe("r1");
    s.end("logout");
    s.end("logout");
    expect(s.active).toBe(false);
    expect(s.accessToken).toBeNull();
    expect(events).toEqual([{ kind: "started" }, { kind: "ended", reason: "logout" }]);
  });

  it("knows when the access token has expired", () => {
    let now = 1_000_000;
    const s = new Session(async () => null, () => now);
    s.start(pair(1, 60));
    expect(s.accessExpired()).toBe(false);
    expect(s.accessExpired(61_000)).toBe(true);
    now += 60_000;
    expect(s.accessExpired()).toBe(true);
  });

  it("refreshes with the refresh token and stores the new pair", async () => {
    const seen: string[] = [];
    const s = new Session(async (t) => {
      seen.push(t);
      return pair(2);
    });
    s.start(pair(1));
    await expect(s.refresh()).resolves.toBe(true);
    expect(seen).toEqual(["r1"]);
    expect(s.accessToken).toBe("a2");
  });

  it("is single-flight", async () => {
    let calls = 0;
    let release!: (p: TokenPair) => void;
    const s = new Session(() => {
      calls += 1;
      return new Promise<TokenPair>((resolve) => (release = resolve));
    });
    s.start(pair(1));
    const a = s.refresh();
    const b = s.refresh();
    release(pair(2));
    expect(await Promise.all([a, b])).toEqual([true, true]);
    expect(calls).toBe(1);
  });

  it("ends as expired when the refresh is refused", async () => {
    const s = new Session(async () => null);
    const events: SessionEvent[] = [];
    s.subscribe((e) => events.push(e));
    s.start(pair(1));
    await expect(s.refresh()).resolves.toBe(false);
    expect(s.active).toBe(false);
    expect(events.at(-1)).toEqual({ kind: "ended", reason: "expired" });
  });

  it("does not call the gateway once the refresh token itself has expired", async () => {
    let now = 0;
    let calls = 0;
    const s = new Session(async () => {
      calls += 1;
      return pair(2);
    }, () => now);
    s.start(pair(1, 60, 120));
    now = 121_000;
    await expect(s.refresh()).resolves.toBe(false);
    expect(calls).toBe(0);
    expect(s.active).toBe(false);
  });

  it("keeps the session when the refresh fails on the network", async () => {
    const s = new Session(async () => {
      throw new TypeError("Failed to fetch");
    });
    s.start(pair(1));
    await expect(s.refresh()).rejects.toThrow("Failed to fetch");
    expect(s.active).toBe(true);
  });

  it("ignores a refresh answer that arrives after logout", async () => {
    let release!: (p: TokenPair) => void;
    const s = new Session(() => new Promise<TokenPair>((resolve) => (release = resolve)));
    s.start(pair(1));
    const pending = s.refresh();
    s.end("logout");
    release(pair(2));
    await expect(pending).resolves.toBe(false);
    expect(s.active).toBe(false);
  });
});
