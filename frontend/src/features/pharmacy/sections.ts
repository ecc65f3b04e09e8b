/**
 * The pharmacy sections and the permissions that open them — one table for the home page and
 * the route guards (the menu's single item is app/navigation.ts). The server checks again:
 * a doctor sees their MO's prescriptions, a pharmacist their pharmacy, the fund everything.
 */
export const PHARMACY_SECTIONS = {
  prescriptions: { to: "/pharmacy/prescriptions", anyOf: ["pharmacy.prescription:read"] },
  dispensing: { to: "/pharmacy/dispensing", anyOf: ["pharmacy.prescription:dispense"] },
  deferred: { to: "/pharmacy/deferred", anyOf: ["pharmacy.prescription:dispense", "pharmacy.prescription:read"] },
  stock: { to: "/pharmacy/stock", anyOf: ["pharmacy.stock:read"] },
  beneficiaries: { to: "/pharmacy/beneficiaries", anyOf: ["pharmacy.beneficiary:read"] },
  control: { to: "/pharmacy/control", anyOf: ["pharmacy.control:read"] },
  marking: { to: "/pharmacy/marking", anyOf: ["pharmacy.marking:read"] },
} as const satisfies Record<string, { to: string; anyOf: readonly string[] }>;
