import { Route, Routes } from "react-router-dom";
import { NotFound } from "../../app/guards";
import { DomainPlaceholder } from "../../components/DomainPlaceholder";

/** The verification domain's pages (lazy-loaded chunk). Screens come in the next sessions. */
export default function VerificationRoutes() {
  return (
    <Routes>
      <Route index element={<DomainPlaceholder domain="verification" title="nav.verification" />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
