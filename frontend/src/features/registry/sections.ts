/**
 * The register's sections and who they open to — one table for the menu (app/navigation.ts),
 * the register's home page and the route guards. A permission opens a section; `audience`
 * narrows it where a permission alone does not say enough (see `Audience`). The server checks
 * again anyway.
 */

/**
 * Who, besides holding a permission, is shown an item:
 * - "keepers": the keepers of the whole register (`isRegisterKeeper`) — the duplicate queue,
 *   merges and scans; an MO's or insurer's registry operator also writes persons but is refused;
 * - "staff": not a patient (a patient's person search only ever finds themselves);
 * - "patient": only a patient; the item's `to` may name `:personId`, filled with their own.
 */
export type Audience = "keepers" | "staff" | "patient";

/** What of /api/auth/me decides what a user is shown (`Me` satisfies it). */
export interface Viewer {
  permissions: readonly string[];
  roles: readonly string[];
  organization: { kind: string };
  person_id: string | null;
}

// oms_kit.auth.REGION_WIDE_ROLES: roles whose scope is the whole region.
const REGION_WIDE_ROLES: readonly string[] = ["admin", "tfoms_analyst", "foms_viewer", "health_authority", "tfoms_exchange", "foms_exchange"];
// registry/person/access.py REGISTER_KEEPERS: organizations that keep the whole register.
const REGISTER_KEEPERS: readonly string[] = ["tfoms"];

/**
 * Does the user keep the whole register? The SPA's one copy of the server's rule
 * `sees_whole_register` (services/registry/registry/person/access.py, used by
 * registry/matching/access.py for the duplicate queue and merges): not a patient, and a
 * region-wide role or an organization of a keeping kind.
 */
export function isRegisterKeeper(user: Viewer): boolean {
  return user.person_id === null && (user.roles.some((r) => REGION_WIDE_ROLES.includes(r)) || REGISTER_KEEPERS.includes(user.organization.kind));
}

/** The person card's route (routes.tsx `persons/:personId`). */
export const PERSON_CARD = "/registry/persons/:personId";

export const REGISTRY_SECTIONS = {
  persons: { to: "/registry/persons", anyOf: ["registry.person:read"], audience: "staff" },
  myCard: { to: PERSON_CARD, anyOf: ["registry.person:read"], audience: "patient" },
  duplicates: { to: "/registry/duplicates", anyOf: ["registry.person:write"], audience: "keepers" },
  mos: { to: "/registry/mo", anyOf: ["registry.mo_passport:read"] },
  need: { to: "/registry/equipment-need", anyOf: ["registry.mo_passport:read"] },
} as const satisfies Record<string, { to: string; anyOf: readonly string[]; audience?: Audience }>;
