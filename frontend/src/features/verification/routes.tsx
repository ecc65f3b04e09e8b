/**
 * The verification domain's pages (lazy-loaded chunk; each page a chunk inside it): the runs
 * (list, start with the register file and follow the stages, one run's results with charts,
 * outcomes and evidence, savings and exports; the review queue), the sources and their answers, the contribution tariffs.
 */
import { lazy } from "react";
import { Route, Routes } from "react-router-dom";
import { NotFound, RequirePermission } from "../../app/guards";
import { VERIFICATION_SECTIONS } from "./sections";

const VerificationHome = lazy(() => import("./VerificationHome"));
const RunsPage = lazy(() => import("./RunsPage"));
const StartRunPage = lazy(() => import("./StartRunPage"));
const RunPage = lazy(() => import("./RunPage"));
const ReviewPage = lazy(() => import("./ReviewPage"));
const SourcesPage = lazy(() => import("./SourcesPage"));
const TariffsPage = lazy(() => import("./TariffsPage"));

const { runs, start, sources, tariffs } = VERIFICATION_SECTIONS;

export default function VerificationRoutes() {
  return (
    <Routes>
      <Route index element={<VerificationHome />} />
      <Route path="runs" element={<RequirePermission anyOf={runs.anyOf}><RunsPage /></RequirePermission>} />
      <Route path="runs/new" element={<RequirePermission anyOf={start.anyOf}><StartRunPage /></RequirePermission>} />
      <Route path="runs/:runId" element={<RequirePermission anyOf={runs.anyOf}><RunPage /></RequirePermission>} />
      <Route path="runs/:runId/review" element={<RequirePermission anyOf={runs.anyOf}><ReviewPage /></RequirePermission>} />
      <Route path="sources" element={<RequirePermission anyOf={sources.anyOf}><SourcesPage /></RequirePermission>} />
      <Route path="tariffs" element={<RequirePermission anyOf={tariffs.anyOf}><TariffsPage /></RequirePermission>} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
