/**
 * The dashboard on the home page, for the roles whose home it is (access.ts: the region
 * dashboard). Renders nothing for everyone else; the dashboard's code and Chart.js load
 * only when it is shown. app/HomePage.tsx places it: `<DashboardHome />`.
 */
import { lazy, Suspense } from "react";
import { useMe } from "../../app/auth";
import { Loading } from "../../components/states";
import { homeDashboard } from "./access";

const RegionDashboard = lazy(() => import("./RegionDashboard"));

export function DashboardHome() {
  const me = useMe();
  if (homeDashboard(me.permissions) !== "region") return null;
  return (
    <Suspense fallback={<Loading />}>
      <RegionDashboard embedded />
    </Suspense>
  );
}
