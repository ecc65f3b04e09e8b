/**
 * /pharmacy/prescriptions/new — the doctor's form: find the beneficiary (by name or person id;
 * ?person_id= opens with one chosen), the categories in force today, the drugs of the chosen
 * category's list with the free packages in the pharmacies attached to the MO, form and term
 * (the last valid day shown), quantity, signa, an optional reservation where the whole quantity
 * is free; the API's checks show at their fields. Issued → series and number, «Печать».
 */
import { useMemo, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useMe } from "../../../app/auth";
import { formatDate } from "../../../app/format";
import { DownloadButton } from "../../../components/DownloadButton";
import { Field, FormError, fieldMessages } from "../../../components/Form";
import { ErrorState, Loading } from "../../../components/states";
import {
  useBeneficiarySearch,
  useDrugOptions,
  useForms,
  useIssue,
  type BeneficiarySummary,
  type DrugOption,
  type PrescriptionRead,
} from "./hooks";
import { diagnosisFits, drugMatches, drugsOf, freeFor, personQuery, reservable, today, validUntil } from "./shape";
import { useRxText } from "./texts";
import "./prescriptions.css";

type Form = "148-1/у-04(л)" | "148-1/у-06(л)";
type Basis = "standard" | "narcotic_list_ii" | "pensioner_disabled_chronic";

function personName(b: BeneficiarySummary): string {
  return [b.surname, b.first_name, b.patronymic].filter(Boolean).join(" ") || (b.person_id ?? "");
}

function PatientSearch({ onChoose }: { onChoose: (personId: string, name: string) => void }) {
  const t = useRxText();
  const [text, setText] = useState("");
  const query = personQuery(text);
  const found = useBeneficiarySearch(query);
  return (
    <fieldset>
      <legend>{t("rx.form.patient")}</legend>
      <div className="field">
        <label htmlFor="rx-person-search">{t("rx.form.search")}</label>
        <input
          id="rx-person-search"
          value={text}
          aria-describedby="rx-person-search-hint"
          onChange={(e) => setText(e.target.value)}
        />
        <span id="rx-person-search-hint" className="field-hint muted">
          {t("rx.form.search.hint")}
        </span>
      </div>
      {query && found.isPending && <Loading />}
      {query && found.error && <ErrorState error={found.error} />}
      {query && found.data && found.data.length === 0 && <p className="muted">{t("rx.form.search.none")}</p>}
      {query && found.data && found.data.length > 0 && (
        <ul className="rx-people">
          {found.data.map((b) => (
            <li key={b.id}>
              <span>
                {personName(b)}
                {b.birth_date && <span className="muted">{`, ${formatDate(b.birth_date)}`}</span>}
                {b.snils_masked && <span className="muted">{`, ${b.snils_masked}`}</span>}
                {b.categories_on.length > 0 && <span className="muted">{` · ${b.categories_on.join(", ")}`}</span>}
              </span>
              {b.person_id && (
                <button type="button" onClick={() => onChoose(b.person_id as string, personName(b))}>
                  {t("rx.form.choose")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

function StockSummary({ drug, funding }: { drug: DrugOption; funding: "federal" | "regional" }) {
  const t = useRxText();
  const lines = drug.stock.filter((s) => freeFor(s, funding) > 0);
  if (lines.length === 0) return <span className="rx-stock rx-stock-none">{t("rx.form.drug.noStock")}</span>;
  return (
    <span className="rx-stock">
      {lines.map((s) => `${s.pharmacy_name ?? s.pharmacy_id}: ${t("rx.form.drug.free", { n: freeFor(s, funding) })}`).join("; ")}
    </span>
  );
}

function Issued({ p, onAnother }: { p: PrescriptionRead; onAnother: () => void }) {
  const t = useRxText();
  return (
    <div className="rx-done" role="status">
      <p>
        <strong>{t("rx.form.done", { designation: p.designation })}</strong>
      </p>
      <p className="rx-actions">
        <Link to={`/pharmacy/prescriptions/${p.id}`}>{t("rx.form.open")}</Link>
        <DownloadButton url={`/api/pharmacy/prescriptions/${p.id}/print.pdf`}>{t("rx.form.print")}</DownloadButton>
        <button type="button" onClick={onAnother}>
          {t("rx.form.another")}
        </button>
      </p>
    </div>
  );
}

export default function PrescriptionFormPage() {
  const t = useRxText();
  const me = useMe();
  const [search] = useSearchParams();
  const [person, setPerson] = useState<{ id: string; name: string } | null>(() => {
    const id = search.get("person_id");
    return id ? { id, name: "" } : null;
  });
  const on = today();
  const options = useDrugOptions(person?.id ?? null, on);
  // Opened with ?person_id=: the name from the register's card.
  const card = useBeneficiarySearch(person && !person.name ? { person_id: person.id } : null);
  const shownName = person?.name || (card.data?.[0] ? personName(card.data[0]) : person?.id);
  const forms = useForms();
  const issue = useIssue();

  const [categoryChoice, setCategory] = useState("");
  const [diagnosis, setDiagnosis] = useState("");
  const [form, setForm] = useState<Form>("148-1/у-04(л)");
  const [basis, setBasis] = useState<Basis>("standard");
  const [drugText, setDrugText] = useState("");
  const [drugId, setDrugId] = useState("");
  const [quantity, setQuantity] = useState("1");
  const [signa, setSigna] = useState("");
  const [record, setRecord] = useState("");
  const [doctor, setDoctor] = useState(me.full_name);
  const [pharmacyChoice, setPharmacy] = useState("");
  const [issued, setIssued] = useState<PrescriptionRead | null>(null);

  const categories = useMemo(() => options.data?.categories ?? [], [options.data]);
  const category = categories.some((c) => c.code === categoryChoice) ? categoryChoice : (categories[0]?.code ?? "");
  const chosenCategory = categories.find((c) => c.code === category);
  const funding = chosenCategory?.funding_source ?? "federal";
  const drugs = drugsOf(options.data?.drugs ?? [], category).filter((d) => drugMatches(d, drugText));
  const drug = options.data?.drugs.find((d) => d.drug_id === drugId);
  const count = Number(quantity);
  const places = drug ? reservable(drug.stock, count, funding) : [];
  // A pharmacy chosen before the drug or the quantity changed is kept only while it still fits.
  const pharmacy = places.some((p) => p.pharmacy_id === pharmacyChoice) ? pharmacyChoice : "";
  const validity = forms.data?.find((f) => f.form === form)?.validity ?? [];
  const days = validity.find((v) => v.basis === basis)?.days;

  const reset = () => {
    setIssued(null);
    issue.reset();
    setDrugId("");
    setPharmacy("");
    setSigna("");
    setQuantity("1");
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!person) return;
    issue.mutate(
      {
        person_id: person.id,
        form,
        category_code: category,
        diagnosis_code: diagnosis.trim().toUpperCase(),
        drug_id: drugId || null,
        quantity: count,
        signa: signa.trim(),
        validity_basis: basis,
        medical_record_number: record.trim() || null,
        doctor_name: doctor.trim() || null,
        pharmacy_id: pharmacy || null,
      },
      { onSuccess: (p) => setIssued(p) },
    );
  };

  return (
    <section className="rx-page">
      <p>
        <Link to="/pharmacy/prescriptions">{t("rx.back")}</Link>
      </p>
      <h1>{t("rx.form.title")}</h1>
      <p className="muted">{t("rx.form.intro")}</p>
      {issued ? (
        <Issued p={issued} onAnother={reset} />
      ) : !person ? (
        <PatientSearch onChoose={(id, name) => setPerson({ id, name })} />
      ) : (
        <form className="rx-form" onSubmit={submit} noValidate>
          <fieldset>
            <legend>{t("rx.form.patient")}</legend>
            <p>
              <strong>{shownName}</strong>{" "}
              <button type="button" className="link" onClick={() => setPerson(null)}>
                {t("rx.form.change")}
              </button>
            </p>
            {fieldMessages(issue.error, "person_id").map((m) => (
              <p key={m} className="field-error">
                {m}
              </p>
            ))}
          </fieldset>
          {options.isPending ? (
            <Loading />
          ) : options.error || !options.data ? (
            <ErrorState error={options.error} onRetry={() => void options.refetch()} />
          ) : !options.data.entitled ? (
            <div className="state state-error" role="alert">
              <strong>{t("rx.form.notEntitled")}</strong>
              <ul>
                {options.data.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </div>
          ) : (
            <>
              <div className="rx-row">
                <Field label={t("rx.form.category")} name="category_code" error={issue.error}>
                  <select value={category} onChange={(e) => { setCategory(e.target.value); setDrugId(""); }}>
                    {categories.map((c) => (
                      <option key={c.code} value={c.code}>
                        {`${c.code} — ${c.name}`}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field
                  label={t("rx.form.diagnosis")}
                  name="diagnosis_code"
                  error={issue.error}
                  hint={chosenCategory && chosenCategory.icd10.length > 0 ? t("rx.form.diagnosis.hint", { codes: chosenCategory.icd10.join(", ") }) : undefined}
                >
                  <input
                    value={diagnosis}
                    required
                    maxLength={6}
                    size={8}
                    title={diagnosis !== "" && chosenCategory && !diagnosisFits(diagnosis, chosenCategory.icd10) ? t("rx.form.diagnosis.hint", { codes: chosenCategory.icd10.join(", ") }) : undefined}
                    onChange={(e) => setDiagnosis(e.target.value)}
                  />
                </Field>
                <Field label={t("rx.form.form")} name="form" error={issue.error}>
                  <select value={form} onChange={(e) => setForm(e.target.value as Form)}>
                    {(forms.data ?? []).map((f) => (
                      <option key={f.form} value={f.form}>
                        {f.title}
                      </option>
                    ))}
                  </select>
                </Field>
              </div>
              <fieldset>
                <legend>{t("rx.form.drug")}</legend>
                <div className="field">
                  <label htmlFor="rx-drug-filter">{t("rx.form.drug.filter")}</label>
                  <input id="rx-drug-filter" value={drugText} onChange={(e) => setDrugText(e.target.value)} />
                </div>
                {drugs.length === 0 ? (
                  <p className="muted">{t("rx.form.drug.none")}</p>
                ) : (
                  // the radio group around the list: a role on the <ul> itself takes away its list
                  // semantics, leaving its <li> items outside any list (axe: listitem)
                  <div role="radiogroup" aria-label={t("rx.form.drug")}>
                    <ul className="rx-drugs">
                      {drugs.map((d) => (
                        <li key={d.drug_id} className={d.drug_id === drugId ? "chosen" : undefined}>
                          <label>
                            <input type="radio" name="drug" value={d.drug_id} checked={d.drug_id === drugId} onChange={() => setDrugId(d.drug_id)} />
                            <span>
                              <strong>{d.inn}</strong> ({d.trade_name}), {d.dosage_form}, {d.dosage}
                              <br />
                              <StockSummary drug={d} funding={funding} />
                            </span>
                          </label>
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
                {fieldMessages(issue.error, "drug_id").map((m) => (
                  <p key={m} className="field-error">
                    {m}
                  </p>
                ))}
              </fieldset>
              <fieldset>
                <legend>{t("rx.form.validity")}</legend>
                {validity.map((v) => (
                  <label key={v.basis} className="rx-radio">
                    <input type="radio" name="basis" value={v.basis} checked={basis === v.basis} onChange={() => setBasis(v.basis)} />{" "}
                    {v.title}
                  </label>
                ))}
                {days !== undefined && <p className="muted">{t("rx.form.validUntil", { date: formatDate(validUntil(on, days)) })}</p>}
              </fieldset>
              <div className="rx-row">
                <Field label={t("rx.form.quantity")} name="quantity" error={issue.error}>
                  <input type="number" min={1} max={1000} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
                </Field>
                <Field label={t("rx.form.record")} name="medical_record_number" error={issue.error}>
                  <input value={record} maxLength={30} required onChange={(e) => setRecord(e.target.value)} />
                </Field>
                <Field label={t("rx.form.doctor")} name="doctor_name" error={issue.error}>
                  <input value={doctor} maxLength={300} onChange={(e) => setDoctor(e.target.value)} />
                </Field>
              </div>
              <Field label={t("rx.form.signa")} name="signa" error={issue.error}>
                <textarea value={signa} rows={2} maxLength={500} required onChange={(e) => setSigna(e.target.value)} />
              </Field>
              <Field label={t("rx.form.reserve")} name="pharmacy_id" error={issue.error} hint={t("rx.form.reserve.hint")}>
                <select value={pharmacy} disabled={!drug} onChange={(e) => setPharmacy(e.target.value)}>
                  <option value="">{t("rx.form.reserve.none")}</option>
                  {places.map((s) => (
                    <option key={s.pharmacy_id} value={s.pharmacy_id}>
                      {t("rx.form.reserve.option", { name: s.pharmacy_name ?? s.pharmacy_id, n: freeFor(s, funding) })}
                    </option>
                  ))}
                </select>
              </Field>
              <FormError error={issue.error} />
              <p>
                <button type="submit" disabled={issue.isPending || !category || !drugId}>
                  {t("rx.form.submit")}
                </button>
              </p>
            </>
          )}
        </form>
      )}
    </section>
  );
}
