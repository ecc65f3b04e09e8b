import { lazy } from "react";
import { Route, Routes } from "react-router-dom";
import { NotFound, RequirePermission } from "../../app/guards";

const DashboardPage = lazy(() => import("./DashboardPage"));

/** Needs the users list (gateway.user:read); the organizations list every role may read. */
export const DASHBOARD_PERMISSIONS = ["gateway.user:read"] as const;

export default function DashboardRoutes() {
  return (
    <Routes>
      <Route
        index
        element={
          <RequirePermission anyOf={DASHBOARD_PERMISSIONS}>
            <DashboardPage />
          </RequirePermission>
        }
      />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
