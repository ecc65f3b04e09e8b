/**
 * The register's sections and the permissions that open them — one table for the menu
 * (app/navigation.ts), the register's home page and the route guards. The server checks
 * again: the duplicate queue, merges and scans are for the keepers of the whole register
 * (TFOMS, region-wide roles), which a permission alone does not say.
 */
export const REGISTRY_SECTIONS = {
  persons: { to: "/registry/persons", anyOf: ["registry.person:read"] },
  duplicates: { to: "/registry/duplicates", anyOf: ["registry.person:write"] },
  mos: { to: "/registry/mo", anyOf: ["registry.mo_passport:read"] },
  need: { to: "/registry/equipment-need", anyOf: ["registry.mo_passport:read"] },
} as const satisfies Record<string, { to: string; anyOf: readonly string[] }>;
