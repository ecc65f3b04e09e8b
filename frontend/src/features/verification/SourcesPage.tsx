/**
 * /verification/sources: the five sources (ФНС, СФР, ЗАГС, МВД, военные комиссариаты) with
 * their records by kind and answers received; a source's answers (file or SMEV message, rows,
 * loaded, already known, rejected) and, with the right to, an answer file uploaded as a job.
 */
import { useState } from "react";
import { useMe } from "../../app/auth";
import { formatDateTime, formatNumber } from "../../app/format";
import { DataTable, Pager, type Column } from "../../components/DataTable";
import { FileUpload } from "../../components/FileUpload";
import { JobProgress } from "../../components/JobProgress";
import type { AcceptedType } from "../../components/fileCheck";
import type { JobRead } from "../../api/jobs";
import { QueryState } from "../../components/states";
import {
  answerUrl,
  useBatchRejections,
  useBatches,
  useInvalidateVerification,
  useSources,
  type BatchRead,
  type BatchRejection,
  type SourceRead,
} from "./hooks";
import { SOURCE_WRITE } from "./sections";
import { codeTitle, useVerText } from "./texts";
import "./verification.css";

const ACCEPT: AcceptedType[] = [
  { extension: ".csv", mediaType: "text/csv" },
  { extension: ".xml", mediaType: "application/xml" },
];

export default function SourcesPage() {
  const t = useVerText();
  const sources = useSources();
  const [selected, setSelected] = useState<string | null>(null);
  const columns: Column<SourceRead>[] = [
    { key: "name", header: t("ver.col.source"), cell: (s) => s.name },
    {
      key: "kinds",
      header: t("ver.col.kinds"),
      cell: (s) => s.kinds.map((k) => `${k.title}: ${formatNumber(k.records)}`).join("; "),
    },
    { key: "batches", header: t("ver.col.batches"), align: "right", cell: (s) => formatNumber(s.batches) },
    { key: "last", header: t("ver.col.lastReceived"), cell: (s) => formatDateTime(s.last_received_at) },
    {
      key: "open",
      header: t("ver.col.batches"),
      cell: (s) => (
        <button type="button" aria-expanded={selected === s.code} onClick={() => setSelected(selected === s.code ? null : s.code)}>
          {t("ver.sources.showBatches")}
        </button>
      ),
    },
  ];
  return (
    <section>
      <h1>{t("ver.sources.title")}</h1>
      <QueryState query={sources}>
        {(list) => {
          const source = list.find((s) => s.code === selected);
          return (
            <>
              <DataTable columns={columns} rows={list} rowKey={(s) => s.code} label={t("ver.sources.title")} />
              {source && <SourceBatches source={source} />}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

function SourceBatches({ source }: { source: SourceRead }) {
  const t = useVerText();
  const me = useMe();
  const batches = useBatches(source.code);
  const invalidate = useInvalidateVerification();
  const [job, setJob] = useState<JobRead | null>(null);
  const [rejectionsOf, setRejectionsOf] = useState<string | null>(null);
  const canUpload = SOURCE_WRITE.some((p) => me.permissions.includes(p));
  const columns: Column<BatchRead>[] = [
    { key: "received", header: t("ver.col.received"), cell: (b) => formatDateTime(b.received_at) },
    { key: "mode", header: t("ver.col.mode"), cell: (b) => codeTitle(t, "mode", b.mode) },
    { key: "file", header: t("ver.col.file"), cell: (b) => b.file_name ?? b.message_id ?? "—" },
    { key: "rows", header: t("ver.col.rows"), align: "right", cell: (b) => formatNumber(b.counts.rows ?? 0) },
    { key: "loaded", header: t("ver.col.loaded"), align: "right", cell: (b) => formatNumber(b.counts.loaded ?? 0) },
    { key: "known", header: t("ver.col.known"), align: "right", cell: (b) => formatNumber(b.counts.already_known ?? 0) },
    {
      key: "rejected",
      header: t("ver.col.rejected"),
      align: "right",
      cell: (b) =>
        (b.counts.rejected ?? 0) > 0 ? (
          <button type="button" aria-expanded={rejectionsOf === b.id} onClick={() => setRejectionsOf(rejectionsOf === b.id ? null : b.id)}>
            {formatNumber(b.counts.rejected ?? 0)}
          </button>
        ) : (
          "0"
        ),
    },
  ];
  return (
    <section aria-labelledby="ver-batches" data-testid="source-batches">
      <h2 id="ver-batches">{t("ver.sources.batches", { name: source.name })}</h2>
      <QueryState query={batches} isEmpty={(p) => p.total === 0} empty={t("ver.sources.noBatches")}>
        {(p) => <DataTable columns={columns} rows={p.items} rowKey={(b) => b.id} label={t("ver.sources.batches", { name: source.name })} />}
      </QueryState>
      {rejectionsOf && <BatchRejections code={source.code} batchId={rejectionsOf} />}
      {canUpload && (
        <>
          <h3>{t("ver.sources.upload")}</h3>
          {job ? (
            <JobProgress service="verification" jobId={job.id} initial={job} onFinished={() => void invalidate()} />
          ) : (
            <FileUpload<JobRead>
              label={t("ver.sources.uploadFile")}
              accept={ACCEPT}
              url={answerUrl(source.code)}
              submitLabel={t("ver.sources.uploadSubmit")}
              onUploaded={(j) => setJob(j)}
            />
          )}
        </>
      )}
    </section>
  );
}

function BatchRejections({ code, batchId }: { code: string; batchId: string }) {
  const t = useVerText();
  const [offset, setOffset] = useState(0);
  const rejections = useBatchRejections(code, batchId, offset);
  const columns: Column<BatchRejection>[] = [
    { key: "row", header: t("ver.col.row"), align: "right", cell: (r) => formatNumber(r.row_no) },
    { key: "field", header: t("ver.col.field"), cell: (r) => r.field || "—" },
    { key: "message", header: t("ver.col.message"), cell: (r) => r.message },
  ];
  return (
    <QueryState query={rejections}>
      {(p) => (
        <>
          <DataTable columns={columns} rows={p.items} rowKey={(r) => `${r.row_no}:${r.field}:${r.message}`} label={t("ver.sources.rejections")} />
          <Pager total={p.total} limit={p.limit} offset={p.offset} onChange={(o) => setOffset(o)} />
        </>
      )}
    </QueryState>
  );
}
