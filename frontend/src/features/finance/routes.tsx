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
const ReportsPage = lazy(() => import("./reports/ReportsPage"));
const ReportPage = lazy(() => import("./reports/ReportPage"));
const AnalyticsPage = lazy(() => import("./analytics/AnalyticsPage"));
const DeviationsPage = lazy(() => import("./deviations/DeviationsPage"));
const ReviewPage = lazy(() => import("./review/ReviewPage"));
const PaymentsPage = lazy(() => import("./payments/PaymentsPage"));
const PaymentImportPage = lazy(() => import("./payments/PaymentImportPage"));
const PaymentPage = lazy(() => import("./payments/PaymentPage"));

export default function FinanceRoutes() {
  return (
    <Routes>
      <Route index element={<FinanceHome />} />
      <Route path="budget" element={<RequirePermission anyOf={FINANCE_SECTIONS.budget.anyOf}><BudgetPage /></RequirePermission>} />
      <Route path="budget/:moId/:month" element={<RequirePermission anyOf={FINANCE_SECTIONS.budget.anyOf}><BudgetMonthPage /></RequirePermission>} />
      <Route path="analytics" element={<RequirePermission anyOf={FINANCE_SECTIONS.analytics.anyOf}><AnalyticsPage /></RequirePermission>} />
      <Route path="deviations" element={<RequirePermission anyOf={FINANCE_SECTIONS.deviations.anyOf}><DeviationsPage /></RequirePermission>} />
      <Route path="payments/review" element={<RequirePermission anyOf={FINANCE_SECTIONS.review.anyOf}><ReviewPage /></RequirePermission>} />
      <Route path="reports" element={<RequirePermission anyOf={FINANCE_SECTIONS.reports.anyOf}><ReportsPage /></RequirePermission>} />
      <Route path="reports/:id" element={<RequirePermission anyOf={FINANCE_SECTIONS.reports.anyOf}><ReportPage /></RequirePermission>} />
      <Route path="payments" element={<RequirePermission anyOf={FINANCE_SECTIONS.payments.anyOf}><PaymentsPage /></RequirePermission>} />
      <Route path="payments/import" element={<RequirePermission anyOf={["finance.payment_order:write"]}><PaymentImportPage /></RequirePermission>} />
      <Route path="payments/:id" element={<RequirePermission anyOf={FINANCE_SECTIONS.payments.anyOf}><PaymentPage /></RequirePermission>} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
