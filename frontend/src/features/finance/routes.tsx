/**
 * The finance domain's pages (lazy-loaded chunk; each page a chunk inside it): collected
 * income and expenses, payment orders with their import and classification review, the
 * report forms and their workflow, analytics and deviations.
 */
import { lazy } from "react";
import { Route, Routes } from "react-router-dom";
import { NotFound, RequirePermission } from "../../app/guards";
import { FINANCE_SECTIONS } from "./sections";

const FinanceHome = lazy(() => import("./FinanceHome"));
const BudgetPage = lazy(() => import("./budget/BudgetPage"));
const BudgetMonthPage = lazy(() => import("./budget/BudgetMonthPage"));

export default function FinanceRoutes() {
  return (
    <Routes>
      <Route index element={<FinanceHome />} />
      <Route path="budget" element={<RequirePermission anyOf={FINANCE_SECTIONS.budget.anyOf}><BudgetPage /></RequirePermission>} />
      <Route path="budget/:moId/:month" element={<RequirePermission anyOf={FINANCE_SECTIONS.budget.anyOf}><BudgetMonthPage /></RequirePermission>} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
