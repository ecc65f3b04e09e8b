/** One job, live (components/JobProgress), with the files that were uploaded for it. */
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { jobPaths, type JobRead, type JobService } from "../../api/jobs";
import { useI18n } from "../../app/i18n";
import { DownloadButton } from "../../components/DownloadButton";
import { JobProgress } from "../../components/JobProgress";
import { formatBytes } from "../../components/progress";
import { NotFound } from "../../app/guards";
import { useJobsText } from "./messages";
import { isJobService } from "./services";

export default function JobPage() {
  const { service, jobId = "" } = useParams();
  if (!isJobService(service)) return <NotFound />;
  return <JobView service={service} jobId={jobId} />;
}

function JobView({ service, jobId }: { service: JobService; jobId: string }) {
  const t = useJobsText();
  const { lang } = useI18n();
  const [job, setJob] = useState<JobRead | null>(null);
  const inputs = job?.files.filter((f) => f.role === "input") ?? [];
  return (
    <section>
      <nav className="crumbs">
        <Link to="/jobs">{t("jobs.back")}</Link>
      </nav>
      <h1>{job?.title ?? t("jobs.job")}</h1>
      <JobProgress service={service} jobId={jobId} onUpdate={setJob} />
      {inputs.length > 0 && (
        <>
          <h2>{t("jobs.inputs")}</h2>
          <ul className="job-files">
            {inputs.map((f) => (
              <li key={f.id}>
                <DownloadButton url={jobPaths(service, jobId).file(f.id)}>{f.name}</DownloadButton>{" "}
                <span className="muted">{formatBytes(f.size, lang)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
