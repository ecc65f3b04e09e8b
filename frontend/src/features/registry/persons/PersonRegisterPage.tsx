/**
 * Find before create, then register: the operator fills what is known, looks for matches
 * (POST /persons/$match: candidates with a score and per-field reasons), and registers. A
 * probable duplicate is refused (409 with the candidates); the operator confirms it is
 * another person and registers again with `confirm_new`.
 */
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { useHasPermission } from "../../../app/auth";
import { Field, FormError } from "../../../components/Form";
import { Loading } from "../../../components/states";
import { Crumbs } from "../Crumbs";
import { useRegistryText } from "../texts";
import { isoDate } from "./format";
import { useMatch, useRegisterPerson } from "./hooks";
import { MatchCandidates } from "./MatchCandidates";
import { DocumentFields, EnpField, NameFields, SnilsField, type DocumentKeys } from "./PersonFields";
import { EMPTY_PERSON, matchRequest, personCreate, type PersonForm } from "./personForm";
import type { MatchCandidate } from "./reasons";
import "../registry.css";

const DOCUMENT_KEYS: DocumentKeys<keyof PersonForm> = { type: "doc_type", series: "doc_series", number: "doc_number" };
/** The registration sends one document: the API names its fields in `documents[0]`. */
const DOCUMENT_NAMES: DocumentKeys = { type: "documents.0.type", series: "documents.0.series", number: "documents.0.number" };

/** The refusal names candidates by ОИП only; the match (if run) knows who they are. */
function withPersons(refused: readonly MatchCandidate[], matched: readonly MatchCandidate[] | undefined): MatchCandidate[] {
  const known = new Map((matched ?? []).map((c) => [c.person_id, c.person]));
  return refused.map((c) => (c.person ? c : { ...c, person: known.get(c.person_id) ?? null }));
}

export default function PersonRegisterPage() {
  const t = useRegistryText();
  const can = useHasPermission();
  const navigate = useNavigate();
  const canRegister = can("registry.person:write");
  const [form, setForm] = useState<PersonForm>(EMPTY_PERSON);
  const [confirmed, setConfirmed] = useState(false);
  const match = useMatch();
  const register = useRegisterPerson();
  const conflict = register.data?.kind === "duplicates" ? register.data : null;
  const set = (field: keyof PersonForm) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [field]: e.target.value }));
    // What was found or refused was about other data.
    if (register.data || register.error) register.reset();
    setConfirmed(false);
  };

  const findMatches = () => match.mutate(matchRequest(form));
  const send = (confirmNew: boolean) =>
    register.mutate(personCreate(form, confirmNew, isoDate(new Date())), {
      onSuccess: (r) => {
        if (r.kind === "created") {
          void navigate(`/registry/persons/${r.person.id}`, { state: { notice: t("reg.new.registered", { oip: r.person.oip }) } });
        }
      },
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!canRegister) return findMatches();
    send(false);
  };
  // Field errors of the last answer: the registration's, else the match's.
  const error = register.error ?? match.error;

  return (
    <section>
      <Crumbs>
        <Link to="/registry/persons">{t("reg.persons")}</Link>
        <span>{t("reg.new.title")}</span>
      </Crumbs>
      <h1>{t("reg.new.title")}</h1>
      <p className="muted">{t("reg.new.intro")}</p>
      {!canRegister && <p className="notice">{t("reg.new.readOnly")}</p>}
      <form className="stack-form wide-form" onSubmit={submit} noValidate aria-label={t("reg.new.title")}>
        <fieldset className="fieldset">
          <legend>{t("reg.new.person")}</legend>
          <div className="form-grid">
            <NameFields values={form} set={set} error={error} required />
            <Field label={t("reg.f.sex")} name="sex" error={error}>
              <select value={form.sex} onChange={set("sex")} required>
                <option value="">{t("reg.sex.any")}</option>
                <option value="male">{t("reg.sex.male")}</option>
                <option value="female">{t("reg.sex.female")}</option>
              </select>
            </Field>
            <Field label={t("reg.f.birthPlace")} name="birth_place" error={error}>
              <input value={form.birth_place} onChange={set("birth_place")} autoComplete="off" />
            </Field>
            <SnilsField values={form} set={set} error={error} />
            <EnpField values={form} set={set} error={error} />
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t("reg.new.document")}</legend>
          <div className="form-grid">
            <DocumentFields keys={DOCUMENT_KEYS} names={DOCUMENT_NAMES} values={form} set={set} error={error} />
            <Field label={t("reg.f.docIssueDate")} name="documents.0.issue_date" error={error}>
              <input type="date" value={form.doc_issue_date} onChange={set("doc_issue_date")} />
            </Field>
          </div>
        </fieldset>
        {canRegister && (
          <fieldset className="fieldset">
            <legend>{t("reg.new.contacts")}</legend>
            <div className="form-grid">
              <Field label={t("reg.f.address")} name="addresses.0.text" error={error}>
                <input value={form.address} onChange={set("address")} autoComplete="off" />
              </Field>
              <Field label={t("reg.f.addressFrom")} name="addresses.0.valid_from" error={error}>
                <input type="date" value={form.address_from} onChange={set("address_from")} />
              </Field>
              <Field label={t("reg.f.phone")} name="contacts.0.value" error={error}>
                <input type="tel" value={form.phone} onChange={set("phone")} autoComplete="off" />
              </Field>
            </div>
          </fieldset>
        )}
        <div className="form-actions">
          <button type="button" onClick={findMatches} disabled={match.isPending} className={canRegister ? undefined : "primary"}>
            {t("reg.new.match")}
          </button>
          {canRegister && !conflict && (
            <button type="submit" className="primary" disabled={register.isPending}>
              {t("reg.new.register")}
            </button>
          )}
        </div>
        <FormError error={error} />
      </form>

      {conflict && (
        <div className="conflict" role="alert" data-testid="duplicate-refusal">
          <h2>{t("reg.new.conflictTitle")}</h2>
          <MatchCandidates candidates={withPersons(conflict.candidates, match.data?.candidates)} thresholds={match.data?.thresholds} />
          <div className="form-actions">
            <label className="check-row">
              <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
              {t("reg.new.confirm")}
            </label>
            <button
              type="button"
              className="primary"
              disabled={!confirmed || register.isPending}
              onClick={() => send(true)}
            >
              {t("reg.new.registerAnyway")}
            </button>
          </div>
        </div>
      )}

      {(match.isPending || match.data) && (
        <section aria-labelledby="candidates-title" className="match-results">
          <h2 id="candidates-title">{t("reg.new.candidates")}</h2>
          {match.isPending ? (
            <Loading />
          ) : match.data && match.data.candidates.length === 0 ? (
            <p className="state state-empty" data-testid="no-candidates">
              {t("reg.new.noCandidates")}
            </p>
          ) : (
            match.data && <MatchCandidates candidates={match.data.candidates} thresholds={match.data.thresholds} />
          )}
        </section>
      )}
    </section>
  );
}
