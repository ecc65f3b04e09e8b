/**
 * Differences between two versions of a dictionary: counts of added, removed and changed
 * entries (each a filter), then the rows with the changed fields' old and new values.
 * The URL holds `from`, `to`, `change` and the page.
 */
import { Link, useParams } from "react-router-dom";
import { formatNumber } from "../../app/format";
import { DataTable, Pager, type Column } from "../../components/DataTable";
import { useListParams } from "../../components/listParams";
import { EmptyState, QueryState } from "../../components/states";
import { fieldLabel, fieldValue, valueText } from "./diff";
import { useDictionary, useDiff, type DiffQuery, type DiffRow, type DiffStatus } from "./hooks";
import { useNsiText, type NsiKey } from "./messages";
import { Crumbs } from "./Crumbs";
import "./nsi.css";

const STATUSES: DiffStatus[] = ["added", "removed", "changed"];

export default function DiffPage() {
  const { code = "" } = useParams();
  const t = useNsiText();
  const { params, search, update } = useListParams({ limit: 25 });
  const dictionary = useDictionary(code);
  const from = search.get("from");
  const to = search.get("to");
  const change = search.get("change") as DiffStatus | null;
  const query: DiffQuery = { limit: params.limit, offset: params.offset };
  if (from) query.from = from;
  if (to) query.to = to;
  if (change && STATUSES.includes(change)) query.change = [change];
  const hasVersions = (dictionary.data?.versions.length ?? 0) > 0;
  const diff = useDiff(code, query, hasVersions);
  const base = `/nsi/${encodeURIComponent(code)}`;
  const labels: Record<string, string> = {
    name: t("nsi.name"),
    parent_code: t("nsi.parent"),
    valid_from: t("nsi.validFrom"),
    valid_to: t("nsi.validTo"),
  };
  const statusKey: Record<DiffStatus, NsiKey> = { added: "nsi.added", removed: "nsi.removed", changed: "nsi.changed" };

  const columns: Column<DiffRow>[] = [
    { key: "code", header: t("nsi.code"), cell: (r) => <code>{r.code}</code> },
    {
      key: "status",
      header: t("nsi.change"),
      cell: (r) => (
        <span className={`badge diff-${r.status}`} data-testid="diff-status">
          {t(statusKey[r.status])}
        </span>
      ),
    },
    { key: "name", header: t("nsi.name"), cell: (r) => (r.new ?? r.old)?.name ?? "—" },
    {
      key: "fields",
      header: `${t("nsi.before")} → ${t("nsi.after")}`,
      cell: (r) =>
        r.status === "changed" ? (
          <ul className="diff-fields">
            {r.changed_fields.map((f) => (
              <li key={f}>
                <code>{fieldLabel(f, labels)}</code>: <del>{valueText(fieldValue(r.old, f))}</del> → <ins>{valueText(fieldValue(r.new, f))}</ins>
              </li>
            ))}
          </ul>
        ) : null,
    },
  ];

  return (
    <section>
      <Crumbs>
        <Link to="/nsi">{t("nsi.back")}</Link>
        <Link to={base}>{code}</Link>
        <span>{t("nsi.diff")}</span>
      </Crumbs>
      <QueryState query={dictionary}>
        {(d) => (
          <>
            <h1>{t("nsi.diffTitle", { name: d.name })}</h1>
            {d.versions.length === 0 ? (
              <EmptyState>{t("nsi.needTwoVersions")}</EmptyState>
            ) : (
              <div className="toolbar">
                <label>
                  {t("nsi.diffFrom")}{" "}
                  <select value={from ?? ""} onChange={(e) => update({ from: e.target.value || null, offset: null })}>
                    <option value="">{t("nsi.diffDefault")}</option>
                    {d.versions.map((v) => (
                      <option key={v.id} value={v.version}>
                        {v.version}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t("nsi.diffTo")}{" "}
                  <select value={to ?? ""} onChange={(e) => update({ to: e.target.value || null, offset: null })}>
                    <option value="">{t("nsi.diffDefault")}</option>
                    {d.versions.map((v) => (
                      <option key={v.id} value={v.version}>
                        {v.version}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
            )}
          </>
        )}
      </QueryState>
      {hasVersions && (
        <QueryState query={diff}>
          {(page) => (
            <>
              <p className="muted" data-testid="diff-versions">
                {page.from_version?.version ?? t("nsi.diffEmptyFrom")} → {page.to_version.version}
              </p>
              <div className="diff-summary" role="group" aria-label={t("nsi.change")} data-testid="diff-summary">
                <button type="button" aria-pressed={!change} onClick={() => update({ change: null, offset: null })}>
                  <span>{t("nsi.allChanges")}</span>
                  <span className="count">{formatNumber(page.summary.added + page.summary.removed + page.summary.changed)}</span>
                </button>
                {STATUSES.map((s) => (
                  <button
                    key={s}
                    type="button"
                    className={`diff-${s}`}
                    aria-pressed={change === s}
                    data-testid={`diff-count-${s}`}
                    onClick={() => update({ change: s, offset: null })}
                  >
                    <span>{t(statusKey[s])}</span>
                    <span className="count">{formatNumber(page.summary[s])}</span>
                  </button>
                ))}
                <div className="muted" style={{ alignSelf: "center" }}>
                  {t("nsi.unchanged")}: {formatNumber(page.summary.unchanged)}
                </div>
              </div>
              {page.total === 0 ? (
                <EmptyState>{t("nsi.noDifferences")}</EmptyState>
              ) : (
                <>
                  <DataTable columns={columns} rows={page.items} rowKey={(r) => `${r.status}:${r.code}`} busy={diff.isFetching} />
                  <Pager total={page.total} limit={page.limit} offset={page.offset} onChange={(offset, limit) => update({ offset, limit })} />
                </>
              )}
            </>
          )}
        </QueryState>
      )}
    </section>
  );
}
