/** The state of a token signing key, from its dates (see gateway/signing_key/ring.py). */
import type { SigningKeyRead } from "./hooks";

export type SigningKeyState = "signing" | "verifying" | "retired" | "pending";

/**
 * `signing`: the newest key in force without a retirement date — it signs new tokens.
 * `verifying`: rotated out, still in the JWKS until `retired_at` so issued tokens verify.
 * `retired`: past `retired_at`. `pending`: `active_from` is still ahead.
 */
export function signingKeyState(key: SigningKeyRead, all: readonly SigningKeyRead[], now: number): SigningKeyState {
  if (key.retired_at) return Date.parse(key.retired_at) <= now ? "retired" : "verifying";
  if (Date.parse(key.active_from) > now) return "pending";
  const inForce = all.filter((k) => !k.retired_at && Date.parse(k.active_from) <= now);
  const newest = inForce.reduce<SigningKeyRead | null>(
    (best, k) => (best === null || Date.parse(k.active_from) > Date.parse(best.active_from) ? k : best),
    null,
  );
  return newest?.kid === key.kid ? "signing" : "verifying";
}

/** Newest first. */
export function byNewest(keys: readonly SigningKeyRead[]): SigningKeyRead[] {
  return [...keys].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
}
