/**
 * /verification/runs/:runId/review — the review queue of a run: each borderline pair with the
 * register record beside the source's record (or the other register record of a duplicate),
 * the per-field evidence of the linkage model, and the operator's confirm / reject (with a
 * comment); the person's outcome is decided again by the server and the queue moves on.
 */
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { useMe } from "../../app/auth";
import { formatDate, formatDateTime, formatNumber } from "../../app/format";
import { Pager } from "../../components/DataTable";
import { ErrorState, QueryState } from "../../components/states";
import { personName } from "./EvidencePanel";
import { useDecide, useReviews, type RegisterPerson, type ReviewItem, type ReviewQuery, type SourceRecordRead } from "./hooks";
import type { components } from "../../api/generated/verification";

type DecisionRead = components["schemas"]["DecisionRead"];
import { REASON_CODES, codeTitle, useVerText } from "./texts";
import "./verification.css";

const SOURCES = ["fns", "sfr", "zags", "mvd", "military", "register"] as const;

export default function ReviewPage() {
  const { runId = "" } = useParams();
  const t = useVerText();
  const [search, setSearch] = useSearchParams();
  const state = search.get("state") === "decided" ? "decided" : "pending";
  const reason = search.get("reason");
  const source = search.get("source");
  const query: ReviewQuery = {
    state,
    reason: reason && REASON_CODES.includes(reason) ? (reason as ReviewQuery["reason"]) : undefined,
    source: source || undefined,
    limit: 10,
    offset: Number(search.get("offset")) || 0,
  };
  const reviews = useReviews(runId, query);
  // The decided pair leaves the pending queue when it is read again: its result stays here.
  const [last, setLast] = useState<{ name: string; answer: DecisionRead } | null>(null);
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!("offset" in changes)) next.delete("offset");
    setSearch(next, { replace: true });
  };
  return (
    <section>
      <p>
        <Link to={`/verification/runs/${runId}`}>← {t("ver.review.back")}</Link>
      </p>
      <h1>{t("ver.review.title")}</h1>
      <p className="muted">{t("ver.review.intro")}</p>
      <div className="ver-filters">
        <label>
          {t("ver.review.state")}
          <select value={state} onChange={(e) => update({ state: e.target.value === "decided" ? "decided" : undefined })}>
            <option value="pending">{t("ver.review.pending")}</option>
            <option value="decided">{t("ver.review.decided")}</option>
          </select>
        </label>
        <label>
          {t("ver.filter.reason")}
          <select value={query.reason ?? ""} onChange={(e) => update({ reason: e.target.value || undefined })}>
            <option value="">{t("ver.filter.all")}</option>
            {REASON_CODES.map((r) => (
              <option key={r} value={r}>
                {codeTitle(t, "reason", r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("ver.col.source")}
          <select value={source ?? ""} onChange={(e) => update({ source: e.target.value || undefined })}>
            <option value="">{t("ver.filter.all")}</option>
            {SOURCES.map((s) => (
              <option key={s} value={s}>
                {codeTitle(t, "source", s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {last && (
        <p role="status" data-testid="review-result">
          {last.name}: {t(last.answer.decision === "confirm" ? "ver.review.confirmed" : "ver.review.rejected")}
          {" → "}
          {last.answer.outcomes.map((o) => `${codeTitle(t, "outcome", o.outcome)}${o.reason ? ` (${codeTitle(t, "reason", o.reason)})` : ""}`).join(", ")}
        </p>
      )}
      <QueryState query={reviews} isEmpty={(p) => p.total === 0} empty={t(state === "pending" ? "ver.review.empty" : "ver.review.noneDecided")}>
        {(p) => (
          <>
            <p data-testid="review-total">{t("ver.review.total", { total: formatNumber(p.total) })}</p>
            {p.items.map((item) => (
              <ReviewCard key={item.pair_id} runId={runId} item={item} onDecided={(answer) => setLast({ name: personName(item.person), answer })} />
            ))}
            <Pager total={p.total} limit={p.limit} offset={p.offset} onChange={(offset) => update({ offset: String(offset) })} />
          </>
        )}
      </QueryState>
    </section>
  );
}

const PERSON_FIELDS = ["surname", "first_name", "patronymic", "birth_date", "sex", "snils", "enp", "doc_series", "doc_number", "district"] as const;
type PersonField = (typeof PERSON_FIELDS)[number];

function fieldValue(p: RegisterPerson | SourceRecordRead | null | undefined, f: PersonField): string {
  if (!p) return "—";
  const v = p[f];
  if (v === null || v === undefined || v === "") return "—";
  return f === "birth_date" ? formatDate(v) : String(v);
}

interface FieldEvidence {
  level?: string;
  weight?: number;
}

function evidenceOf(item: ReviewItem): [string, FieldEvidence][] {
  return Object.entries(item.evidence).filter((e): e is [string, FieldEvidence] => !!e[1] && typeof e[1] === "object");
}

function ReviewCard({ runId, item, onDecided }: { runId: string; item: ReviewItem; onDecided: (answer: DecisionRead) => void }) {
  const t = useVerText();
  const me = useMe();
  const canDecide = me.permissions.includes("verification.run:write");
  const decide = useDecide(runId);
  const [comment, setComment] = useState("");
  const other = item.other_person ?? item.source_record;
  const title = personName(item.person);
  // The status this operator sees: if another operator decided the pair meanwhile, the server
  // answers 409 (shown by ErrorState) instead of recording a second decision.
  const expected_status = item.status as "review" | "auto" | "confirmed" | "rejected";
  const send = (decision: "confirm" | "reject") =>
    decide.mutate(
      { pairId: item.pair_id, body: { decision, expected_status, ...(comment.trim() ? { comment: comment.trim() } : {}) } },
      { onSuccess: onDecided },
    );
  return (
    <article className="ver-evidence" aria-label={t("ver.review.pair", { name: title })} data-testid="review-item">
      <h2>
        {title} — {item.reason_title}
      </h2>
      <p>
        {t("ver.evidence.probability")}: <strong>{formatNumber(item.match_probability * 100, 1)} %</strong>
        {" · "}
        {codeTitle(t, "source", item.source)}
        {" · "}
        {t("ver.col.outcome")}: {codeTitle(t, "outcome", item.outcome)}
        {item.decision && (
          <>
            {" · "}
            <span data-testid="review-decision">
              {t(item.decision === "confirm" ? "ver.review.confirmed" : "ver.review.rejected")} ({item.decided_by}, {formatDateTime(item.decided_at)})
            </span>
          </>
        )}
      </p>
      <div className="table-wrap">
        <table className="data-table" aria-label={t("ver.review.sideBySide")}>
          <thead>
            <tr>
              <th scope="col">{t("ver.col.field")}</th>
              <th scope="col">{t("ver.evidence.person")}</th>
              <th scope="col">{item.other_person ? t("ver.review.otherRecord") : t("ver.review.sourceRecord")}</th>
            </tr>
          </thead>
          <tbody>
            {PERSON_FIELDS.map((f) => (
              <tr key={f}>
                <th scope="row">{t(`ver.field.${f}`)}</th>
                <td>{fieldValue(item.person, f)}</td>
                <td>{fieldValue(other, f)}</td>
              </tr>
            ))}
            {item.source_record && (
              <tr>
                <th scope="row">{t("ver.evidence.kind")}</th>
                <td>—</td>
                <td>
                  {item.source_record.kind}
                  {item.source_record.date_from ? `, ${formatDate(item.source_record.date_from)}` : ""}
                  {item.source_record.date_to ? ` — ${formatDate(item.source_record.date_to)}` : ""}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <h3>{t("ver.review.fields")}</h3>
      <ul className="ver-stages" data-testid="review-evidence">
        {evidenceOf(item).map(([field, e]) => (
          <li key={field} data-state={(e.weight ?? 0) > 0 ? "done" : undefined}>
            {field}: {e.level ?? "—"}
            {e.weight !== undefined ? ` (${e.weight > 0 ? "+" : ""}${formatNumber(e.weight, 1)})` : ""}
          </li>
        ))}
      </ul>
      {canDecide && (
        <div className="ver-form">
          <label>
            {t("ver.review.comment")}
            <input value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} size={40} />
          </label>
          <button type="button" disabled={decide.isPending} onClick={() => send("confirm")}>
            {t("ver.review.confirm")}
          </button>
          <button type="button" disabled={decide.isPending} onClick={() => send("reject")}>
            {t("ver.review.reject")}
          </button>
        </div>
      )}
      {decide.error && <ErrorState error={decide.error} />}
    </article>
  );
}
