import { Route, Routes } from "react-router-dom";
import { useMe } from "../../app/auth";
import { NotFound, RequirePermission } from "../../app/guards";
import { preloadCharts } from "../../components/charts/preload";
import { DASHBOARD_PERMISSIONS, REGION_ROUTE_PERMISSIONS, dashboardView } from "./access";
// The pages are in this chunk (the dashboard domain's, loaded lazily by the app): a lazy
// page inside would suspend once more, and React 19 delays each reveal after a fallback.
import DashboardPage from "./DashboardPage";
import { usePrefetchDashboard } from "./hooks";
import RegionDashboard from "./RegionDashboard";

export { DASHBOARD_PERMISSIONS };

/**
 * /dashboard is the user's dashboard (access.ts decides which); /dashboard/region the
 * region's. Both start their requests and Chart.js here, before the page renders.
 */
function DashboardIndex() {
  const me = useMe();
  const view = dashboardView(me.permissions);
  usePrefetchDashboard(view, me.permissions);
  if (view) preloadCharts();
  return view === "region" ? <RegionDashboard /> : <DashboardPage />;
}

function RegionRoute() {
  const me = useMe();
  usePrefetchDashboard("region", me.permissions);
  preloadCharts();
  return <RegionDashboard />;
}

export default function DashboardRoutes() {
  return (
    <Routes>
      <Route
        index
        element={
          <RequirePermission anyOf={DASHBOARD_PERMISSIONS}>
            <DashboardIndex />
          </RequirePermission>
        }
      />
      <Route
        path="region"
        element={
          <RequirePermission anyOf={REGION_ROUTE_PERMISSIONS}>
            <RegionRoute />
          </RequirePermission>
        }
      />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
