import { Link } from "react-router-dom";
import { useMe } from "./auth";
import { label, useI18n } from "./i18n";
import { organizationKindLabels, roleLabels } from "./messages";
import { navigationItems } from "./navigation";

/** The first page after login: who, where, and the sections the roles open. */
export function HomePage() {
  const me = useMe();
  const { t, lang } = useI18n();
  const items = navigationItems(me.permissions);
  return (
    <section>
      <h1>
        {t("home.greeting")}, {me.full_name}
      </h1>
      <dl className="facts">
        <dt>{t("home.organization")}</dt>
        <dd>
          {me.organization.name}{" "}
          <span className="muted">({label(lang, organizationKindLabels, me.organization.kind)})</span>
        </dd>
        <dt>{t("home.roles")}</dt>
        <dd>{me.roles.map((r) => label(lang, roleLabels, r)).join(", ")}</dd>
      </dl>
      <h2>{t("home.sections")}</h2>
      {items.length === 0 ? (
        <p className="muted">{t("home.noSections")}</p>
      ) : (
        <ul className="tiles">
          {items.map((i) => (
            <li key={i.to}>
              <Link to={i.to} className="tile">
                {t(i.label)}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
