/** One dictionary: its passport, versions (dates, counts) and entries on a date. */
import { Link, useParams } from "react-router-dom";
import { useHasPermission } from "../../app/auth";
import { formatDate, formatDateTime, formatNumber } from "../../app/format";
import { DataTable, type Column } from "../../components/DataTable";
import { EmptyState, QueryState } from "../../components/states";
import { EntriesSection } from "./EntriesSection";
import { useDictionary, type VersionRead } from "./hooks";
import { useNsiText } from "./messages";
import { Crumbs } from "./Crumbs";
import "./nsi.css";

export default function DictionaryPage() {
  const { code = "" } = useParams();
  const t = useNsiText();
  const can = useHasPermission();
  const query = useDictionary(code);
  const base = `/nsi/${encodeURIComponent(code)}`;

  const versionColumns: Column<VersionRead>[] = [
    { key: "version", header: t("nsi.version"), cell: (v) => <strong>{v.version}</strong> },
    { key: "from", header: t("nsi.validFrom"), cell: (v) => formatDate(v.valid_from) },
    { key: "records", header: t("nsi.records"), align: "right", cell: (v) => formatNumber(v.record_count) },
    { key: "imported", header: t("nsi.importedAt"), cell: (v) => formatDateTime(v.imported_at) },
    { key: "source", header: t("nsi.source"), cell: (v) => v.source_name ?? "—" },
    {
      key: "links",
      header: "",
      cell: (v) => (
        <span className="nsi-links">
          <Link to={`${base}?version=${encodeURIComponent(v.version)}`}>{t("nsi.showEntries")}</Link>
          {" · "}
          <Link to={`${base}/diff?to=${encodeURIComponent(v.version)}`}>{t("nsi.showDiff")}</Link>
        </span>
      ),
    },
  ];

  return (
    <section>
      <Crumbs>
        <Link to="/nsi">{t("nsi.back")}</Link>
        <span>{code}</span>
      </Crumbs>
      <QueryState query={query}>
        {(d) => (
          <>
            <div className="nsi-head">
              <h1>{d.name}</h1>
              <div className="actions">
                {d.versions.length > 0 && <Link to={`${base}/diff`}>{t("nsi.diff")}</Link>}
                {can("registry.nsi:write") && (
                  <Link to={`${base}/import`} className="primary">
                    {t("nsi.import")}
                  </Link>
                )}
              </div>
            </div>
            <dl className="facts">
              <dt>{t("nsi.code")}</dt>
              <dd>
                <code>{d.code}</code>
              </dd>
              {d.identifier && (
                <>
                  <dt>{t("nsi.identifier")}</dt>
                  <dd>
                    <code>{d.identifier}</code>
                  </dd>
                </>
              )}
              <dt>{t("nsi.owner")}</dt>
              <dd>{d.owner}</dd>
              <dt>{t("nsi.currentVersion")}</dt>
              <dd data-testid="current-version">
                {d.current_version ? `${d.current_version.version} (${t("nsi.from")} ${formatDate(d.current_version.valid_from)})` : t("nsi.noVersion")}
              </dd>
            </dl>
            {d.description && <p className="nsi-description muted">{d.description}</p>}
            <h2>{t("nsi.versionsTitle")}</h2>
            {d.versions.length === 0 ? (
              <EmptyState>{t("nsi.noVersions")}</EmptyState>
            ) : (
              <DataTable columns={versionColumns} rows={d.versions} rowKey={(v) => v.id} />
            )}
            {d.versions.length > 0 && <EntriesSection code={d.code} hierarchical={d.columns.parent != null} />}
          </>
        )}
      </QueryState>
    </section>
  );
}
