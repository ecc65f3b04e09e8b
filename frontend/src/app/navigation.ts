/**
 * The menu, built from what /api/auth/me says the user may do. Permissions, not role
 * names, decide: a role gains a section in the gateway (gateway/access/roles.py) and the
 * menu follows without a change here.
 *
 * Some permissions every staff role holds and so say nothing about a section: the
 * organization directories (`*.organization:read`). The admin area's organizations therefore
 * needs `gateway.organization:write`; the register's items need a permission on persons
 * (reading opens the search, writing the duplicate queue) or on MO passports. Reading NSI
 * (`registry.nsi:read`, every role but the patient) opens the NSI browser; "Задания" is for
 * those who start jobs.
 */
import { DASHBOARD_PERMISSIONS } from "../features/dashboard/access";
import { REGISTRY_SECTIONS } from "../features/registry/sections";
import type { MessageKey } from "./messages";

export interface NavItem {
  to: string;
  label: MessageKey;
  /** Any one of these permissions shows the item. */
  anyOf: readonly string[];
}

export interface NavSection {
  label: MessageKey;
  items: NavItem[];
}

const WORK: NavItem[] = [
  {
    to: "/finance",
    label: "nav.finance",
    anyOf: ["finance.budget:read", "finance.report:read", "finance.bill_registry:read", "finance.payment_order:read"],
  },
  {
    to: "/pharmacy",
    label: "nav.pharmacy",
    anyOf: ["pharmacy.prescription:read", "pharmacy.stock:read", "pharmacy.beneficiary:read", "pharmacy.warehouse:read"],
  },
  // The register (features/registry/sections.ts): persons, the duplicate queue, MOs, equipment need.
  { to: REGISTRY_SECTIONS.persons.to, label: "nav.registry.persons", anyOf: REGISTRY_SECTIONS.persons.anyOf },
  { to: REGISTRY_SECTIONS.duplicates.to, label: "nav.registry.duplicates", anyOf: REGISTRY_SECTIONS.duplicates.anyOf },
  { to: REGISTRY_SECTIONS.mos.to, label: "nav.registry.mos", anyOf: REGISTRY_SECTIONS.mos.anyOf },
  { to: REGISTRY_SECTIONS.need.to, label: "nav.registry.need", anyOf: REGISTRY_SECTIONS.need.anyOf },
  {
    to: "/verification",
    label: "nav.verification",
    anyOf: ["verification.register:read", "verification.run:read", "verification.savings:read"],
  },
  { to: "/nsi", label: "nav.nsi", anyOf: ["registry.nsi:read"] },
  // Whoever can start a job (an NSI import today); the page lists the jobs one may read.
  { to: "/jobs", label: "nav.jobs", anyOf: ["registry.nsi:write"] },
];

// The dashboard reads the admin lists of organizations and users (gateway.user:read).
const ANALYTICS: NavItem[] = [{ to: "/dashboard", label: "nav.dashboard", anyOf: DASHBOARD_PERMISSIONS }];

const ADMIN: NavItem[] = [
  { to: "/admin/organizations", label: "nav.admin.organizations", anyOf: ["gateway.organization:write"] },
  { to: "/admin/users", label: "nav.admin.users", anyOf: ["gateway.user:read"] },
  { to: "/admin/api-keys", label: "nav.admin.apiKeys", anyOf: ["gateway.api_key:read"] },
  { to: "/admin/signing-keys", label: "nav.admin.signingKeys", anyOf: ["gateway.signing_key:read"] },
];

export function allowed(item: Pick<NavItem, "anyOf">, permissions: readonly string[]): boolean {
  return item.anyOf.some((p) => permissions.includes(p));
}

export function buildNavigation(permissions: readonly string[]): NavSection[] {
  const sections: NavSection[] = [
    { label: "nav.section.analytics", items: ANALYTICS.filter((i) => allowed(i, permissions)) },
    { label: "nav.section.work", items: WORK.filter((i) => allowed(i, permissions)) },
    { label: "nav.section.admin", items: ADMIN.filter((i) => allowed(i, permissions)) },
  ];
  return sections.filter((s) => s.items.length > 0);
}

/** Every item a user may open (for the home page and route guards). */
export function navigationItems(permissions: readonly string[]): NavItem[] {
  return buildNavigation(permissions).flatMap((s) => s.items);
}

/** The permissions of a domain (`finance`) that the user holds, for its placeholder page. */
export function domainPermissions(domain: string, permissions: readonly string[]): string[] {
  return permissions.filter((p) => p.startsWith(`${domain}.`)).sort();
}
