/**
 * The registry domain's pages (lazy-loaded chunk; each page a chunk inside it): insured
 * persons (search, match and registration, the card with its history), the duplicate
 * queue, the MO register and the equipment need. The NSI browser is nsiRoutes.tsx (/nsi).
 */
import { lazy } from "react";
import { Route, Routes } from "react-router-dom";
import { NotFound, RequirePermission } from "../../app/guards";
import { REGISTRY_SECTIONS } from "./sections";

const RegistryHome = lazy(() => import("./RegistryHome"));
const PersonSearchPage = lazy(() => import("./persons/PersonSearchPage"));
const PersonRegisterPage = lazy(() => import("./persons/PersonRegisterPage"));
const PersonCardPage = lazy(() => import("./persons/PersonCardPage"));
const DuplicatesPage = lazy(() => import("./duplicates/DuplicatesPage"));
const MoListPage = lazy(() => import("./mo/MoListPage"));
const MoPage = lazy(() => import("./mo/MoPage"));
const EquipmentPage = lazy(() => import("./mo/EquipmentPage"));
const NeedReportPage = lazy(() => import("./mo/NeedReportPage"));

const { persons, duplicates, mos, need } = REGISTRY_SECTIONS;

export default function RegistryRoutes() {
  return (
    <Routes>
      <Route index element={<RegistryHome />} />
      <Route path="persons" element={<RequirePermission anyOf={persons.anyOf}><PersonSearchPage /></RequirePermission>} />
      <Route path="persons/new" element={<RequirePermission anyOf={persons.anyOf}><PersonRegisterPage /></RequirePermission>} />
      <Route path="persons/:personId" element={<RequirePermission anyOf={persons.anyOf}><PersonCardPage /></RequirePermission>} />
      <Route path="duplicates" element={<RequirePermission anyOf={duplicates.anyOf} audience={duplicates.audience}><DuplicatesPage /></RequirePermission>} />
      <Route path="mo" element={<RequirePermission anyOf={mos.anyOf}><MoListPage /></RequirePermission>} />
      <Route path="mo/:moId" element={<RequirePermission anyOf={mos.anyOf}><MoPage /></RequirePermission>} />
      <Route path="mo/:moId/equipment/:equipmentId" element={<RequirePermission anyOf={mos.anyOf}><EquipmentPage /></RequirePermission>} />
      <Route path="equipment-need" element={<RequirePermission anyOf={need.anyOf}><NeedReportPage /></RequirePermission>} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
