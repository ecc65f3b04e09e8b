/**
 * The verification sections and the permissions that open them — one table for the home
 * page and the route guards (the menu's single item is app/navigation.ts). The server checks
 * again (a payer sees its own runs, region-wide roles every run).
 */
export const VERIFICATION_SECTIONS = {
  runs: { to: "/verification/runs", anyOf: ["verification.run:read"] },
  start: { to: "/verification/runs/new", anyOf: ["verification.run:write"] },
  sources: { to: "/verification/sources", anyOf: ["verification.source:read"] },
  tariffs: { to: "/verification/tariffs", anyOf: ["verification.savings:read"] },
} as const satisfies Record<string, { to: string; anyOf: readonly string[] }>;

export const SOURCE_WRITE = ["verification.source:write"] as const;
export const TARIFF_WRITE = ["verification.run:write"] as const;
