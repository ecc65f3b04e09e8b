/**
 * The session: tokens live in this object only (never localStorage, cookies or the URL),
 * so a reload of the page means logging in again. Refresh is single-flight: concurrent
 * 401s share one POST /api/auth/refresh, because the gateway spends the old refresh token.
 */
import type { components } from "./generated/gateway";

export type TokenPair = components["schemas"]["TokenPair"];

/** Why a session ended: the user logged out, or it could not be renewed. */
export type SessionEndReason = "logout" | "expired";

export type SessionEvent = { kind: "started" } | { kind: "ended"; reason: SessionEndReason };

/** Exchanges a refresh token for a new pair; null when the gateway refuses it (401). */
export type Refresher = (refreshToken: string) => Promise<TokenPair | null>;

interface Tokens {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
}

export class Session {
  private tokens: Tokens | null = null;
  private pending: Promise<boolean> | null = null;
  private readonly listeners = new Set<(event: SessionEvent) => void>();

  constructor(
    private readonly refresher: Refresher,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get active(): boolean {
    return this.tokens !== null;
  }

  get accessToken(): string | null {
    return this.tokens?.accessToken ?? null;
  }

  get refreshToken(): string | null {
    return this.tokens?.refreshToken ?? null;
  }

  /** True when the access token is past (or within `marginMs` of) its expiry. */
  accessExpired(marginMs = 0): boolean {
    return this.tokens === null || this.now() + marginMs >= this.tokens.accessExpiresAt;
  }

  start(pair: TokenPair): void {
    this.store(pair);
    this.emit({ kind: "started" });
  }

  /** Forgets the tokens and tells the listeners why; a second call does nothing. */
  end(reason: SessionEndReason): void {
    if (this.tokens === null) return;
    this.tokens = null;
    this.pending = null;
    this.emit({ kind: "ended", reason });
  }

  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Renews the tokens. Callers at the same moment share one request. Resolves true when
   * there is a fresh access token; false when the session has ended (it is then ended
   * with reason "expired"). A network failure rejects and leaves the session as it was.
   */
  refresh(): Promise<boolean> {
    if (this.pending) return this.pending;
    const current = this.tokens;
    if (current === null) return Promise.resolve(false);
    if (this.now() >= current.refreshExpiresAt) {
      this.end("expired");
      return Promise.resolve(false);
    }
    const run = (async () => {
      try {
        const pair = await this.refresher(current.refreshToken);
        if (this.tokens !== current) return this.tokens !== null; // ended or replaced meanwhile
        if (pair === null) {
          this.end("expired");
          return false;
        }
        this.store(pair);
        return true;
      } finally {
        this.pending = null;
      }
    })();
    this.pending = run;
    return run;
  }

  private store(pair: TokenPair): void {
    const at = this.now();
    this.tokens = {
      accessToken: pair.access_token,
      refreshToken: pair.refresh_token,
      accessExpiresAt: at + pair.expires_in * 1000,
      refreshExpiresAt: at + pair.refresh_expires_in * 1000,
    };
  }

  private emit(event: SessionEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
