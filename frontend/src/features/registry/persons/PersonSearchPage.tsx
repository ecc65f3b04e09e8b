/**
 * Search in the register: one way at a time (name with birth date, SNILS, ENP, policy or
 * document), the search and the page in the URL, results server-paged. Each hit opens the
 * person's card; "find before registering" leads to the match and registration page.
 */
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { formatDate, formatNumber } from "../../../app/format";
import { DataTable, Pager, type Column } from "../../../components/DataTable";
import { Field } from "../../../components/Form";
import { useListParams } from "../../../components/listParams";
import { QueryState } from "../../../components/states";
import { onlyFieldErrors, queryErrorsAsBody } from "../problems";
import { useRegistryText, type RegistryKey } from "../texts";
import { formatSnils, fullName } from "./format";
import { usePersonSearch, type PersonSummary } from "./hooks";
import { DocumentFields, EnpField, NameFields, SnilsField, type DocumentKeys } from "./PersonFields";
import { apiQuery, modeOf, MODE_FIELDS, SEARCH_MODES, urlChanges, valuesOf, type SearchField, type SearchMode, type SearchValues } from "./searchQuery";
import "../registry.css";

export default function PersonSearchPage() {
  const t = useRegistryText();
  const { params, search, update } = useListParams({ limit: 25 });
  const query = apiQuery(search, params);
  const results = usePersonSearch(query);
  const mode = modeOf(search);
  const values = valuesOf(search);
  const formKey = JSON.stringify([mode, values]);

  const columns: Column<PersonSummary>[] = [
    { key: "oip", header: t("reg.f.oip"), cell: (p) => <code>{p.oip}</code> },
    {
      key: "name",
      header: t("reg.f.fullName"),
      cell: (p) => (
        <Link to={`/registry/persons/${p.id}`} data-testid="person-link">
          {fullName(p)}
        </Link>
      ),
    },
    {
      key: "birth",
      header: t("reg.f.birthDate"),
      cell: (p) => (
        <>
          {formatDate(p.birth_date)}
          {p.birth_date_swapped && (
            <span className="chip chip-warn" title={t("reg.search.swapped")}>
              {" "}
              ⇄ <span className="visually-hidden">{t("reg.search.swapped")}</span>
            </span>
          )}
        </>
      ),
    },
    { key: "sex", header: t("reg.f.sex"), cell: (p) => t(`reg.sex.${p.sex}`) },
    { key: "snils", header: t("reg.f.snils"), cell: (p) => formatSnils(p.snils) },
    { key: "enp", header: t("reg.f.enp"), cell: (p) => p.enp ?? "—" },
    { key: "death", header: t("reg.f.deathDate"), cell: (p) => formatDate(p.death_date) },
    {
      key: "score",
      header: t("reg.f.score"),
      align: "right",
      cell: (p) => (p.score == null ? "—" : `${formatNumber(p.score * 100)} %`),
    },
  ];

  return (
    <section>
      <div className="page-head">
        <h1>{t("reg.search.title")}</h1>
        <Link to="/registry/persons/new">{t("reg.search.toMatch")}</Link>
      </div>
      <SearchForm
        key={formKey}
        initialMode={mode}
        initialValues={values}
        error={query ? queryErrorsAsBody(results.error) : null}
        onSearch={(m, v) => update(urlChanges(m, v))}
        onReset={() => update(urlChanges(mode, { ...values, ...Object.fromEntries(MODE_FIELDS[mode].map((f) => [f, ""])) }))}
      />
      {query === null || onlyFieldErrors(results.error, "query.") ? (
        <p className="muted">{t("reg.search.prompt")}</p>
      ) : (
        <QueryState query={results} isEmpty={(p) => p.total === 0} empty={t("reg.search.none")}>
          {(page) => (
            <>
              {page.items.some((p) => p.birth_date_swapped) && <p className="notice notice-warn">{t("reg.search.swapped")}</p>}
              <DataTable columns={columns} rows={page.items} rowKey={(p) => p.id} busy={results.isFetching} label={t("reg.search.results")} />
              <Pager total={page.total} limit={page.limit} offset={page.offset} onChange={(offset, limit) => update({ offset, limit })} />
            </>
          )}
        </QueryState>
      )}
    </section>
  );
}

const MODE_LABEL: Record<SearchMode, RegistryKey> = {
  name: "reg.search.mode.name",
  snils: "reg.search.mode.snils",
  enp: "reg.search.mode.enp",
  policy: "reg.search.mode.policy",
  document: "reg.search.mode.document",
};

const DOCUMENT_KEYS: DocumentKeys<SearchField> = { type: "document_type", series: "document_series", number: "document_number" };

function SearchForm({
  initialMode,
  initialValues,
  error,
  onSearch,
  onReset,
}: {
  initialMode: SearchMode;
  initialValues: SearchValues;
  error: unknown;
  onSearch: (mode: SearchMode, values: SearchValues) => void;
  onReset: () => void;
}) {
  const t = useRegistryText();
  const [mode, setMode] = useState(initialMode);
  const [values, setValues] = useState(initialValues);
  const set = (field: keyof SearchValues) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(mode, values);
  };
  return (
    <form className="stack-form search-form" role="search" onSubmit={submit} noValidate aria-label={t("reg.search.title")}>
      <fieldset className="fieldset">
        <legend>{t("reg.search.how")}</legend>
        <div className="mode-switch">
          {SEARCH_MODES.map((m) => (
            <label key={m}>
              <input type="radio" name="search-mode" value={m} checked={mode === m} onChange={() => setMode(m)} /> {t(MODE_LABEL[m])}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-grid">
        {mode === "name" && <NameFields values={values} set={set} error={error} surnameHint={t("reg.search.nameHint")} />}
        {mode === "snils" && <SnilsField values={values} set={set} error={error} />}
        {mode === "enp" && <EnpField values={values} set={set} error={error} />}
        {mode === "policy" && (
          <Field label={t("reg.f.policy")} name="policy" error={error}>
            <input value={values.policy} onChange={set("policy")} autoComplete="off" />
          </Field>
        )}
        {mode === "document" && <DocumentFields keys={DOCUMENT_KEYS} values={values} set={set} error={error} />}
      </div>
      <div className="form-actions">
        <button type="submit" className="primary">
          {t("reg.search.submit")}
        </button>
        <button type="button" onClick={onReset}>
          {t("reg.search.reset")}
        </button>
      </div>
    </form>
  );
}
