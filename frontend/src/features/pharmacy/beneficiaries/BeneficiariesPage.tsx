/**
 * /pharmacy/beneficiaries — the register of beneficiaries: search by name or SNILS (shown masked), filters by category,
 * funding source and state (in force today, refused in kind this year, from other regions), sorting and paging, all
 * kept in the URL; a row opens the beneficiary's card.
 */
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { useHasPermission } from "../../../app/auth";
import { formatDate } from "../../../app/format";
import { DataTable, Pager, type Column } from "../../../components/DataTable";
import { useListParams } from "../../../components/listParams";
import { EmptyState, ErrorState, Loading } from "../../../components/states";
import { useBeneficiaries, useCategories, type BeneficiarySummary } from "./hooks";
import { filtersFrom, fullName, isoDay, listQuery, type Filters } from "./shape";
import { useBeneficiaryText } from "./texts";
import "./beneficiaries.css";

const STATUSES = ["active", "refused", "other", "local"] as const;
const STATUS_TEXT = {
  active: "bn.status.active",
  refused: "bn.status.refused",
  other: "bn.status.otherRegion",
  local: "bn.status.local",
} as const;

export default function BeneficiariesPage() {
  const t = useBeneficiaryText();
  const can = useHasPermission();
  const { params, search, update } = useListParams({ limit: 25, sort: "surname" });
  const filters = filtersFrom(search);
  // what is typed in the search box, until the URL's q changes under it (reset, back button)
  const [draft, setDraft] = useState({ q: filters.q, text: filters.q });
  const typed = draft.q === filters.q ? draft.text : filters.q;
  const setTyped = (text: string) => setDraft({ q: filters.q, text });
  const categories = useCategories();
  const list = useBeneficiaries(listQuery(filters, isoDay(), params));
  const names = new Map((categories.data ?? []).map((c) => [c.code, c.name]));

  const setFilter = (key: keyof Filters, value: string) => update({ [key]: value, offset: null });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilter("q", typed.trim());
  };

  const columns: Column<BeneficiarySummary>[] = [
    {
      key: "name",
      header: t("bn.col.name"),
      sortField: "surname",
      cell: (b) => (
        <Link to={`/pharmacy/beneficiaries/${b.person_id ?? b.id}`}>{fullName(b) ?? <span className="muted">{t("bn.noName")}</span>}</Link>
      ),
    },
    { key: "birth", header: t("bn.col.birth"), sortField: "birth_date", cell: (b) => formatDate(b.birth_date) },
    { key: "snils", header: t("bn.col.snils"), cell: (b) => <code>{b.snils_masked ?? "—"}</code> },
    {
      key: "categories",
      header: t("bn.col.categories"),
      cell: (b) =>
        b.categories_on.length ? (
          b.categories_on.map((c) => (
            <abbr key={c} title={names.get(c) ?? c} className="tag">
              {c}
            </abbr>
          ))
        ) : (
          <span className="muted">—</span>
        ),
    },
    { key: "region", header: t("bn.col.region"), cell: (b) => b.home_region ?? "" },
  ];

  return (
    <section className="beneficiaries-page">
      <h1>{t("bn.title")}</h1>
      <p className="muted">{t("bn.intro")}</p>
      {can("pharmacy.beneficiary:write") && (
        <p>
          <Link to="/pharmacy/beneficiaries/federal-register">{t("bn.fr.link")}</Link>
        </p>
      )}
      <form className="toolbar" role="search" onSubmit={submit}>
        <label>
          {t("bn.search")}{" "}
          <input
            type="search"
            value={typed}
            placeholder={t("bn.search.hint")}
            onChange={(e) => setTyped(e.target.value)}
            onBlur={() => typed.trim() !== filters.q && setFilter("q", typed.trim())}
          />
        </label>
        <label>
          {t("bn.category")}{" "}
          <select value={filters.category} onChange={(e) => setFilter("category", e.target.value)}>
            <option value="">{t("bn.any")}</option>
            {(categories.data ?? []).map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} — {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("bn.funding")}{" "}
          <select value={filters.funding_source} onChange={(e) => setFilter("funding_source", e.target.value)}>
            <option value="">{t("bn.any")}</option>
            <option value="federal">{t("bn.funding.federal")}</option>
            <option value="regional">{t("bn.funding.regional")}</option>
          </select>
        </label>
        <label>
          {t("bn.status")}{" "}
          <select value={filters.status} onChange={(e) => setFilter("status", e.target.value)}>
            <option value="">{t("bn.any")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(STATUS_TEXT[s])}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => update({ q: null, category: null, funding_source: null, status: null, offset: null })}>
          {t("bn.reset")}
        </button>
      </form>
      {list.isPending ? (
        <Loading />
      ) : list.error || !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState>{t("bn.none")}</EmptyState>
      ) : (
        <>
          <DataTable
            columns={columns}
            rows={list.data.items}
            rowKey={(b) => b.id}
            sort={params.sort}
            onSort={(sort) => update({ sort, offset: null })}
            busy={list.isFetching}
            label={t("bn.title")}
          />
          <Pager
            total={list.data.total}
            limit={params.limit}
            offset={params.offset}
            onChange={(offset, limit) => update({ offset, limit })}
          />
        </>
      )}
    </section>
  );
}
