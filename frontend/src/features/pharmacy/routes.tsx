/**
 * The pharmacy domain's pages (lazy-loaded chunk; each page a chunk inside it): beneficiaries,
 * prescriptions, dispensing with marking codes, the deferred list, stock, medico-economic
 * control and the track-and-trace reports.
 */
import { lazy } from "react";
import { Route, Routes } from "react-router-dom";
import { NotFound, RequirePermission } from "../../app/guards";
import { PHARMACY_SECTIONS as S } from "./sections";

const PharmacyHome = lazy(() => import("./PharmacyHome"));
const BeneficiariesPage = lazy(() => import("./beneficiaries/BeneficiariesPage"));
const BeneficiaryPage = lazy(() => import("./beneficiaries/BeneficiaryPage"));
const FederalRegisterPage = lazy(() => import("./beneficiaries/FederalRegisterPage"));
const PrescriptionsPage = lazy(() => import("./prescriptions/PrescriptionsPage"));
const PrescriptionFormPage = lazy(() => import("./prescriptions/PrescriptionFormPage"));
const PrescriptionPage = lazy(() => import("./prescriptions/PrescriptionPage"));
const DispensingPage = lazy(() => import("./dispensing/DispensingPage"));
const DeferredPage = lazy(() => import("./dispensing/DeferredPage"));
const StockPage = lazy(() => import("./stock/StockPage"));
const StockCardPage = lazy(() => import("./stock/StockCardPage"));
const ControlPage = lazy(() => import("./control/ControlPage"));
const MarkingPage = lazy(() => import("./control/MarkingPage"));

export default function PharmacyRoutes() {
  return (
    <Routes>
      <Route index element={<PharmacyHome />} />
      <Route path="beneficiaries" element={<RequirePermission anyOf={S.beneficiaries.anyOf}><BeneficiariesPage /></RequirePermission>} />
      <Route path="beneficiaries/federal-register" element={<RequirePermission anyOf={["pharmacy.beneficiary:write"]}><FederalRegisterPage /></RequirePermission>} />
      <Route path="beneficiaries/:personId" element={<RequirePermission anyOf={S.beneficiaries.anyOf}><BeneficiaryPage /></RequirePermission>} />
      <Route path="prescriptions" element={<RequirePermission anyOf={S.prescriptions.anyOf}><PrescriptionsPage /></RequirePermission>} />
      <Route path="prescriptions/new" element={<RequirePermission anyOf={["pharmacy.prescription:write"]}><PrescriptionFormPage /></RequirePermission>} />
      <Route path="prescriptions/:id" element={<RequirePermission anyOf={S.prescriptions.anyOf}><PrescriptionPage /></RequirePermission>} />
      <Route path="dispensing" element={<RequirePermission anyOf={S.dispensing.anyOf}><DispensingPage /></RequirePermission>} />
      <Route path="deferred" element={<RequirePermission anyOf={S.deferred.anyOf}><DeferredPage /></RequirePermission>} />
      <Route path="stock" element={<RequirePermission anyOf={S.stock.anyOf}><StockPage /></RequirePermission>} />
      <Route path="stock/:pharmacyId/:drugId" element={<RequirePermission anyOf={S.stock.anyOf}><StockCardPage /></RequirePermission>} />
      <Route path="control" element={<RequirePermission anyOf={S.control.anyOf}><ControlPage /></RequirePermission>} />
      <Route path="marking" element={<RequirePermission anyOf={S.marking.anyOf}><MarkingPage /></RequirePermission>} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
