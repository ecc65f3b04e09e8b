/**
 * The person's card: the data on a date as the register knew it at a moment (`?on=` and
 * `?as_of=` in the URL, today and now by default), insurance, attachment, documents,
 * addresses, the exclusions from the non-working register by verification runs (when there
 * are any), the merges the person took part in (with unmerge) and the history timeline.
 */
import { useState, type FormEvent } from "react";
import { Link, useLocation, useParams, useSearchParams } from "react-router-dom";
import { useHasPermission } from "../../../app/auth";
import { formatDate, formatDateTime } from "../../../app/format";
import { ErrorState, QueryState } from "../../../components/states";
import { Crumbs } from "../Crumbs";
import { useUnmerge } from "../duplicates/hooks";
import { isForbidden } from "../problems";
import { ReasonDialog } from "../ReasonDialog";
import { useRegistryText, type RegistryKey } from "../texts";
import { formatPeriod, formatSnils, fullName, isoDate, isoToLocalDateTime, localDateTimeToIso } from "./format";
import { HistoryTimeline } from "./HistoryTimeline";
import { OrgName, OrgNamesProvider } from "./orgNames";
import {
  useNsiNames,
  usePerson,
  usePersonExclusions,
  usePersonHistory,
  usePersonMerges,
  usePersonOrganizations,
  type MergeRead,
  type PersonOn,
  type PersonRead,
} from "./hooks";
import "../registry.css";

export default function PersonCardPage() {
  const { personId = "" } = useParams();
  const t = useRegistryText();
  const location = useLocation();
  const [search, setSearch] = useSearchParams();
  const at: PersonOn = {};
  const on = search.get("on");
  const asOf = search.get("as_of");
  if (on) at.on = on;
  if (asOf) at.as_of = asOf;
  const person = usePerson(personId, at);
  const organizations = usePersonOrganizations(personId);
  const notice = (location.state as { notice?: string } | null)?.notice;

  return (
    <section>
      <Crumbs>
        <Link to="/registry/persons">{t("reg.persons")}</Link>
        <span>{person.data ? fullName(person.data.name) : t("reg.card.title")}</span>
      </Crumbs>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <QueryState query={person}>
        {(p) => (
          <OrgNamesProvider names={organizations.data ?? new Map<string, string>()}>
            <div className="page-head">
              <h1 data-testid="person-name">{p.name ? fullName(p.name) : t("reg.card.title")}</h1>
              {p.death_date && <span className="chip chip-retracted">{t("reg.card.deceased", { date: formatDate(p.death_date) })}</span>}
            </div>
            {p.requested_id !== p.id && (
              <p className="notice notice-warn" data-testid="merged-notice">
                {t("reg.card.merged")} <Link to={`/registry/persons/${p.id}`}>{t("reg.card.toSurvivor")}</Link>
              </p>
            )}
            <DateSelector
              key={`${on ?? ""}|${asOf ?? ""}`}
              on={on ?? p.on}
              asOf={asOf}
              onApply={(nextOn, nextAsOf) => {
                const next = new URLSearchParams(search);
                for (const [k, v] of [
                  ["on", nextOn],
                  ["as_of", nextAsOf],
                ] as const) {
                  if (v) next.set(k, v);
                  else next.delete(k);
                }
                setSearch(next, { replace: true });
              }}
            />
            <p className="muted" data-testid="shown-as">
              {t("reg.card.shownAs", { on: formatDate(p.on), asOf: formatDateTime(p.as_of) })}
            </p>
            <PersonDetails person={p} />
            <Exclusions personId={p.requested_id} />
            <Merges person={p} />
            <h2>{t("reg.history.title")}</h2>
            <History personId={p.requested_id} on={p.on} asOf={p.as_of} />
          </OrgNamesProvider>
        )}
      </QueryState>
    </section>
  );
}

function DateSelector({ on, asOf, onApply }: { on: string; asOf: string | null; onApply: (on: string | null, asOf: string | null) => void }) {
  const t = useRegistryText();
  const [date, setDate] = useState(on);
  const [moment, setMoment] = useState(asOf ? isoToLocalDateTime(asOf) : "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(date || null, moment ? localDateTimeToIso(moment) : null);
  };
  return (
    <form className="toolbar date-selector" onSubmit={submit} aria-label={t("reg.card.when")}>
      <label>
        {t("reg.card.onDate")} <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </label>
      <label>
        {t("reg.card.asOf")} <input type="datetime-local" step={1} value={moment} onChange={(e) => setMoment(e.target.value)} />
      </label>
      <button type="submit">{t("reg.card.apply")}</button>
      <button type="button" onClick={() => onApply(null, null)}>
        {t("reg.card.reset")}
      </button>
    </form>
  );
}

function PersonDetails({ person: p }: { person: PersonRead }) {
  const t = useRegistryText();
  const can = useHasPermission();
  const documentTypes = useNsiNames("document_type");
  const methodKey = (m: string): RegistryKey | null =>
    m === "application" ? "reg.card.method.application" : m === "territorial" ? "reg.card.method.territorial" : null;
  const policyKey = (v: string) => (["1", "2", "3", "4", "5"].includes(v) ? (`reg.policyType.${v}` as RegistryKey) : null);
  const moLink = (id: string) =>
    can("registry.mo_passport:read") ? (
      <Link to={`/registry/mo/${id}`}>
        <OrgName id={id} />
      </Link>
    ) : (
      <OrgName id={id} />
    );
  return (
    <div className="card-grid">
      <section className="panel" aria-labelledby="main-title">
        <h2 id="main-title">{t("reg.card.main")}</h2>
        <dl className="detail" data-testid="person-facts">
          <dt>{t("reg.f.oip")}</dt>
          <dd>
            <code data-testid="person-oip">{p.oip}</code>
          </dd>
          <dt>{t("reg.f.sex")}</dt>
          <dd>{p.sex ? t(`reg.sex.${p.sex}`) : "—"}</dd>
          <dt>{t("reg.f.birthDate")}</dt>
          <dd>{formatDate(p.birth_date)}</dd>
          <dt>{t("reg.f.birthPlace")}</dt>
          <dd>{p.birth_place ?? "—"}</dd>
          <dt>{t("reg.f.snils")}</dt>
          <dd data-testid="person-snils">{formatSnils(p.snils)}</dd>
          <dt>{t("reg.f.enp")}</dt>
          <dd>{p.enp ?? "—"}</dd>
          <dt>{t("reg.f.employment")}</dt>
          <dd>{p.employment ? t(`reg.employment.${p.employment}`) : "—"}</dd>
          {p.death_date && (
            <>
              <dt>{t("reg.f.deathDate")}</dt>
              <dd>{formatDate(p.death_date)}</dd>
            </>
          )}
          {p.mother_id && (
            <>
              <dt>{t("reg.card.mother")}</dt>
              <dd>
                <Link to={`/registry/persons/${p.mother_id}`}>{t("reg.match.open")}</Link>
              </dd>
            </>
          )}
        </dl>
      </section>
      <section className="panel" aria-labelledby="insurance-title">
        <h2 id="insurance-title">{t("reg.card.insurance")}</h2>
        {p.insurance ? (
          <dl className="detail" data-testid="person-insurance">
            <dt>{t("reg.card.insurer")}</dt>
            <dd>
              <OrgName id={p.insurance.insurer_id} />
            </dd>
            <dt>{t("reg.card.policy")}</dt>
            <dd>{[p.insurance.policy_series, p.insurance.policy_number].filter(Boolean).join(" ")}</dd>
            <dt>{t("reg.card.policyType")}</dt>
            <dd>{policyKey(p.insurance.policy_type) ? t(policyKey(p.insurance.policy_type)!) : p.insurance.policy_type}</dd>
            <dt>{t("reg.card.period")}</dt>
            <dd>{formatPeriod(p.insurance.valid_from, p.insurance.valid_to)}</dd>
          </dl>
        ) : (
          <p className="muted">{t("reg.card.noInsurance")}</p>
        )}
      </section>
      <section className="panel" aria-labelledby="attachment-title">
        <h2 id="attachment-title">{t("reg.card.attachment")}</h2>
        {p.attachment ? (
          <dl className="detail" data-testid="person-attachment">
            <dt>{t("reg.card.mo")}</dt>
            <dd>{moLink(p.attachment.mo_id)}</dd>
            <dt>{t("reg.card.area")}</dt>
            <dd>{p.attachment.area_code ?? "—"}</dd>
            <dt>{t("reg.card.method")}</dt>
            <dd>{methodKey(p.attachment.method) ? t(methodKey(p.attachment.method)!) : p.attachment.method}</dd>
            <dt>{t("reg.card.period")}</dt>
            <dd>{formatPeriod(p.attachment.valid_from, p.attachment.valid_to)}</dd>
          </dl>
        ) : (
          <p className="muted">{t("reg.card.noAttachment")}</p>
        )}
      </section>
      <section className="panel" aria-labelledby="documents-title">
        <h2 id="documents-title">{t("reg.card.documents")}</h2>
        {p.documents.length === 0 ? (
          <p className="muted">{t("reg.card.noDocuments")}</p>
        ) : (
          <ul className="plain-list" data-testid="person-documents">
            {p.documents.map((d) => (
              <li key={d.fact_id}>
                <strong>{documentTypes.data?.get(d.type) ?? d.type}</strong>: {[d.series, d.number].filter(Boolean).join(" ")}
                <br />
                <span className="muted">
                  {t("reg.f.docIssueDate")} {formatDate(d.issue_date)}
                  {d.issuer ? `, ${d.issuer}` : ""}
                  {d.valid_to ? ` · ${formatPeriod(d.valid_from, d.valid_to)}` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="addresses-title">
        <h2 id="addresses-title">{t("reg.card.addresses")}</h2>
        {p.addresses.length === 0 && p.contacts.length === 0 ? (
          <p className="muted">{t("reg.card.noAddresses")}</p>
        ) : (
          <ul className="plain-list" data-testid="person-addresses">
            {p.addresses.map((a) => (
              <li key={a.fact_id}>
                <strong>{t(`reg.card.address.${a.kind}`)}</strong>: {a.text}
                <br />
                <span className="muted">{formatPeriod(a.valid_from, a.valid_to)}</span>
              </li>
            ))}
            {p.contacts.map((c) => (
              <li key={c.fact_id}>
                <strong>{t(`reg.card.contact.${c.kind}`)}</strong>: {c.value}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/**
 * Exclusions from the non-working register (the payer's verification runs, reported to the
 * register by events): the reason in Russian, the run's date, the months excluded and whether
 * a later run took the person back. Shown only when there are any; an error hides it too (it
 * adds to the card, the card does not depend on it).
 */
function Exclusions({ personId }: { personId: string }) {
  const t = useRegistryText();
  const exclusions = usePersonExclusions(personId);
  const items = exclusions.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="exclusions-title" className="panel exclusions">
      <h2 id="exclusions-title">{t("reg.card.exclusions")}</h2>
      <ul className="plain-list" data-testid="exclusions">
        {items.map((x) => {
          const others = x.reason_titles.filter((_, i) => x.reasons[i] !== x.reason);
          return (
            <li key={x.run_id}>
              <strong>{x.reason_title}</strong> <span className="muted">· {t("reg.card.exclusion.run", { date: formatDate(x.excluded_at) })}</span>{" "}
              <span className="muted">· {t("reg.card.exclusion.months", { months: x.months_excluded })}</span>{" "}
              {x.reinstated_at ? (
                <span className="chip">{t("reg.card.exclusion.reinstated", { date: formatDate(x.reinstated_on ?? x.reinstated_at) })}</span>
              ) : (
                <span className="chip chip-in-force">{t("reg.card.exclusion.open")}</span>
              )}
              {others.length > 0 && (
                <>
                  <br />
                  <span className="muted">{t("reg.card.exclusion.also", { reasons: others.join(", ") })}</span>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The merges the person took part in (keepers of the register only), with unmerge. */
function Merges({ person }: { person: PersonRead }) {
  const t = useRegistryText();
  const can = useHasPermission();
  const merges = usePersonMerges(person.requested_id, can("registry.person:read"));
  const unmerge = useUnmerge();
  const [undoing, setUndoing] = useState<MergeRead | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (merges.isPending || isForbidden(merges.error)) return null;
  if (merges.error) return <ErrorState error={merges.error} />;
  const items = merges.data ?? [];
  return (
    <section aria-labelledby="merges-title" className="merges">
      <h2 id="merges-title">{t("reg.card.merges")}</h2>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {items.length === 0 ? (
        <p className="muted">{t("reg.card.noMerges")}</p>
      ) : (
        <ul className="plain-list" data-testid="merges">
          {items.map((m) => (
            <li key={m.id}>
              <Link to={`/registry/persons/${m.merged_id}`}>{t("reg.f.oip")} {m.merged_oip}</Link> →{" "}
              <Link to={`/registry/persons/${m.survivor_id}`}>{t("reg.f.oip")} {m.survivor_oip}</Link>{" "}
              <span className="muted">
                {formatDateTime(m.merged_at)} ({m.merged_by}): {m.reason}
              </span>{" "}
              {m.unmerged_at ? (
                <span className="chip">{t("reg.card.mergeUndone", { at: formatDateTime(m.unmerged_at) })}</span>
              ) : (
                <>
                  <span className="chip chip-in-force">{t("reg.card.mergeActive")}</span>{" "}
                  {can("registry.person:write") && (
                    <button type="button" onClick={() => setUndoing(m)}>
                      {t("reg.dup.unmerge")}
                    </button>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <ReasonDialog
        key={undoing?.id ?? "none"}
        open={undoing !== null}
        title={t("reg.dup.unmergeTitle")}
        confirmLabel={t("reg.dup.unmergeConfirm")}
        danger
        busy={unmerge.isPending}
        error={unmerge.error}
        onCancel={() => {
          setUndoing(null);
          unmerge.reset();
        }}
        onConfirm={(reason) =>
          undoing &&
          unmerge.mutate(
            { mergedId: undoing.merged_id, reason },
            {
              onSuccess: (m) => {
                setUndoing(null);
                setDone(t("reg.dup.unmerged", { merged: m.merged_oip }));
              },
            },
          )
        }
      >
        <p>{t("reg.dup.unmergeNote")}</p>
      </ReasonDialog>
    </section>
  );
}

function History({ personId, on, asOf }: { personId: string; on: string; asOf: string }) {
  const history = usePersonHistory(personId);
  const documentTypes = useNsiNames("document_type");
  return (
    <QueryState query={history}>
      {(h) => <HistoryTimeline facts={h.facts} on={on} asOf={asOf} today={isoDate(new Date())} documentTypes={documentTypes.data} />}
    </QueryState>
  );
}
