/**
 * /pharmacy/beneficiaries/:personId — the beneficiary's card: the person (SNILS and policy masked), the benefits with their
 * periods, documents and state today, the in-kind refusals by year, the diagnoses, a check of the entitlement on a date
 * (by drug list and diagnosis, with the reasons when there is none), the history of the benefits, and the latest
 * prescriptions (for those who read prescriptions) with a link to all of them.
 */
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { useHasPermission } from "../../../app/auth";
import { formatDate } from "../../../app/format";
import { DataTable, type Column } from "../../../components/DataTable";
import { ErrorState, Loading } from "../../../components/states";
import {
  useBeneficiary,
  useCategories,
  useDrugLists,
  useEntitlement,
  usePersonPrescriptions,
  type BeneficiaryCard,
  type CategoryRead,
  type EntitlementAsk,
  type PrescriptionSummary,
} from "./hooks";
import { fullName, isoDay, periodState, timeline, type HistoryEvent } from "./shape";
import { useBeneficiaryText, type BeneficiaryKey, type BeneficiaryText } from "./texts";
import "./beneficiaries.css";

type Entitlement = BeneficiaryCard["entitlements"][number];

export default function BeneficiaryPage() {
  const { personId = "" } = useParams();
  const t = useBeneficiaryText();
  const card = useBeneficiary(personId);
  const categories = useCategories();
  const byCode = new Map((categories.data ?? []).map((c) => [c.code, c]));
  const can = useHasPermission();

  if (card.isPending) return <Loading />;
  if (card.error || !card.data) return <ErrorState error={card.error} onRetry={() => void card.refetch()} />;
  const b = card.data;
  const today = isoDay();

  return (
    <section className="beneficiary-page">
      <p>
        <Link to="/pharmacy/beneficiaries">{t("bn.back")}</Link>
      </p>
      <h1>{fullName(b) ?? t("bn.card")}</h1>
      {can("pharmacy.prescription:write") && !b.death_date && (
        <p>
          <Link className="button primary" to={`/pharmacy/prescriptions/new?person_id=${encodeURIComponent(b.person_id ?? personId)}`}>
            {t("bn.prescribe")}
          </Link>
        </p>
      )}
      <dl className="facts">
        <dt>{t("bn.field.birth")}</dt>
        <dd>{formatDate(b.birth_date)}</dd>
        <dt>{t("bn.field.sex")}</dt>
        <dd>{b.sex === "male" ? t("bn.sex.male") : b.sex === "female" ? t("bn.sex.female") : "—"}</dd>
        <dt>{t("bn.field.snils")}</dt>
        <dd>
          <code>{b.snils_masked ?? "—"}</code>
        </dd>
        <dt>{t("bn.field.enp")}</dt>
        <dd>
          <code>{b.enp_masked ?? "—"}</code>
        </dd>
        {b.home_region && (
          <>
            <dt>{t("bn.field.region")}</dt>
            <dd>
              {b.home_region}
              {b.temporary_until && ` (${t("bn.field.temporary").toLowerCase()} ${formatDate(b.temporary_until)})`}
            </dd>
          </>
        )}
        {b.death_date && (
          <>
            <dt>{t("bn.field.death")}</dt>
            <dd>{formatDate(b.death_date)}</dd>
          </>
        )}
      </dl>

      <h2>{t("bn.categories")}</h2>
      <Entitlements rows={b.entitlements} byCode={byCode} refused={b.refused_years} today={today} t={t} />

      <h2>{t("bn.refusals")}</h2>
      {b.refused_years.length === 0 ? (
        <p className="muted">{t("bn.refusals.none")}</p>
      ) : (
        <ul>
          {[...b.refused_years]
            .sort((x, y) => y - x)
            .map((year) => (
              <li key={year}>{t("bn.refusals.year", { year })}</li>
            ))}
        </ul>
      )}

      <h2>{t("bn.diagnoses")}</h2>
      {b.diagnoses.length === 0 ? (
        <p className="muted">{t("bn.diagnoses.none")}</p>
      ) : (
        <ul>
          {b.diagnoses.map((d) => (
            <li key={d.icd10}>
              <code>{d.icd10}</code> {d.since && <span className="muted">{t("bn.diagnoses.since", { since: formatDate(d.since) })}</span>}
            </li>
          ))}
        </ul>
      )}

      <EntitlementCheck personId={personId} today={today} diagnoses={b.diagnoses.map((d) => d.icd10)} t={t} />

      <h2>{t("bn.history")}</h2>
      <History events={timeline(b, today)} byCode={byCode} t={t} />

      <Prescriptions personId={personId} t={t} />
    </section>
  );
}

function Entitlements({
  rows,
  byCode,
  refused,
  today,
  t,
}: {
  rows: Entitlement[];
  byCode: Map<string, CategoryRead>;
  refused: number[];
  today: string;
  t: BeneficiaryText;
}) {
  const columns: Column<Entitlement>[] = [
    {
      key: "category",
      header: t("bn.col.category"),
      cell: (e) => (
        <>
          <code>{e.category_code}</code> {byCode.get(e.category_code)?.name}
        </>
      ),
    },
    {
      key: "period",
      header: t("bn.col.period"),
      cell: (e) =>
        e.valid_to
          ? t("bn.period.closed", { from: formatDate(e.valid_from), to: formatDate(e.valid_to) })
          : t("bn.period.open", { from: formatDate(e.valid_from) }),
    },
    {
      key: "document",
      header: t("bn.col.document"),
      cell: (e) =>
        e.document_kind ? (
          <>
            {e.document_kind} {e.document_series} № {e.document_number}
            {e.document_date && ` от ${formatDate(e.document_date)}`}
            {e.document_issuer && (
              <>
                <br />
                <small className="muted">{e.document_issuer}</small>
              </>
            )}
          </>
        ) : (
          "—"
        ),
    },
    {
      key: "state",
      header: t("bn.col.state"),
      cell: (e) => {
        const state = periodState(e, today, refused, byCode.get(e.category_code)?.in_kind_refusable ?? false);
        return <span className={`status status-${state}`}>{t(`bn.state.${state}` as BeneficiaryKey)}</span>;
      },
    },
  ];
  return <DataTable columns={columns} rows={rows} rowKey={(e) => e.id} label={t("bn.categories")} />;
}

function EntitlementCheck({ personId, today, diagnoses, t }: { personId: string; today: string; diagnoses: string[]; t: BeneficiaryText }) {
  const lists = useDrugLists();
  const [form, setForm] = useState<EntitlementAsk>({ on: today, drug_list: "", diagnosis: diagnoses[0] ?? "" });
  const [ask, setAsk] = useState<EntitlementAsk | null>(null);
  const answer = useEntitlement(personId, ask);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAsk({ ...form });
  };
  return (
    <section aria-labelledby="bn-check">
      <h2 id="bn-check">{t("bn.check")}</h2>
      <form className="toolbar" onSubmit={submit}>
        <label>
          {t("bn.check.on")}{" "}
          <input type="date" required value={form.on} onChange={(e) => setForm({ ...form, on: e.target.value })} />
        </label>
        <label>
          {t("bn.check.list")}{" "}
          <select value={form.drug_list} onChange={(e) => setForm({ ...form, drug_list: e.target.value })}>
            <option value="">{t("bn.check.anyList")}</option>
            {(lists.data ?? []).map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("bn.check.diagnosis")}{" "}
          <input
            value={form.diagnosis}
            size={8}
            pattern="[A-Za-z][0-9]{2}(\.[0-9]{1,2})?"
            onChange={(e) => setForm({ ...form, diagnosis: e.target.value })}
          />
        </label>
        <button type="submit">{t("bn.check.run")}</button>
      </form>
      {ask &&
        (answer.isPending ? (
          <Loading />
        ) : answer.error || !answer.data ? (
          <ErrorState error={answer.error} />
        ) : (
          <div className={`check-answer ${answer.data.entitled ? "check-yes" : "check-no"}`} role="status">
            <strong>{t(answer.data.entitled ? "bn.check.yes" : "bn.check.no", { on: formatDate(answer.data.on) })}</strong>
            {answer.data.categories.length > 0 && (
              <p>
                {t("bn.check.by")} {answer.data.categories.map((c) => `${c.code} — ${c.name}`).join("; ")}
              </p>
            )}
            {answer.data.reasons.length > 0 && (
              <>
                <p>{t("bn.check.why")}</p>
                <ul>
                  {answer.data.reasons.map((r, i) => (
                    <li key={i}>{r.message}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        ))}
    </section>
  );
}

function History({ events, byCode, t }: { events: HistoryEvent[]; byCode: Map<string, CategoryRead>; t: BeneficiaryText }) {
  if (events.length === 0) return <p className="muted">{t("bn.history.none")}</p>;
  const label = (e: HistoryEvent) => {
    const category = e.category ? `${e.category} ${byCode.get(e.category)?.name ?? ""}`.trim() : "";
    switch (e.kind) {
      case "started":
        return t("bn.event.started", { category });
      case "ended":
        return t("bn.event.ended", { category });
      case "refusal":
        return t("bn.event.refusal", { year: e.year ?? "" });
      case "death":
        return t("bn.event.death");
    }
  };
  return (
    <ol className="timeline">
      {events.map((e, i) => (
        <li key={i} className={`timeline-${e.kind}`}>
          <time dateTime={e.day}>{formatDate(e.day)}</time> — {label(e)}
          {e.document?.kind && (
            <small className="muted"> ({t("bn.event.document", { kind: e.document.kind, number: e.document.number ?? "—" })})</small>
          )}
        </li>
      ))}
    </ol>
  );
}

function Prescriptions({ personId, t }: { personId: string; t: BeneficiaryText }) {
  const can = useHasPermission();
  const allowed = can("pharmacy.prescription:read");
  const list = usePersonPrescriptions(personId, allowed);
  if (!allowed) return null;
  const columns: Column<PrescriptionSummary>[] = [
    { key: "designation", header: t("bn.col.designation"), cell: (p) => <Link to={`/pharmacy/prescriptions/${p.id}`}>{p.designation}</Link> },
    { key: "issued", header: t("bn.col.issued"), cell: (p) => formatDate(p.issued_on) },
    { key: "drug", header: t("bn.col.drug"), cell: (p) => `${p.inn}, ${p.dosage_form}, ${p.dosage}` },
    { key: "status", header: t("bn.col.rxStatus"), cell: (p) => t(`bn.rx.${p.status}` as BeneficiaryKey) },
  ];
  return (
    <section aria-labelledby="bn-rx">
      <h2 id="bn-rx">{t("bn.prescriptions")}</h2>
      {list.isPending ? (
        <Loading />
      ) : list.error || !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <p className="muted">{t("bn.prescriptions.none")}</p>
      ) : (
        <DataTable columns={columns} rows={list.data.items} rowKey={(p) => p.id} label={t("bn.prescriptions")} />
      )}
      <p>
        <Link to={`/pharmacy/prescriptions?person_id=${encodeURIComponent(personId)}`}>{t("bn.prescriptions.all")}</Link>
      </p>
    </section>
  );
}
