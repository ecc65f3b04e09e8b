/**
 * Entries of a dictionary, server-paged, with the state in the URL: `on` (the date the
 * entries must be in force; the server's default is today), `version` (a pinned version),
 * `q` (code prefix or part of the name) and `parent` (children of one entry).
 */
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { formatDate } from "../../app/format";
import { DataTable, Pager, type Column } from "../../components/DataTable";
import { useListParams } from "../../components/listParams";
import { QueryState } from "../../components/states";
import { useEntries, useEntry, type EntryQuery, type EntryRead } from "./hooks";
import { Crumbs } from "./Crumbs";
import { useNsiText } from "./messages";

/** Today as `yyyy-MM-dd` in local time (what <input type="date"> holds). */
export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function EntriesSection({ code, hierarchical }: { code: string; hierarchical: boolean }) {
  const t = useNsiText();
  const { params, search, update } = useListParams({ limit: 25 });
  const on = search.get("on");
  const version = search.get("version");
  const q = search.get("q");
  const parent = search.get("parent");

  const query: EntryQuery = { limit: params.limit, offset: params.offset };
  if (on) query.on = on;
  if (version) query.version = version;
  if (q) query.q = q;
  if (parent) query.parent = parent;
  const entries = useEntries(code, query);
  const parentEntry = useEntry(code, parent, { ...(on ? { on } : {}), ...(version ? { version } : {}) });
  const base = `/nsi/${encodeURIComponent(code)}`;
  const entryLink = (entry: string) => {
    const keep = new URLSearchParams();
    if (on) keep.set("on", on);
    if (version) keep.set("version", version);
    const suffix = keep.size ? `?${keep}` : "";
    return `${base}/entries/${encodeURIComponent(entry)}${suffix}`;
  };

  const columns: Column<EntryRead>[] = [
    { key: "code", header: t("nsi.code"), cell: (e) => <Link to={entryLink(e.code)}>{e.code}</Link> },
    { key: "name", header: t("nsi.name"), cell: (e) => e.name },
    ...(hierarchical
      ? [
          {
            key: "parent",
            header: t("nsi.parent"),
            cell: (e: EntryRead) => (e.parent_code ? <Link to={entryLink(e.parent_code)}>{e.parent_code}</Link> : "—"),
          },
        ]
      : []),
    { key: "from", header: t("nsi.validFrom"), cell: (e) => formatDate(e.valid_from) },
    { key: "to", header: t("nsi.validTo"), cell: (e) => formatDate(e.valid_to) },
    ...(hierarchical
      ? [
          {
            key: "children",
            header: "",
            cell: (e: EntryRead) => (
              <button type="button" className="link" onClick={() => update({ parent: e.code, q: null, offset: null })}>
                {t("nsi.children")}
              </button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <h2>{t("nsi.entriesTitle")}</h2>
      <div className="toolbar">
        <label>
          {t("nsi.onDate")}{" "}
          <input
            type="date"
            value={on ?? todayIso()}
            onChange={(e) => update({ on: e.target.value || null, version: null, offset: null })}
          />
        </label>
        <SearchForm
          key={q ?? ""}
          initial={q ?? ""}
          canReset={Boolean(q || on || version || parent)}
          onSearch={(text) => update({ q: text || null, offset: null })}
          onReset={() => update({ q: null, on: null, version: null, parent: null, offset: null })}
        />
      </div>
      {parent && (
        <Crumbs label={t("nsi.childrenOf", { code: parent })}>
          <button type="button" className="link" onClick={() => update({ parent: null, offset: null })}>
            {t("nsi.allEntries")}
          </button>
          {parentEntry.data?.parent_code && (
            <button type="button" className="link" onClick={() => update({ parent: parentEntry.data?.parent_code ?? null, offset: null })}>
              {t("nsi.levelUp")} ({parentEntry.data.parent_code})
            </button>
          )}
          <span>
            {t("nsi.childrenOf", { code: parent })}
            {parentEntry.data ? ` — ${parentEntry.data.name}` : ""}
          </span>
        </Crumbs>
      )}
      <QueryState query={entries}>
        {(page) => (
          <>
            <p className="muted" data-testid="entries-version">
              {version
                ? t("nsi.pinnedVersion", { version: page.version.version })
                : t("nsi.versionOnDate", { version: page.version.version, date: formatDate(page.version.valid_from) })}
              {version && (
                <>
                  {" · "}
                  <button type="button" className="link" onClick={() => update({ version: null, offset: null })}>
                    {t("nsi.allVersionsLink")}
                  </button>
                </>
              )}
            </p>
            {page.total === 0 ? (
              <p className="state state-empty">{t("nsi.noEntries")}</p>
            ) : (
              <>
                <DataTable columns={columns} rows={page.items} rowKey={(e) => e.code} busy={entries.isFetching} />
                <Pager total={page.total} limit={page.limit} offset={page.offset} onChange={(offset, limit) => update({ offset, limit })} />
              </>
            )}
          </>
        )}
      </QueryState>
    </>
  );
}

/** The search box; remounted (key) when the URL's `q` changes, so it shows what is searched. */
function SearchForm({
  initial,
  canReset,
  onSearch,
  onReset,
}: {
  initial: string;
  canReset: boolean;
  onSearch: (text: string) => void;
  onReset: () => void;
}) {
  const t = useNsiText();
  const [typed, setTyped] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(typed.trim());
  };
  return (
    <form onSubmit={submit} className="toolbar" role="search">
      <label>
        {t("nsi.search")} <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </label>
      <button type="submit">{t("nsi.find")}</button>
      {canReset && (
        <button type="button" onClick={onReset}>
          {t("nsi.reset")}
        </button>
      )}
    </form>
  );
}
