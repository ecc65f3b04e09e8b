import { lazy, Suspense } from "react";
import { Link } from "react-router-dom";
import { useMe } from "./auth";
import { label, useI18n } from "./i18n";
import { organizationKindLabels, roleDescriptions, roleLabels } from "./messages";
import { navigationItems } from "./navigation";
import { Loading } from "../components/states";
import { DashboardHome } from "../features/dashboard/home";

// In the admin chunk, so other roles never load it.
const AdminSummary = lazy(() => import("../features/admin/AdminSummary"));

/** The first page after login: who, where, and the sections the roles open. */
export function HomePage() {
  const me = useMe();
  const { t, lang } = useI18n();
  const items = navigationItems(me);
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
      {me.roles
        .filter((r) => roleDescriptions[r])
        .map((r) => (
          <p key={r} className="role-description">
            {label(lang, roleDescriptions, r)}
          </p>
        ))}
      {me.permissions.includes("gateway.organization:write") && (
        <Suspense fallback={<Loading />}>
          <AdminSummary />
        </Suspense>
      )}
      <DashboardHome />
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
