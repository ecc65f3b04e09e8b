/**
 * A person's history as a timeline: a row per record, grouped by kind (documents by type,
 * addresses by kind). Each row has its validity as a bar on a shared time axis and, below,
 * when it was recorded and until when the register held it. Corrected records stay, struck
 * through; corrections are marked; records in force on the card's date as known at its
 * moment are highlighted.
 */
import { useState, type ReactNode } from "react";
import { formatDate, formatDateTime } from "../../../app/format";
import { useRegistryText, type RegistryKey } from "../texts";
import { formatPeriod, formatSnils, fullName } from "./format";
import { OrgName } from "./orgNames";
import { classifyFacts, groupFacts, inForce, span, timeAxis, type FactRead, type FactState } from "./history";

const KIND_LABEL: Record<string, RegistryKey> = {
  name: "reg.kind.name",
  sex: "reg.kind.sex",
  birth: "reg.kind.birth",
  snils: "reg.kind.snils",
  enp: "reg.kind.enp",
  document: "reg.kind.document",
  address: "reg.kind.address",
  contact: "reg.kind.contact",
  insurance: "reg.kind.insurance",
  attachment: "reg.kind.attachment",
  employment: "reg.kind.employment",
  death: "reg.kind.death",
};

/** Who recorded: a login as is, a user's id shortened (the full id in the title). */
export function actorLabel(actor: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(actor) ? `${actor.slice(0, 8)}…` : actor;
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);

function FactValue({ fact }: { fact: FactRead }) {
  const t = useRegistryText();
  const d = fact.data;
  switch (fact.kind) {
    case "name":
      return <>{fullName({ surname: str(d.surname) ?? "", first_name: str(d.first_name) ?? "", patronymic: str(d.patronymic) })}</>;
    case "sex":
      return <>{d.sex === "male" || d.sex === "female" ? t(`reg.sex.${d.sex}`) : String(d.sex)}</>;
    case "birth":
      return (
        <>
          {formatDate(str(d.birth_date))}
          {str(d.birth_place) ? `, ${str(d.birth_place)}` : ""}
        </>
      );
    case "snils":
      return <>{formatSnils(str(d.snils))}</>;
    case "enp":
      return <>{str(d.enp) ?? "—"}</>;
    case "document":
      return (
        <>
          {[str(d.series), str(d.number)].filter(Boolean).join(" ")}, {formatDate(str(d.issue_date))}
          {str(d.issuer) ? `, ${str(d.issuer)}` : ""}
        </>
      );
    case "address":
    case "contact":
      return <>{str(d.text) ?? str(d.value) ?? "—"}</>;
    case "insurance":
      return (
        <>
          <OrgName id={str(d.insurer_id)} />, {t("reg.card.policy").toLowerCase()} {[str(d.policy_series), str(d.policy_number)].filter(Boolean).join(" ")}
        </>
      );
    case "attachment":
      return (
        <>
          <OrgName id={str(d.mo_id)} />
          {str(d.area_code) ? `, ${t("reg.card.area").toLowerCase()} ${str(d.area_code)}` : ""}
        </>
      );
    case "employment":
      return <>{d.status === "working" || d.status === "non_working" ? t(`reg.employment.${d.status}`) : String(d.status)}</>;
    case "death":
      return <>{formatDate(str(d.death_date))}</>;
    default:
      return <>{JSON.stringify(d)}</>;
  }
}

function groupTitle(t: ReturnType<typeof useRegistryText>, kind: string, slot: string, documentTypes: Map<string, string> | undefined): string {
  const base = KIND_LABEL[kind] ? t(KIND_LABEL[kind]) : kind;
  if (!slot) return base;
  if (kind === "document") return `${base}: ${documentTypes?.get(slot) ?? slot}`;
  if (kind === "address" && (slot === "registration" || slot === "residence")) return `${base}: ${t(`reg.card.address.${slot}`).toLowerCase()}`;
  if (kind === "contact" && (slot === "phone" || slot === "email")) return `${base}: ${t(`reg.card.contact.${slot}`).toLowerCase()}`;
  return `${base}: ${slot}`;
}

function StatusChips({ state, current }: { state: FactState; current: boolean }) {
  const t = useRegistryText();
  const chips: ReactNode[] = [];
  if (state.status !== "current") chips.push(<span key="s" className={`chip chip-${state.status}`}>{t(`reg.history.status.${state.status}`)}</span>);
  if (state.corrects !== null)
    chips.push(
      <span key="c" className="chip chip-correction">
        {t("reg.history.correction", { id: state.corrects })}
      </span>,
    );
  if (state.correctedBy !== null) chips.push(<span key="b" className="muted">{t("reg.history.correctedBy", { id: state.correctedBy })}</span>);
  if (current)
    chips.push(
      <span key="f" className="chip chip-in-force">
        {t("reg.history.inForce")}
      </span>,
    );
  return <>{chips}</>;
}

export function HistoryTimeline({
  facts,
  on,
  asOf,
  today,
  documentTypes,
}: {
  facts: readonly FactRead[];
  on: string;
  asOf: string;
  today: string;
  documentTypes: Map<string, string> | undefined;
}) {
  const t = useRegistryText();
  const [onlyCurrent, setOnlyCurrent] = useState(false);
  const states = classifyFacts(facts);
  const shown = onlyCurrent ? facts.filter((f) => f.recorded_to === null) : facts;
  const groups = groupFacts(shown);
  const axis = timeAxis(facts, today);
  if (facts.length === 0) return <p className="state state-empty">{t("reg.history.empty")}</p>;
  return (
    <div className="timeline" data-testid="timeline">
      <p className="muted">{t("reg.history.intro")}</p>
      <label className="check-row">
        <input type="checkbox" checked={onlyCurrent} onChange={(e) => setOnlyCurrent(e.target.checked)} />
        {t("reg.history.onlyCurrent")}
      </label>
      <div className="timeline-axis" aria-hidden="true">
        <span>{formatDate(axis.start)}</span>
        <span>{formatDate(axis.end)}</span>
      </div>
      {groups.map((g) => (
        <div key={`${g.kind}/${g.slot}`} className="timeline-group">
          <h3>{groupTitle(t, g.kind, g.slot, documentTypes)}</h3>
          <ol className="timeline-facts">
            {g.facts.map((f) => {
              const state = states.get(f.fact_id)!;
              const current = inForce(f, on, asOf);
              const bar = span(f, axis);
              const classes = ["fact", `fact-${state.status}`, state.corrects !== null ? "fact-correction" : "", current ? "fact-in-force" : ""];
              return (
                <li
                  key={f.fact_id}
                  className={classes.filter(Boolean).join(" ")}
                  data-testid="fact"
                  data-kind={f.kind}
                  data-status={state.status}
                  data-correction={state.corrects !== null ? "true" : undefined}
                  data-in-force={current ? "true" : undefined}
                >
                  <div className="fact-main">
                    {state.status === "current" ? (
                      <span className="fact-value">
                        <FactValue fact={f} />
                      </span>
                    ) : (
                      <del className="fact-value">
                        <FactValue fact={f} />
                      </del>
                    )}{" "}
                    <StatusChips state={state} current={current} />
                  </div>
                  <div className="fact-track" aria-hidden="true">
                    <span className="fact-bar" style={{ left: `${bar.left}%`, width: `${bar.width}%` }} />
                  </div>
                  <div className="fact-meta muted">
                    <span>
                      {t("reg.history.valid")}: {formatPeriod(f.valid_from, f.valid_to)}
                    </span>
                    <span>
                      {t("reg.history.recorded")}: {formatDateTime(f.recorded_from)} (<span title={f.recorded_by}>{actorLabel(f.recorded_by)}</span>)
                    </span>
                    {f.recorded_to && (
                      <span>
                        {t("reg.history.recordedTo")}: {formatDateTime(f.recorded_to)}
                      </span>
                    )}
                    {f.reason && (
                      <span>
                        {t("reg.history.reason")}: {f.reason}
                      </span>
                    )}
                    <span>№ {f.fact_id}</span>
                  </div>
                </li>
              );
            })}
          </ol>
        </div>
      ))}
    </div>
  );
}
