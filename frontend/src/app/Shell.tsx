import { Suspense } from "react";
import { NavLink, Navigate, Outlet, useLocation } from "react-router-dom";
import { useAuth, useMe } from "./auth";
import { label, useI18n } from "./i18n";
import { roleLabels } from "./messages";
import { buildNavigation } from "./navigation";
import { LanguageSwitch } from "./LanguageSwitch";
import { Loading } from "../components/states";
import { ErrorBoundary } from "../components/ErrorBoundary";

/** Only for a logged-in user; otherwise to /login, remembering where they were going. */
export function RequireAuth() {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status !== "authenticated") {
    // After an expiry (or a deep link) the same user comes back to the same page; after a
    // logout the next user, maybe another one, starts at home.
    const from = state.endReason === "logout" ? undefined : location.pathname + location.search;
    return <Navigate to="/login" replace state={from ? { from } : null} />;
  }
  return <Shell />;
}

function Shell() {
  const me = useMe();
  const location = useLocation();
  const { logout } = useAuth();
  const { t, lang } = useI18n();
  const sections = buildNavigation(me.permissions);
  return (
    <div className="shell">
      <header className="topbar">
        <NavLink to="/" className="brand">
          {t("app.title")}
        </NavLink>
        <div className="org" data-testid="organization" title={me.organization.name}>
          {me.organization.name}
        </div>
        <div className="user">
          <span className="user-name">{me.full_name}</span>
          <span className="muted"> · {me.roles.map((r) => label(lang, roleLabels, r)).join(", ")}</span>
        </div>
        <LanguageSwitch />
        <button type="button" onClick={() => void logout()}>
          {t("shell.logout")}
        </button>
      </header>
      <nav className="sidebar" aria-label={t("shell.menu")} data-testid="menu">
        <NavLink to="/" end>
          {t("nav.home")}
        </NavLink>
        {sections.map((s) => (
          <div key={s.label} className="nav-section">
            <div className="nav-section-title">{t(s.label)}</div>
            {s.items.map((i) => (
              <NavLink key={i.to} to={i.to}>
                {t(i.label)}
              </NavLink>
            ))}
          </div>
        ))}
      </nav>
      <main className="content">
        <ErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}
