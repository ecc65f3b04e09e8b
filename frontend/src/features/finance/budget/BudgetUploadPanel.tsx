/**
 * The template upload of an MO: the file goes up, the answer is the line report — written at
 * once when every line is right; otherwise nothing is written and the user loads only the
 * valid lines or drops the file.
 */
import { useState } from "react";
import { DownloadButton } from "../../../components/DownloadButton";
import { FileUpload } from "../../../components/FileUpload";
import { DataTable, type Column } from "../../../components/DataTable";
import { ErrorState } from "../../../components/states";
import { formatDateTime } from "../../../app/format";
import { useQueryClient } from "@tanstack/react-query";
import { budgetKeys, useDecideUpload, useUploads, type BudgetUploadRead } from "./hooks";
import { useBudgetText } from "./texts";

const ACCEPT = [
  { extension: ".csv", mediaType: "text/csv" },
  { extension: ".xlsx", mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
] as const;

type Problem = BudgetUploadRead["problems"][number];

export function BudgetUploadPanel({ moId }: { moId: string }) {
  const t = useBudgetText();
  const [report, setReport] = useState<BudgetUploadRead | null>(null);
  const decide = useDecideUpload(moId);
  const uploads = useUploads(moId);
  const client = useQueryClient();
  const STATUS: Record<BudgetUploadRead["status"], string> = {
    imported: t("fb.upload.status.imported"),
    awaiting_decision: t("fb.upload.status.awaiting"),
    discarded: t("fb.upload.status.discarded"),
  };
  const history: Column<BudgetUploadRead>[] = [
    { key: "at", header: t("fb.upload.at"), cell: (u) => formatDateTime(u.created_at) },
    {
      key: "file",
      header: t("fb.upload.file"),
      cell: (u) => (
        <button type="button" className="link" onClick={() => setReport(u)}>
          {u.file_name}
        </button>
      ),
    },
    { key: "status", header: t("fb.upload.status"), cell: (u) => STATUS[u.status] },
    { key: "lines", header: t("fb.upload.lines"), align: "right", cell: (u) => `${u.valid} / ${u.lines}` },
    { key: "by", header: t("fb.upload.by"), cell: (u) => u.created_by },
  ];

  const columns: Column<Problem>[] = [
    { key: "line", header: t("fb.upload.line"), align: "right", cell: (p) => p.line },
    { key: "field", header: t("fb.upload.field"), cell: (p) => p.field },
    { key: "cell", header: t("fb.upload.cell"), cell: (p) => p.cell },
    { key: "message", header: t("fb.upload.message"), cell: (p) => p.message },
  ];

  return (
    <div className="budget-upload">
      <FileUpload<BudgetUploadRead>
        label={t("fb.upload.label")}
        accept={ACCEPT}
        maxBytes={5 * 1024 * 1024}
        url={`/api/finance/budget/${moId}/uploads`}
        hint={t("fb.upload.hint")}
        onUploaded={(answer) => {
          setReport(answer);
          void client.invalidateQueries({ queryKey: budgetKeys.all });
        }}
      />
      <p>
        <DownloadButton url="/api/finance/budget/template?format=xlsx">{t("fb.upload.template")} (XLSX)</DownloadButton>{" "}
        <DownloadButton url="/api/finance/budget/template?format=csv">{t("fb.upload.template")} (CSV)</DownloadButton>
      </p>
      {report && (
        <div className="budget-report" data-testid="upload-report">
          <p role="status">
            {report.status === "imported"
              ? t("fb.upload.imported", { name: report.file_name, lines: report.lines, imported: report.imported })
              : report.status === "discarded"
                ? t("fb.upload.discarded", { name: report.file_name })
                : t("fb.upload.waiting", { name: report.file_name, lines: report.lines, valid: report.valid, invalid: report.invalid })}
          </p>
          {report.status === "awaiting_decision" && (
            <p>
              <button
                type="button"
                className="primary"
                disabled={report.valid === 0 || decide.isPending}
                onClick={() => decide.mutate({ id: report.id, apply: true }, { onSuccess: setReport })}
              >
                {t("fb.upload.apply", { valid: report.valid })}
              </button>{" "}
              <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ id: report.id, apply: false }, { onSuccess: setReport })}>
                {t("fb.upload.discard")}
              </button>
            </p>
          )}
          {decide.error && <ErrorState error={decide.error} />}
          {report.problems.length > 0 && (
            <DataTable columns={columns} rows={report.problems} rowKey={(p) => `${p.line}:${p.field}:${p.message}`} label={t("fb.upload.message")} />
          )}
        </div>
      )}
      {uploads.data && uploads.data.length > 0 && (
        <>
          <h2>{t("fb.upload.history")}</h2>
          <DataTable columns={history} rows={uploads.data} rowKey={(u) => u.id} label={t("fb.upload.history")} />
        </>
      )}
    </div>
  );
}
