/**
 * The finance domain's pages (lazy-loaded chunk; each page a chunk inside it): collected
 * income and expenses, payment orders with their import and classification review, the
 * report forms and their workflow, analytics and deviations.
 */
import { lazy } from "react";
import { Route, Routes } from "react-router-dom";
import { NotFound } from "../../app/guards";

const FinanceHome = lazy(() => import("./FinanceHome"));

export default function FinanceRoutes() {
  return (
    <Routes>
      <Route index element={<FinanceHome />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
