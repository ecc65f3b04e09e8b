/**
 * The finance sections and the permissions that open them — one table for the home page and
 * the route guards (the menu's single item is app/navigation.ts). The server checks again:
 * an MO economist sees their MO, the health authority the MOs it founds, the fund every MO,
 * FOMS the consolidated figures.
 */
export const FINANCE_SECTIONS = {
  budget: { to: "/finance/budget", anyOf: ["finance.budget:read"] },
  payments: { to: "/finance/payments", anyOf: ["finance.payment_order:read"] },
  review: { to: "/finance/payments/review", anyOf: ["finance.payment_order:write", "finance.classifier:train"] },
  reports: { to: "/finance/reports", anyOf: ["finance.report:read"] },
  analytics: { to: "/finance/analytics", anyOf: ["finance.budget:read"] },
  deviations: { to: "/finance/deviations", anyOf: ["finance.budget:read"] },
} as const satisfies Record<string, { to: string; anyOf: readonly string[] }>;
