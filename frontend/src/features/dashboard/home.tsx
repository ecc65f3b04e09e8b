/**
 * The dashboard on the home page, for the roles whose home it is (access.ts: the region
 * dashboard). Renders nothing for everyone else. For those it starts the dashboard's
 * requests and Chart.js at once, while the page's code loads (as routes.tsx does).
 * app/HomePage.tsx places it: `<DashboardHome />`.
 */
import { lazy, Suspense } from "react";
import { useMe } from "../../app/auth";
import { preloadCharts } from "../../components/charts/preload";
import { Loading } from "../../components/states";
import { homeDashboard } from "./access";
import { usePrefetchDashboard } from "./hooks";

const RegionDashboard = lazy(() => import("./RegionDashboard"));

export function DashboardHome() {
  const me = useMe();
  const view = homeDashboard(me.permissions);
  usePrefetchDashboard(view, me.permissions);
  if (view !== "region") return null;
  preloadCharts();
  return (
    <Suspense fallback={<Loading />}>
      <RegionDashboard embedded />
    </Suspense>
  );
}
