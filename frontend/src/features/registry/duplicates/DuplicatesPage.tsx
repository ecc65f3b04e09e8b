/**
 * The review queue of possible duplicates: filters and the page in the URL, a pair chosen
 * for comparison (`?pair=`) side by side with the matcher's reasons, and the decisions —
 * merge (choosing the survivor), "different people", unmerge — each after a dialog asking
 * for the reason. A keeper may also start a scan of the whole register (a job).
 */
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router-dom";
import type { JobRead } from "../../../api/jobs";
import { useHasPermission } from "../../../app/auth";
import { formatDate, formatDateTime, formatNumber } from "../../../app/format";
import { DataTable, Pager, type Column } from "../../../components/DataTable";
import { JobProgress } from "../../../components/JobProgress";
import { useListParams } from "../../../components/listParams";
import { ErrorState, QueryState } from "../../../components/states";
import { ReasonDialog } from "../ReasonDialog";
import { useRegistryText, type RegistryKey } from "../texts";
import { formatSnils, fullName } from "../persons/format";
import { OrgName, OrgNamesProvider } from "../persons/orgNames";
import { usePerson, usePersonMerges, usePersonOrganizations, type MergeRead, type PersonSummary } from "../persons/hooks";
import { GradeChip, ReasonBars, ScoreMeter } from "../persons/MatchCandidates";
import { compareRows, ORG_ROWS, type CompareKey } from "./compare";
import { useDuplicates, useMerge, useRejectDuplicate, useStartScan, useUnmerge, type DuplicateQuery, type DuplicateRead } from "./hooks";
import "../registry.css";

const STATUSES = ["open", "merged", "rejected"] as const;
const SOURCES = ["registration", "scan"] as const;

export default function DuplicatesPage() {
  const t = useRegistryText();
  const can = useHasPermission();
  const { params, search, update } = useListParams({ limit: 25 });
  const status = search.get("status") ?? "open";
  const source = search.get("source");
  const pairId = search.get("pair");
  const scanJob = search.get("scan");
  const query: DuplicateQuery = { limit: params.limit, offset: params.offset };
  if ((STATUSES as readonly string[]).includes(status)) query.status = status as DuplicateQuery["status"];
  if (source && (SOURCES as readonly string[]).includes(source)) query.source = source as DuplicateQuery["source"];
  const duplicates = useDuplicates(query);
  // The chosen pair as last seen: it may leave the filtered page once decided.
  const [chosen, setChosen] = useState<DuplicateRead | null>(null);
  const onPage = duplicates.data?.items.find((d) => d.id === pairId) ?? null;
  const pair = onPage ?? (chosen?.id === pairId ? chosen : null);
  const scan = useStartScan();
  const [scanStart, setScanStart] = useState<JobRead | null>(null);

  const person = (p: PersonSummary | null, id: string) => (
    <Link to={`/registry/persons/${id}`}>{p ? `${fullName(p)} (${t("reg.f.oip")} ${p.oip})` : id}</Link>
  );
  const columns: Column<DuplicateRead>[] = [
    {
      key: "pair",
      header: t("reg.dup.pair"),
      cell: (d) => (
        <div className="pair-cell">
          {person(d.person_a, d.person_a_id)}
          <span className="muted">
            {d.person_a ? formatDate(d.person_a.birth_date) : ""}
          </span>
          {person(d.person_b, d.person_b_id)}
          <span className="muted">
            {d.person_b ? formatDate(d.person_b.birth_date) : ""}
          </span>
        </div>
      ),
    },
    { key: "score", header: t("reg.f.score"), align: "right", cell: (d) => formatNumber(d.score, 1) },
    { key: "grade", header: t("reg.dup.grade"), cell: (d) => <GradeChip grade={d.grade} /> },
    { key: "source", header: t("reg.dup.source"), cell: (d) => t(`reg.dup.source.${d.source}`) },
    { key: "found", header: t("reg.dup.found"), cell: (d) => formatDateTime(d.found_at) },
    {
      key: "status",
      header: t("reg.dup.status"),
      cell: (d) => (
        <>
          <span className={`chip dup-${d.status}`} data-testid="pair-status">
            {t(`reg.dup.status.${d.status}`)}
          </span>
          {d.resolution && <div className="muted">{d.resolution}</div>}
        </>
      ),
    },
    {
      key: "compare",
      header: <span className="visually-hidden">{t("reg.dup.compare")}</span>,
      cell: (d) => (
        <button
          type="button"
          aria-pressed={d.id === pairId}
          data-testid="compare"
          onClick={() => {
            setChosen(d);
            update({ pair: d.id });
          }}
        >
          {t("reg.dup.compare")}
        </button>
      ),
    },
  ];

  return (
    <section>
      <div className="page-head">
        <h1>{t("reg.dup.title")}</h1>
        {can("registry.person:write") && !scanJob && (
          <button
            type="button"
            disabled={scan.isPending}
            onClick={() =>
              scan.mutate(undefined, {
                onSuccess: (job) => {
                  setScanStart(job);
                  update({ scan: job.id });
                },
              })
            }
          >
            {t("reg.dup.scan")}
          </button>
        )}
      </div>
      <p className="muted">{t("reg.dup.intro")}</p>
      {scan.error !== null && <ErrorState error={scan.error} />}
      {scanJob && (
        <section className="panel" aria-label={t("reg.dup.scanTitle")}>
          <h2>{t("reg.dup.scanTitle")}</h2>
          <JobProgress
            service="registry"
            jobId={scanJob}
            initial={scanStart?.id === scanJob ? scanStart : undefined}
            onFinished={() => void duplicates.refetch()}
            renderResult={(r) => (
              <p data-testid="scan-result">
                {t("reg.dup.scanResult", {
                  compared: typeof r.pairs_compared === "number" ? formatNumber(r.pairs_compared) : "—",
                  queued: typeof r.pairs_queued === "number" ? formatNumber(r.pairs_queued) : "—",
                })}
              </p>
            )}
          />
          <button type="button" onClick={() => update({ scan: null })}>
            {t("reg.dup.close")}
          </button>
        </section>
      )}
      <div className="toolbar">
        <label>
          {t("reg.dup.status")}{" "}
          <select value={status} onChange={(e) => update({ status: e.target.value === "open" ? null : e.target.value, offset: null })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`reg.dup.status.${s}`)}
              </option>
            ))}
            <option value="all">{t("reg.dup.status.all")}</option>
          </select>
        </label>
        <label>
          {t("reg.dup.source")}{" "}
          <select value={source ?? ""} onChange={(e) => update({ source: e.target.value || null, offset: null })}>
            <option value="">{t("reg.dup.source.all")}</option>
            {SOURCES.map((s) => (
              <option key={s} value={s}>
                {t(`reg.dup.source.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {pairId &&
        (pair ? (
          <PairReview key={pair.id} pair={pair} onChanged={(next) => setChosen(next)} onClose={() => update({ pair: null })} />
        ) : (
          duplicates.data && <p className="muted">{t("reg.dup.notOnPage")}</p>
        ))}
      <QueryState query={duplicates} isEmpty={(p) => p.total === 0} empty={t("reg.dup.none")}>
        {(page) => (
          <>
            <DataTable columns={columns} rows={page.items} rowKey={(d) => d.id} busy={duplicates.isFetching} label={t("reg.dup.title")} />
            <Pager total={page.total} limit={page.limit} offset={page.offset} onChange={(offset, limit) => update({ offset, limit })} />
          </>
        )}
      </QueryState>
    </section>
  );
}

const ROW_LABEL: Record<CompareKey, RegistryKey> = {
  oip: "reg.f.oip",
  surname: "reg.f.surname",
  first_name: "reg.f.firstName",
  patronymic: "reg.f.patronymic",
  birth_date: "reg.f.birthDate",
  sex: "reg.f.sex",
  birth_place: "reg.f.birthPlace",
  snils: "reg.f.snils",
  enp: "reg.f.enp",
  death_date: "reg.f.deathDate",
  document: "reg.card.documents",
  address: "reg.f.address",
  insurer: "reg.card.insurer",
  mo: "reg.card.mo",
};

/** One pair side by side, its reasons and the decisions. */
function PairReview({ pair, onChanged, onClose }: { pair: DuplicateRead; onChanged: (pair: DuplicateRead) => void; onClose: () => void }) {
  const t = useRegistryText();
  const can = useHasPermission();
  const canDecide = can("registry.person:write");
  const a = usePerson(pair.person_a_id, {});
  const b = usePerson(pair.person_b_id, {});
  const merges = usePersonMerges(pair.person_a_id, pair.status === "merged");
  const orgsA = usePersonOrganizations(pair.person_a_id);
  const orgsB = usePersonOrganizations(pair.person_b_id);
  const orgNames = new Map([...(orgsA.data ?? []), ...(orgsB.data ?? [])]);
  const merge = useMerge();
  const unmerge = useUnmerge();
  const reject = useRejectDuplicate();
  const [dialog, setDialog] = useState<"merge" | "unmerge" | "reject" | null>(null);
  const [survivor, setSurvivor] = useState<"a" | "b">("a");
  const [lastMerge, setLastMerge] = useState<MergeRead | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const ids = new Set([pair.person_a_id, pair.person_b_id]);
  const activeMerge =
    lastMerge ?? merges.data?.find((m) => m.unmerged_at === null && ids.has(m.merged_id) && ids.has(m.survivor_id)) ?? null;

  // For an open pair each id is its own person; a merged one resolves to the survivor, so
  // the queue's summaries are the fair comparison then.
  const left = pair.status === "open" && a.data ? a.data : pair.person_a;
  const right = pair.status === "open" && b.data ? b.data : pair.person_b;
  const rows = left && right ? compareRows(left, right) : [];
  const name = (p: PersonSummary | null) => (p ? fullName(p) : "—");
  const value = (key: CompareKey, v: string | null) => {
    if (v === null) return "—";
    if (ORG_ROWS.includes(key)) return <OrgName id={v} />;
    if (key === "birth_date" || key === "death_date") return formatDate(v);
    if (key === "snils") return formatSnils(v);
    if (key === "sex" && (v === "male" || v === "female")) return t(`reg.sex.${v}`);
    return v;
  };
  const closeDialog = () => {
    setDialog(null);
    merge.reset();
    unmerge.reset();
    reject.reset();
  };

  return (
    <section className="panel pair-review" aria-labelledby="pair-title" data-testid="pair-review">
      <div className="page-head">
        {/* Focus moves here when a pair is chosen (the table is below). */}
        <h2 id="pair-title" tabIndex={-1} ref={heading}>
          {t("reg.dup.compareTitle", { a: pair.person_a?.oip ?? "?", b: pair.person_b?.oip ?? "?" })}
        </h2>
        <button type="button" onClick={onClose}>
          {t("reg.dup.close")}
        </button>
      </div>
      {notice && (
        <p className="notice" role="status" data-testid="decision">
          {notice}
        </p>
      )}
      <p>
        <GradeChip grade={pair.grade} />{" "}
        <span className={`chip dup-${pair.status}`} data-testid="review-status">
          {t(`reg.dup.status.${pair.status}`)}
        </span>
        {pair.resolution && (
          <span className="muted">
            {" "}
            {t("reg.dup.resolution")}: {pair.resolution}
          </span>
        )}
      </p>
      {(a.error || b.error) && pair.status === "open" ? <ErrorState error={a.error ?? b.error} /> : null}
      <OrgNamesProvider names={orgNames}>
      <div className="table-wrap">
        <table className="data-table compare-table" aria-label={t("reg.dup.compareTitle", { a: pair.person_a?.oip ?? "?", b: pair.person_b?.oip ?? "?" })}>
          <thead>
            <tr>
              <th scope="col">{t("reg.dup.field")}</th>
              <th scope="col">
                {t("reg.dup.personA")}: {name(pair.person_a)}
              </th>
              <th scope="col">
                {t("reg.dup.personB")}: {name(pair.person_b)}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className={r.same || r.key === "oip" ? undefined : "row-differs"} data-testid={`compare-${r.key}`} data-same={r.same}>
                <th scope="row">
                  {t(ROW_LABEL[r.key])}
                  {r.key !== "oip" && <span className="visually-hidden"> ({r.same ? t("reg.dup.same") : t("reg.dup.differs")})</span>}
                </th>
                <td>{value(r.key, r.a)}</td>
                <td>{value(r.key, r.b)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      </OrgNamesProvider>
      <ScoreMeter score={pair.score} />
      <ReasonBars reasons={pair.reasons} />
      {canDecide && (
        <div className="form-actions">
          {pair.status === "open" && (
            <>
              <button type="button" className="primary" onClick={() => setDialog("merge")}>
                {t("reg.dup.merge")}
              </button>
              <button type="button" onClick={() => setDialog("reject")}>
                {t("reg.dup.reject")}
              </button>
            </>
          )}
          {pair.status === "merged" && activeMerge && (
            <button type="button" className="danger" onClick={() => setDialog("unmerge")}>
              {t("reg.dup.unmerge")}
            </button>
          )}
        </div>
      )}
      {pair.status === "merged" && activeMerge && (
        <p className="muted">
          {t("reg.dup.currentMerge", { merged: activeMerge.merged_oip, survivor: activeMerge.survivor_oip, at: formatDateTime(activeMerge.merged_at) })}
        </p>
      )}

      <ReasonDialog
        key={`merge-${dialog === "merge"}`}
        open={dialog === "merge"}
        title={t("reg.dup.mergeTitle")}
        confirmLabel={t("reg.dup.mergeConfirm")}
        busy={merge.isPending}
        error={merge.error}
        onCancel={closeDialog}
        onConfirm={(reason) => {
          const [keep, drop] = survivor === "a" ? [pair.person_a_id, pair.person_b_id] : [pair.person_b_id, pair.person_a_id];
          merge.mutate(
            { survivorId: keep, mergedId: drop, reason },
            {
              onSuccess: (m) => {
                setDialog(null);
                setLastMerge(m);
                setNotice(t("reg.dup.merged", { merged: m.merged_oip, survivor: m.survivor_oip }));
                onChanged({ ...pair, status: "merged", resolution: reason });
              },
            },
          );
        }}
      >
        <fieldset className="fieldset">
          <legend>{t("reg.dup.survivor")}</legend>
          {(["a", "b"] as const).map((side) => {
            const p = side === "a" ? pair.person_a : pair.person_b;
            return (
              <label key={side} className="check-row">
                <input type="radio" name="survivor" checked={survivor === side} onChange={() => setSurvivor(side)} />
                {t("reg.dup.keep", { oip: p?.oip ?? "?", name: name(p) })}
              </label>
            );
          })}
        </fieldset>
        <p className="muted">{t("reg.dup.mergeNote")}</p>
      </ReasonDialog>

      <ReasonDialog
        key={`unmerge-${dialog === "unmerge"}`}
        open={dialog === "unmerge"}
        title={t("reg.dup.unmergeTitle")}
        confirmLabel={t("reg.dup.unmergeConfirm")}
        danger
        busy={unmerge.isPending}
        error={unmerge.error}
        onCancel={closeDialog}
        onConfirm={(reason) =>
          activeMerge &&
          unmerge.mutate(
            { mergedId: activeMerge.merged_id, reason },
            {
              onSuccess: (m) => {
                setDialog(null);
                setLastMerge(null);
                setNotice(t("reg.dup.unmerged", { merged: m.merged_oip }));
                onChanged({ ...pair, status: "open", resolution: null });
              },
            },
          )
        }
      >
        <p>
          {activeMerge && t("reg.dup.currentMerge", { merged: activeMerge.merged_oip, survivor: activeMerge.survivor_oip, at: formatDateTime(activeMerge.merged_at) })}
        </p>
        <p className="muted">{t("reg.dup.unmergeNote")}</p>
      </ReasonDialog>

      <ReasonDialog
        key={`reject-${dialog === "reject"}`}
        open={dialog === "reject"}
        title={t("reg.dup.rejectTitle")}
        confirmLabel={t("reg.dup.rejectConfirm")}
        busy={reject.isPending}
        error={reject.error}
        onCancel={closeDialog}
        onConfirm={(reason) =>
          reject.mutate(
            { id: pair.id, reason },
            {
              onSuccess: (d) => {
                setDialog(null);
                setNotice(t("reg.dup.rejected"));
                onChanged(d);
              },
            },
          )
        }
      />
    </section>
  );
}
