/**
 * The evidence of one person's outcome, side by side: the register record as the file gave it,
 * and the facts and pairs the outcome rests on (source, link probability and status, dates, the
 * rules' note), with the excluded periods.
 */
import { formatDate, formatNumber } from "../../app/format";
import type { OutcomeRead } from "./hooks";
import { codeTitle, useVerText } from "./texts";

interface EvidenceItem {
  reason?: string;
  status?: string;
  match_probability?: number;
  kind?: string;
  record_id?: string;
  other_subject_id?: string;
  date_from?: string;
  date_to?: string;
  note?: string;
  /** A fact from outside the sources' answers names its source (the registry's own death records). */
  source?: string;
}

/** An excluded period as the rules store it (rules/model.py ExcludedPeriod.as_json). */
interface Period {
  reason?: string;
  from?: string;
  to?: string;
  months?: number;
}

export function evidenceItems(outcome: Pick<OutcomeRead, "evidence">): EvidenceItem[] {
  const items = (outcome.evidence as { items?: unknown }).items;
  return Array.isArray(items) ? (items.filter((i) => i && typeof i === "object") as EvidenceItem[]) : [];
}

export function periodsOf(outcome: Pick<OutcomeRead, "periods">): Period[] {
  return (outcome.periods as unknown[]).filter((p) => p && typeof p === "object") as Period[];
}

/** The new personal data of an `update` outcome (field → value). */
export function updatesOf(outcome: Pick<OutcomeRead, "evidence">): [string, string][] {
  const updates = (outcome.evidence as { updates?: unknown }).updates;
  if (!updates || typeof updates !== "object") return [];
  return Object.entries(updates as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
}

export function personName(p: OutcomeRead["person"]): string {
  return [p.surname, p.first_name, p.patronymic].filter(Boolean).join(" ");
}

export function EvidencePanel({ outcome, onClose }: { outcome: OutcomeRead; onClose: () => void }) {
  const t = useVerText();
  const p = outcome.person;
  const items = evidenceItems(outcome);
  const periods = periodsOf(outcome);
  return (
    <section className="ver-evidence" aria-label={t("ver.evidence.title", { name: personName(p) })} data-testid="evidence">
      <h3>{t("ver.evidence.title", { name: personName(p) })}</h3>
      <div className="ver-side">
        <div>
          <h4>{t("ver.evidence.person")}</h4>
          <dl className="facts">
            <dt>{t("ver.col.person")}</dt>
            <dd>{personName(p)}</dd>
            <dt>{t("ver.col.birth")}</dt>
            <dd>{formatDate(p.birth_date)}</dd>
            <dt>{t("ver.col.snils")}</dt>
            <dd>{p.snils ?? "—"}</dd>
            <dt>{t("ver.evidence.enp")}</dt>
            <dd>{p.enp ?? "—"}</dd>
            <dt>{t("ver.evidence.document")}</dt>
            <dd>{[p.doc_type, p.doc_series, p.doc_number].filter(Boolean).join(" ") || "—"}</dd>
            <dt>{t("ver.col.district")}</dt>
            <dd>{p.district ?? "—"}</dd>
            <dt>{t("ver.evidence.row")}</dt>
            <dd>{p.row_no}</dd>
          </dl>
        </div>
        <div>
          <p>
            <strong>{codeTitle(t, "outcome", outcome.outcome)}</strong>
            {outcome.reason ? ` · ${codeTitle(t, "reason", outcome.reason)}` : ""}
            {" · "}
            {t("ver.evidence.decidedBy", { who: outcome.decided_by === "rule" ? t("ver.evidence.rule") : outcome.decided_by })}
          </p>
          {outcome.duplicate_of && <p>{t("ver.evidence.duplicateOf", { id: outcome.duplicate_of })}</p>}
          {updatesOf(outcome).length > 0 && (
            <p data-testid="evidence-updates">
              {t("ver.evidence.updates")}: {updatesOf(outcome).map(([k, v]) => `${k} → ${v}`).join("; ")}
            </p>
          )}
          {periods.length > 0 && (
            <ul data-testid="evidence-periods">
              {periods.map((x, i) => (
                <li key={i}>
                  {codeTitle(t, "reason", x.reason)}: {formatDate(x.from)} — {formatDate(x.to)} ({formatNumber(x.months ?? null)})
                </li>
              ))}
            </ul>
          )}
          {items.length === 0 ? (
            <p className="muted">{t("ver.evidence.none")}</p>
          ) : (
            <div className="table-wrap">
              <table className="data-table" aria-label={t("ver.evidence.show")}>
                <thead>
                  <tr>
                    <th scope="col">{t("ver.col.reason")}</th>
                    <th scope="col">{t("ver.evidence.kind")}</th>
                    <th scope="col" className="num">{t("ver.evidence.probability")}</th>
                    <th scope="col">{t("ver.evidence.status")}</th>
                    <th scope="col">{t("ver.evidence.dates")}</th>
                    <th scope="col">{t("ver.evidence.note")}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((e, i) => (
                    <tr key={i} data-testid="evidence-item">
                      <td>{codeTitle(t, "reason", e.reason)}</td>
                      <td>
                        {e.source ? `${e.source}: ` : ""}
                        {e.kind ?? (e.other_subject_id ? t("ver.evidence.duplicateOf", { id: e.other_subject_id }) : "—")}
                      </td>
                      <td className="num">{e.match_probability !== undefined ? formatNumber(e.match_probability * 100, 1) + " %" : "—"}</td>
                      <td>{codeTitle(t, "link", e.status)}</td>
                      <td>{e.date_from ? `${formatDate(e.date_from)}${e.date_to ? ` — ${formatDate(e.date_to)}` : ""}` : "—"}</td>
                      <td>{e.note ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
      <button type="button" onClick={onClose}>
        {t("ver.evidence.close")}
      </button>
    </section>
  );
}
