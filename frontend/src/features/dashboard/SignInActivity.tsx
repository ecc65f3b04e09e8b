/**
 * Sign-ins over the last days (a line: successful and refused per day) and by weekday and
 * hour (a heat map), from GET /api/admin/activity/sign-ins — organization-scoped by the
 * gateway, so an MO economist sees their MO's. Its own loading and error states: the rest
 * of the dashboard does not wait for it.
 */
import { useMemo } from "react";
import { formatDate, formatNumber } from "../../app/format";
import { useI18n } from "../../app/i18n";
import { HeatMap, KpiTile, LineChart } from "../../components/charts/charts";
import { EmptyState, ErrorState, Loading } from "../../components/states";
import { ACTIVITY_DAYS, useSignInActivity } from "./hooks";
import { busiestHour, peakDay, signInHeatMap, signInLine } from "./shaping";
import { useDashboardText, weekdayNames } from "./texts";

export function SignInKpi() {
  const text = useDashboardText();
  const activity = useSignInActivity();
  const data = activity.data;
  return (
    <KpiTile
      label={text("kpi.signIns", { days: ACTIVITY_DAYS })}
      value={data ? formatNumber(data.successful) : null}
      hint={data ? text("kpi.failedHint", { failed: formatNumber(data.failed) }) : undefined}
    />
  );
}

export function SignInCharts() {
  const { lang } = useI18n();
  const text = useDashboardText();
  const activity = useSignInActivity();
  const data = activity.data;
  const weekdays = useMemo(() => weekdayNames(lang), [lang]);
  const charts = useMemo(() => {
    if (!data) return null;
    const title = text("signIns.title", { days: data.days });
    const peak = peakDay(data);
    const busiest = busiestHour(data);
    const heatTitle = text("signIns.heatTitle");
    return {
      title,
      line: signInLine(data, { successful: text("signIns.successful"), failed: text("signIns.failed") }),
      lineSummary: text("signIns.summary", {
        title,
        successful: formatNumber(data.successful),
        failed: formatNumber(data.failed),
        peak: formatNumber(peak?.successful ?? 0),
        peakDate: peak ? formatDate(peak.date) : "—",
      }),
      heatTitle,
      heat: signInHeatMap(data, weekdays),
      heatSummary: busiest
        ? text("signIns.heatSummary", {
            title: heatTitle,
            weekday: weekdays[busiest.weekday] ?? "",
            hour: String(busiest.hour).padStart(2, "0"),
            count: formatNumber(busiest.count),
          })
        : heatTitle,
    };
  }, [data, text, weekdays]);

  if (activity.error) return <ErrorState error={activity.error} onRetry={() => void activity.refetch()} />;
  if (!data || !charts) return <Loading />;
  if (data.successful + data.failed === 0) return <EmptyState>{text("signIns.none")}</EmptyState>;
  return (
    <>
      <LineChart testId="chart-sign-ins" wide title={charts.title} summary={charts.lineSummary}
        labels={charts.line.labels} series={charts.line.series} height={240} />
      <HeatMap testId="chart-sign-in-hours" wide title={charts.heatTitle} summary={charts.heatSummary}
        rows={charts.heat.rows} columns={charts.heat.columns} values={charts.heat.values} labelWidth={40} cell={30} />
    </>
  );
}
