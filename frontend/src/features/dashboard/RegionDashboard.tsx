/**
 * The region dashboard (tfoms_analyst, foms_viewer, health_authority; see access.ts): the
 * region's organizations by kind, the same register as each service's own directory
 * (filled by the gateway's events), and the NSI dictionaries with the ICD-10 version in
 * force. Every block has its own loading and error state: one service down hides only its
 * figures. `embedded` is the home page's form (an h2 under the greeting instead of an h1).
 */
import { useMemo } from "react";
import { formatDate, formatNumber } from "../../app/format";
import { label, useI18n } from "../../app/i18n";
import { organizationKindLabels } from "../../app/messages";
import { BarChart, DashboardGrid, KpiTile, PieChart, preloadCharts } from "../../components/charts/charts";
import { EmptyState, ErrorState, Loading } from "../../components/states";
import { DIRECTORY_SERVICES, useAllOrganizations, useNsiDictionaries, useServiceDirectoryTotals } from "./hooks";
import { countOfKind, nsiSummary, organizationsByKind } from "./shaping";
import { useDashboardText } from "./texts";

preloadCharts();

export default function RegionDashboard({ embedded = false }: { embedded?: boolean }) {
  const { t, lang } = useI18n();
  const text = useDashboardText();
  const organizations = useAllOrganizations();
  const directories = useServiceDirectoryTotals();
  const nsi = useNsiDictionaries();

  const orgs = organizations.data;
  const byKind = useMemo(
    () => organizationsByKind(orgs ?? [], (k) => label(lang, organizationKindLabels, k)),
    [orgs, lang],
  );
  const coverage = useMemo(() => {
    if (!orgs || !directories.data) return null;
    return [
      { label: text("region.service.gateway"), value: orgs.length },
      ...directories.data.map((d) => ({ label: text(`region.service.${d.service}`), value: d.total })),
    ];
  }, [orgs, directories.data, text]);
  const dictionaries = useMemo(() => (nsi.data ? nsiSummary(nsi.data) : null), [nsi.data]);

  const count = (kind: string) => (orgs ? formatNumber(countOfKind(orgs, kind)) : null);
  const Heading = embedded ? "h2" : "h1";
  return (
    <section aria-labelledby="region-dashboard-title" data-testid="region-dashboard">
      <Heading id="region-dashboard-title">{text("region.title")}</Heading>
      <p className="muted">{text("region.subtitle")}</p>
      <DashboardGrid
        kpis={
          <>
            <KpiTile label={text("region.mo")} value={count("mo")} />
            <KpiTile label={text("region.pharmacies")} value={count("pharmacy")} />
            <KpiTile label={text("region.insurers")} value={count("insurer")} />
            <KpiTile label={text("region.organizations")} value={orgs ? formatNumber(orgs.length) : null} />
            <KpiTile label={text("region.nsi")} value={nsi.error ? "—" : dictionaries ? formatNumber(dictionaries.dictionaries) : null} />
            <KpiTile
              label={text("region.icd10")}
              value={nsi.error ? "—" : dictionaries ? (dictionaries.icd10?.version ?? text("region.icd10None")) : null}
              hint={dictionaries?.icd10 ? text("region.icd10Since", { date: formatDate(dictionaries.icd10.validFrom) }) : undefined}
            />
          </>
        }
      >
        {organizations.error ? (
          <ErrorState error={organizations.error} onRetry={() => void organizations.refetch()} />
        ) : !orgs ? (
          <Loading />
        ) : byKind.length === 0 ? (
          <EmptyState>{t("dashboard.noOrganizations")}</EmptyState>
        ) : (
          <PieChart testId="chart-region-org-kinds" title={t("dashboard.orgsByKind")} valueLabel={t("dashboard.count")} data={byKind} />
        )}
        {directories.error ? (
          <ErrorState error={directories.error} onRetry={() => void directories.refetch()} />
        ) : !coverage ? (
          organizations.error ? null : <Loading />
        ) : (
          <BarChart testId="chart-region-directories" title={text("region.directories")} valueLabel={t("dashboard.count")}
            data={coverage} horizontal height={40 + 36 * (DIRECTORY_SERVICES.length + 1)} note={text("region.directoriesHint")} />
        )}
        {nsi.error && <ErrorState error={nsi.error} onRetry={() => void nsi.refetch()} />}
      </DashboardGrid>
    </section>
  );
}
