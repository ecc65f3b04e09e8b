/** "Задания": the jobs of each service the user can see, newest first, with status and progress. */
import { Link } from "react-router-dom";
import { isTerminal, type JobRead, type JobStatus } from "../../api/jobs";
import { useMe } from "../../app/auth";
import { formatDateTime } from "../../app/format";
import { useI18n } from "../../app/i18n";
import { DataTable, Pager, type Column } from "../../components/DataTable";
import { JobStatusChip, jobStatusLabel } from "../../components/JobProgress";
import { ProgressBar } from "../../components/ProgressBar";
import { useListParams } from "../../components/listParams";
import { EmptyState, QueryState } from "../../components/states";
import { useJobs } from "./hooks";
import { useJobsText } from "./messages";
import { jobServicesFor, type JobServiceInfo } from "./services";

const STATUSES: JobStatus[] = ["queued", "running", "succeeded", "failed", "cancelled"];

export default function JobsPage() {
  const me = useMe();
  const t = useJobsText();
  const services = jobServicesFor(me.permissions);
  return (
    <section>
      <h1>{t("jobs.title")}</h1>
      <p className="muted">{t("jobs.subtitle")}</p>
      {services.length === 0 ? <EmptyState>{t("jobs.noServices")}</EmptyState> : services.map((s) => <ServiceJobs key={s.service} info={s} single={services.length === 1} />)}
    </section>
  );
}

function ServiceJobs({ info, single }: { info: JobServiceInfo; single: boolean }) {
  const me = useMe();
  const t = useJobsText();
  const { lang } = useI18n();
  const prefix = single ? "" : `${info.service}.`;
  const { params, search, update } = useListParams({ limit: 25 });
  const status = (search.get(`${prefix}status`) as JobStatus | null) ?? null;
  const mine = search.get(`${prefix}mine`) !== "0";
  const offset = Number(search.get(`${prefix}offset`) ?? (single ? params.offset : 0)) || 0;
  const query = useJobs(info.service, { limit: params.limit, offset, status, mine });

  const columns: Column<JobRead>[] = [
    {
      key: "title",
      header: t("jobs.job"),
      cell: (j) => <Link to={`/jobs/${info.service}/${j.id}`}>{j.title}</Link>,
    },
    { key: "status", header: t("jobs.status"), cell: (j) => <JobStatusChip status={j.status} /> },
    {
      key: "progress",
      header: t("jobs.progress"),
      cell: (j) =>
        isTerminal(j) ? (
          <span className="muted">{j.status === "succeeded" ? "100%" : (j.error?.title ?? "—")}</span>
        ) : (
          <ProgressBar percent={j.status === "queued" ? null : j.percent} label={`${t("jobs.progress")}: ${j.title}`} detail={j.stage ?? undefined} />
        ),
    },
    { key: "created", header: t("jobs.createdAt"), cell: (j) => formatDateTime(j.created_at) },
    { key: "finished", header: t("jobs.finishedAt"), cell: (j) => formatDateTime(j.finished_at) },
    { key: "author", header: t("jobs.author"), cell: (j) => (j.created_by === me.id ? t("jobs.you") : <span className="muted">{t("jobs.other")}</span>) },
  ];

  return (
    <div data-testid={`jobs-${info.service}`}>
      {!single && <h2>{info.label[lang]}</h2>}
      <div className="toolbar">
        <label>
          {t("jobs.status")}{" "}
          <select value={status ?? ""} onChange={(e) => update({ [`${prefix}status`]: e.target.value || null, [`${prefix}offset`]: null })}>
            <option value="">{t("jobs.allStatuses")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {jobStatusLabel(lang, s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={mine} onChange={(e) => update({ [`${prefix}mine`]: e.target.checked ? null : "0", [`${prefix}offset`]: null })} />{" "}
          {t("jobs.onlyMine")}
        </label>
      </div>
      <QueryState query={query}>
        {(page) => {
          const rows = page.items;
          if (rows.length === 0) return <EmptyState>{t("jobs.none")}</EmptyState>;
          return (
            <>
              <DataTable columns={columns} rows={rows} rowKey={(j) => j.id} busy={query.isFetching} />
              <Pager total={page.total} limit={page.limit} offset={page.offset} onChange={(o, l) => update({ [`${prefix}offset`]: o, limit: l })} />
            </>
          );
        }}
      </QueryState>
    </div>
  );
}
