/**
 * /finance/payments/import — upload a 1C statement (or CSV/XLSX orders): a small file answers at
 * once with its report; a large one is read by a job whose progress is shown, then the report.
 * A file with bad lines writes nothing until the user loads only the valid lines or drops it.
 */
import { useState } from "react";
import { Link } from "react-router-dom";
import { formatDateTime, formatNumber } from "../../../app/format";
import { DataTable, type Column } from "../../../components/DataTable";
import { DownloadButton } from "../../../components/DownloadButton";
import { FileUpload } from "../../../components/FileUpload";
import { JobProgress } from "../../../components/JobProgress";
import { useMos } from "../budget/hooks";
import { ImportReport } from "./ImportReport";
import { useDecideImport, useImport, useImports, type PaymentImportRead, type PaymentImportSummary } from "./hooks";
import { usePaymentsText, type PaymentsKey } from "./texts";
import "./payments.css";

const ACCEPT = [
  { extension: ".txt", mediaType: "text/plain" },
  { extension: ".csv", mediaType: "text/csv" },
  { extension: ".xlsx", mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
] as const;

export default function PaymentImportPage() {
  const t = usePaymentsText();
  // Callers who see several MOs say which one the file is for (an MO's own people do not).
  const mos = useMos();
  const regionWide = (mos.data?.length ?? 0) > 1;
  const [moId, setMoId] = useState("");
  const [current, setCurrent] = useState<PaymentImportRead | null>(null);
  const [jobDone, setJobDone] = useState(false);
  const fetched = useImport(current?.job_id && jobDone ? current.id : null);
  const decide = useDecideImport();
  const history = useImports();
  const report = decide.data && decide.data.id === current?.id ? decide.data : (fetched.data ?? current);

  const url = `/api/finance/payment-orders/imports${regionWide && moId ? `?mo_id=${encodeURIComponent(moId)}` : ""}`;
  const columns: Column<PaymentImportSummary>[] = [
    { key: "when", header: t("fp.imp.when"), cell: (i) => formatDateTime(i.created_at) },
    { key: "file", header: t("fp.imp.file"), cell: (i) => i.file_name },
    { key: "status", header: t("fp.imp.status"), cell: (i) => t(`fp.status.${i.status}` as PaymentsKey) },
    { key: "documents", header: t("fp.col.number"), align: "right", cell: (i) => formatNumber(i.documents) },
    { key: "inserted", header: "+", align: "right", cell: (i) => formatNumber(i.inserted) },
  ];

  return (
    <section className="payments-page">
      <p>
        <Link to="/finance/payments">{t("fp.back")}</Link>
      </p>
      <h1>{t("fp.imp.title")}</h1>
      <p className="muted">{t("fp.imp.intro")}</p>
      {regionWide && (
        <label className="payments-mo">
          {t("fp.imp.mo")}{" "}
          <select value={moId} onChange={(e) => setMoId(e.target.value)}>
            <option value="">—</option>
            {(mos.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.code ? `${m.code} · ${m.name}` : m.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <FileUpload<PaymentImportRead>
        label={t("fp.imp.label")}
        accept={ACCEPT}
        maxBytes={200 * 1024 * 1024}
        url={url}
        hint={t("fp.imp.hint")}
        disabled={regionWide && !moId}
        onUploaded={(answer) => {
          decide.reset();
          setJobDone(false);
          setCurrent(answer);
        }}
      />
      <p>
        {t("fp.imp.template")}: <DownloadButton url="/api/finance/payment-orders/template?format=xlsx">XLSX</DownloadButton>{" "}
        <DownloadButton url="/api/finance/payment-orders/template?format=csv">CSV</DownloadButton>
      </p>
      {current?.job_id && !jobDone && (
        <JobProgress service="finance" jobId={current.job_id} onFinished={() => setJobDone(true)} />
      )}
      {report && (!report.job_id || jobDone) && (
        <ImportReport
          report={report}
          deciding={decide.isPending}
          decideError={decide.error}
          onDecide={(apply) => decide.mutate({ id: report.id, apply })}
        />
      )}
      {history.data && history.data.items.length > 0 && (
        <>
          <h2>{t("fp.imp.history")}</h2>
          <DataTable columns={columns} rows={history.data.items} rowKey={(i) => i.id} label={t("fp.imp.history")} />
        </>
      )}
    </section>
  );
}
