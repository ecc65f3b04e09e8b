import { Route, Routes } from "react-router-dom";
import { NotFound } from "../../app/guards";
import { DomainPlaceholder } from "../../components/DomainPlaceholder";

/** The registry domain's pages (lazy-loaded chunk). Screens come in the next sessions. */
export default function RegistryRoutes() {
  return (
    <Routes>
      <Route index element={<DomainPlaceholder domain="registry" title="nav.registry" />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
