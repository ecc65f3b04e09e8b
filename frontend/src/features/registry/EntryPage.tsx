/** One entry of a dictionary on a date (or in a pinned version): its fields and attributes. */
import { Link, useParams, useSearchParams } from "react-router-dom";
import { formatDate } from "../../app/format";
import { QueryState } from "../../components/states";
import { useEntry, type EntryDetailQuery } from "./hooks";
import { useNsiText } from "./messages";
import { Crumbs } from "./Crumbs";
import "./nsi.css";

export function attributeText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export default function EntryPage() {
  const { code = "", entryCode = "" } = useParams();
  const [search] = useSearchParams();
  const t = useNsiText();
  const query: EntryDetailQuery = {};
  const on = search.get("on");
  const version = search.get("version");
  if (on) query.on = on;
  if (version) query.version = version;
  const entry = useEntry(code, entryCode, query);
  const keep = search.toString() ? `?${search}` : "";
  const base = `/nsi/${encodeURIComponent(code)}`;

  return (
    <section>
      <Crumbs>
        <Link to="/nsi">{t("nsi.back")}</Link>
        <Link to={`${base}${keep}`}>{code}</Link>
        <span>{entryCode}</span>
      </Crumbs>
      <QueryState query={entry}>
        {(e) => {
          const attributes = Object.entries(e.attributes);
          return (
            <>
              <h1>{t("nsi.entryTitle", { code: e.code })}</h1>
              <dl className="facts">
                <dt>{t("nsi.name")}</dt>
                <dd data-testid="entry-name">{e.name}</dd>
                {e.parent_code && (
                  <>
                    <dt>{t("nsi.parent")}</dt>
                    <dd>
                      <Link to={`${base}/entries/${encodeURIComponent(e.parent_code)}${keep}`}>{e.parent_code}</Link>
                    </dd>
                  </>
                )}
                <dt>{t("nsi.validFrom")}</dt>
                <dd>{formatDate(e.valid_from)}</dd>
                <dt>{t("nsi.validTo")}</dt>
                <dd>{formatDate(e.valid_to)}</dd>
                <dt>{t("nsi.version")}</dt>
                <dd>
                  {e.version.version} ({t("nsi.from")} {formatDate(e.version.valid_from)})
                </dd>
              </dl>
              <h2>{t("nsi.attributes")}</h2>
              {attributes.length === 0 ? (
                <p className="muted">{t("nsi.noAttributes")}</p>
              ) : (
                <div className="table-wrap attr-table">
                  <table className="data-table">
                    <thead>
                      <tr>
                        <th>{t("nsi.attribute")}</th>
                        <th>{t("nsi.value")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {attributes.map(([name, value]) => (
                        <tr key={name}>
                          <td>
                            <code>{name}</code>
                          </td>
                          <td>{attributeText(value)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
