/** НСИ: the list of dictionaries with their versions in force. */
import { Link } from "react-router-dom";
import { formatDate, formatNumber } from "../../app/format";
import { DataTable, type Column } from "../../components/DataTable";
import { QueryState } from "../../components/states";
import { useDictionaries, type DictionaryRead } from "./hooks";
import { useNsiText } from "./messages";
import "./nsi.css";

export default function DictionariesPage() {
  const t = useNsiText();
  const query = useDictionaries();
  const columns: Column<DictionaryRead>[] = [
    {
      key: "name",
      header: t("nsi.name"),
      cell: (d) => (
        <>
          <Link to={`/nsi/${encodeURIComponent(d.code)}`}>{d.name}</Link>
          <br />
          <code className="muted">{d.code}</code>
        </>
      ),
    },
    { key: "identifier", header: t("nsi.identifier"), cell: (d) => (d.identifier ? <code>{d.identifier}</code> : "—") },
    { key: "owner", header: t("nsi.owner"), cell: (d) => d.owner },
    {
      key: "current",
      header: t("nsi.currentVersion"),
      cell: (d) =>
        d.current_version ? (
          <>
            {d.current_version.version}{" "}
            <span className="muted">
              {t("nsi.from")} {formatDate(d.current_version.valid_from)}
            </span>
          </>
        ) : (
          <span className="muted">{t("nsi.noVersion")}</span>
        ),
    },
    { key: "records", header: t("nsi.records"), align: "right", cell: (d) => formatNumber(d.record_count) },
    { key: "versions", header: t("nsi.versions"), align: "right", cell: (d) => formatNumber(d.version_count) },
  ];
  return (
    <section>
      <h1>{t("nsi.title")}</h1>
      <p className="muted">{t("nsi.subtitle")}</p>
      <QueryState query={query} isEmpty={(items) => items.length === 0} empty={t("nsi.noDictionaries")}>
        {(items) => <DataTable columns={columns} rows={items} rowKey={(d) => d.code} busy={query.isFetching} />}
      </QueryState>
    </section>
  );
}
