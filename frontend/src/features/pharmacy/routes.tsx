import { Route, Routes } from "react-router-dom";
import { NotFound } from "../../app/guards";
import { DomainPlaceholder } from "../../components/DomainPlaceholder";

/** The pharmacy domain's pages (lazy-loaded chunk). Screens come in the next sessions. */
export default function PharmacyRoutes() {
  return (
    <Routes>
      <Route index element={<DomainPlaceholder domain="pharmacy" title="nav.pharmacy" />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
