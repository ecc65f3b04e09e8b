import { lazy } from "react";
import { Route, Routes } from "react-router-dom";
import { useMe } from "../../app/auth";
import { NotFound, RequirePermission } from "../../app/guards";
import { DASHBOARD_PERMISSIONS, REGION_ROUTE_PERMISSIONS, dashboardView } from "./access";

const DashboardPage = lazy(() => import("./DashboardPage"));
const RegionDashboard = lazy(() => import("./RegionDashboard"));

export { DASHBOARD_PERMISSIONS };

/** /dashboard is the user's dashboard (access.ts decides which); /dashboard/region the region's. */
function DashboardIndex() {
  const me = useMe();
  return dashboardView(me.permissions) === "region" ? <RegionDashboard /> : <DashboardPage />;
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
            <RegionDashboard />
          </RequirePermission>
        }
      />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
