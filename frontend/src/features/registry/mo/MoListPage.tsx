/** The MO register: medical organizations by name or code and territory, server-paged. */
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { PagedTable, type Column } from "../../../components/DataTable";
import { useListParams } from "../../../components/listParams";
import { useRegistryText } from "../texts";
import { useMos, useTerritories, type MoQuery, type MoSummary } from "./hooks";
import "../registry.css";

export default function MoListPage() {
  const t = useRegistryText();
  const { params, search, update } = useListParams({ limit: 25 });
  const q = search.get("q");
  const territory = search.get("territory");
  const query: MoQuery = { limit: params.limit, offset: params.offset };
  if (q) query.q = q;
  if (territory) query.territory_id = territory;
  const mos = useMos(query);
  const territories = useTerritories();

  const columns: Column<MoSummary>[] = [
    {
      key: "name",
      header: t("reg.mo.name"),
      cell: (m) => (
        <Link to={`/registry/mo/${m.id}`} data-testid="mo-link">
          {m.name}
        </Link>
      ),
    },
    { key: "code", header: t("reg.mo.code"), cell: (m) => (m.code ? <code>{m.code}</code> : "—") },
    { key: "territory", header: t("reg.mo.territory"), cell: (m) => m.territory?.name ?? "—" },
    {
      key: "need",
      header: <span className="visually-hidden">{t("reg.need.title")}</span>,
      cell: (m) => (
        <Link to={`/registry/equipment-need?mo=${m.id}`}>
          {t("reg.need.title")}
          <span className="visually-hidden">: {m.name}</span>
        </Link>
      ),
    },
  ];

  return (
    <section>
      <h1>{t("reg.mo.title")}</h1>
      <div className="toolbar">
        <SearchBox key={q ?? ""} initial={q ?? ""} onSearch={(text) => update({ q: text || null, offset: null })} />
        <label>
          {t("reg.mo.territory")}{" "}
          <select value={territory ?? ""} onChange={(e) => update({ territory: e.target.value || null, offset: null })}>
            <option value="">{t("reg.mo.allTerritories")}</option>
            {territories.data?.items.map((tr) => (
              <option key={tr.id} value={tr.id}>
                {tr.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PagedTable query={mos} columns={columns} rowKey={(m) => m.id} params={params} update={update} label={t("reg.mo.title")} empty={t("reg.mo.none")} />
    </section>
  );
}

function SearchBox({ initial, onSearch }: { initial: string; onSearch: (text: string) => void }) {
  const t = useRegistryText();
  const [typed, setTyped] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(typed.trim());
  };
  return (
    <form role="search" className="toolbar" onSubmit={submit}>
      <label>
        {t("reg.mo.search")} <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </label>
      <button type="submit">{t("reg.search.submit")}</button>
    </form>
  );
}
