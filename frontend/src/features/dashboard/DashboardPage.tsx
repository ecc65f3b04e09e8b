/**
 * «Сводка»: organizations by kind, users by role, sign-ins (per day, by weekday and hour)
 * and the headline counts, from the gateway admin API (the lists are read whole; the
 * region has hundreds of rows). The admin API scopes everything by organization, so an MO
 * economist sees their own MO.
 */
import { useMemo } from "react";
import { Link } from "react-router-dom";
import { formatNumber } from "../../app/format";
import { useMe } from "../../app/auth";
import { label, useI18n } from "../../app/i18n";
import { organizationKindLabels, roleLabels } from "../../app/messages";
import { BarChart, DashboardGrid, KpiTile, PieChart, preloadCharts } from "../../components/charts/charts";
import { countBy } from "../../components/charts/data";
import { EmptyState, ErrorState, Loading } from "../../components/states";
import { REGION_ROUTE_PERMISSIONS } from "./access";
import { useActiveKeyCount, useAllOrganizations, useAllUsers } from "./hooks";
import { SignInCharts, SignInKpi } from "./SignInActivity";
import { useDashboardText } from "./texts";

// Chart.js comes in alongside the lists instead of after them.
preloadCharts();

export default function DashboardPage() {
  const { t, lang } = useI18n();
  const text = useDashboardText();
  const me = useMe();
  const canKeys = me.permissions.includes("gateway.api_key:read");
  const canRegion = REGION_ROUTE_PERMISSIONS.some((p) => me.permissions.includes(p));
  const organizations = useAllOrganizations();
  const users = useAllUsers();
  const keys = useActiveKeyCount(canKeys);

  const byKind = useMemo(
    () => countBy(organizations.data ?? [], (o) => o.kind, (k) => label(lang, organizationKindLabels, k)),
    [organizations.data, lang],
  );
  const byRole = useMemo(
    () => countBy(users.data ?? [], (u) => u.roles, (r) => label(lang, roleLabels, r)),
    [users.data, lang],
  );

  const error = organizations.error ?? users.error ?? keys.error;
  const pending = organizations.isPending || users.isPending;
  const retry = () => {
    void organizations.refetch();
    void users.refetch();
    if (canKeys) void keys.refetch();
  };

  return (
    <section>
      <h1>{t("dashboard.title")}</h1>
      <p className="muted">
        {t("dashboard.subtitle")}
        {canRegion && (
          <>
            {" · "}
            <Link to="/dashboard/region">{text("region.title")}</Link>
          </>
        )}
      </p>
      <DashboardGrid
        kpis={
          <>
            <KpiTile label={t("nav.admin.organizations")} value={organizations.data ? formatNumber(organizations.data.length) : null} />
            <KpiTile label={t("nav.admin.users")} value={users.data ? formatNumber(users.data.length) : null} />
            {canKeys && <KpiTile label={t("home.activeKeys")} value={keys.data != null ? formatNumber(keys.data) : null} />}
            <SignInKpi />
          </>
        }
      >
        {error ? (
          <ErrorState error={error} onRetry={retry} />
        ) : pending ? (
          <Loading />
        ) : (
          <>
            {byKind.length === 0 ? (
              <EmptyState>{t("dashboard.noOrganizations")}</EmptyState>
            ) : (
              <PieChart testId="chart-org-kinds" title={t("dashboard.orgsByKind")} valueLabel={t("dashboard.count")} data={byKind} />
            )}
            {byRole.length === 0 ? (
              <EmptyState>{t("dashboard.noUsers")}</EmptyState>
            ) : (
              <BarChart testId="chart-user-roles" title={t("dashboard.usersByRole")} valueLabel={t("dashboard.count")} data={byRole} horizontal height={Math.max(200, 28 * byRole.length + 40)} />
            )}
            <SignInCharts />
          </>
        )}
      </DashboardGrid>
    </section>
  );
}
