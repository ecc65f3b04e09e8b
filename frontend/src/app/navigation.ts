/**
 * The menu, built from what /api/auth/me says the user may do. Permissions, not role
 * names, decide: a role gains a section in the gateway (gateway/access/roles.py) and the
 * menu follows without a change here.
 *
 * Some permissions every staff role holds and so say nothing about a section: the
 * organization directories (`*.organization:read`). The admin area's organizations therefore
 * needs `gateway.organization:write`; the register's items need a permission on persons
 * or on MO passports. Reading NSI (`registry.nsi:read`, every role but the patient) opens the
 * NSI browser; "Задания" is for those who start jobs.
 *
 * Where a permission alone says too little, an item names its `audience`
 * (features/registry/sections.ts), decided by the user's organization kind, roles and
 * `person_id`: reading persons opens the search to staff and "Моя карта" (their own card) to a
 * patient; writing persons opens the duplicate queue only to the keepers of the whole register
 * (`isRegisterKeeper`, the server's rule), not to an MO's or insurer's registry operator.
 */
import { DASHBOARD_PERMISSIONS } from "../features/dashboard/access";
import { isRegisterKeeper, REGISTRY_SECTIONS, type Audience, type Viewer } from "../features/registry/sections";
import type { MessageKey } from "./messages";

export interface NavItem {
  to: string;
  label: MessageKey;
  /** Any one of these permissions shows the item. */
  anyOf: readonly string[];
  /** And only to these users (sections.ts `Audience`); everyone with the permission if absent. */
  audience?: Audience;
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
  // The register (features/registry/sections.ts): persons (a patient: their card), the
  // duplicate queue, MOs, equipment need.
  { ...REGISTRY_SECTIONS.persons, label: "nav.registry.persons" },
  { ...REGISTRY_SECTIONS.myCard, label: "nav.registry.myCard" },
  { ...REGISTRY_SECTIONS.duplicates, label: "nav.registry.duplicates" },
  { ...REGISTRY_SECTIONS.mos, label: "nav.registry.mos" },
  { ...REGISTRY_SECTIONS.need, label: "nav.registry.need" },
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

/** Is the item shown to the user: one of its permissions, and its audience. */
export function shown(item: Pick<NavItem, "anyOf" | "audience">, user: Viewer): boolean {
  if (!allowed(item, user.permissions)) return false;
  switch (item.audience) {
    case "keepers":
      return isRegisterKeeper(user);
    case "staff":
      return user.person_id === null;
    case "patient":
      return user.person_id !== null;
    default:
      return true;
  }
}

/** The items shown to the user, a patient's own person filled into a `:personId` link. */
export function visibleItems<T extends Pick<NavItem, "to" | "anyOf" | "audience">>(items: readonly T[], user: Viewer): T[] {
  const personId = user.person_id;
  return items
    .filter((i) => shown(i, user))
    .map((i) => (personId !== null && i.to.includes(":personId") ? { ...i, to: i.to.replace(":personId", encodeURIComponent(personId)) } : i));
}

export function buildNavigation(user: Viewer): NavSection[] {
  const sections: NavSection[] = [
    { label: "nav.section.analytics", items: visibleItems(ANALYTICS, user) },
    { label: "nav.section.work", items: visibleItems(WORK, user) },
    { label: "nav.section.admin", items: visibleItems(ADMIN, user) },
  ];
  return sections.filter((s) => s.items.length > 0);
}

/** Every item a user may open (for the home page and route guards). */
export function navigationItems(user: Viewer): NavItem[] {
  return buildNavigation(user).flatMap((s) => s.items);
}

/** The permissions of a domain (`finance`) that the user holds, for its placeholder page. */
export function domainPermissions(domain: string, permissions: readonly string[]): string[] {
  return permissions.filter((p) => p.startsWith(`${domain}.`)).sort();
}
