/** Which roles a person may hold in an organization, from the gateway's role catalogue. */
import type { RoleRead } from "./hooks";

/**
 * The people's roles (not API-key clients) allowed in an organization of `orgKind`, in
 * catalogue order; roles already held stay offered (flagged by `misfit`) so they can be removed.
 */
export function rolesForOrganization(
  catalogue: readonly RoleRead[],
  orgKind: string | null,
  held: readonly string[] = [],
): { role: string; misfit: boolean }[] {
  const fitting = catalogue
    .filter((r) => r.kind === "user" && orgKind !== null && r.organization_kinds.includes(orgKind))
    .map((r) => r.role);
  const misfits = held.filter((r) => !fitting.includes(r));
  return [...fitting.map((role) => ({ role, misfit: false })), ...misfits.map((role) => ({ role, misfit: true }))];
}

/** The held roles that still fit after the organization changed. */
export function keepFitting(catalogue: readonly RoleRead[], orgKind: string | null, held: readonly string[]): string[] {
  const fitting = new Set(rolesForOrganization(catalogue, orgKind).map((r) => r.role));
  return held.filter((r) => fitting.has(r));
}
