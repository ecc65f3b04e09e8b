import { Route, Routes } from "react-router-dom";
import { NotFound } from "../../app/guards";
import { DomainPlaceholder } from "../../components/DomainPlaceholder";

/** The finance domain's pages (lazy-loaded chunk). Screens come in the next sessions. */
export default function FinanceRoutes() {
  return (
    <Routes>
      <Route index element={<DomainPlaceholder domain="finance" title="nav.finance" />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
