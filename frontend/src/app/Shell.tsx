import { Suspense } from "react";
import "./app.css";
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
  const sections = buildNavigation(me);
  return (
    <div className="shell">
      {/* The first stop of the Tab key: past the top bar and the menu, straight to the page. */}
      <a
        href="#content"
        className="skip-link"
        onClick={(e) => {
          e.preventDefault(); // no "#content" in the router's URL
          document.getElementById("content")?.focus();
        }}
      >
        {t("shell.skipToContent")}
      </a>
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
        <button type="button" onClick={logout}>
          {t("shell.logout")}
        </button>
      </header>
      <nav className="sidebar" aria-label={t("shell.menu")} data-testid="menu">
        {/* NavLink marks the open page's item with aria-current="page". */}
        <NavLink to="/" end>
          {t("nav.home")}
        </NavLink>
        {sections.map((s) => (
          <div key={s.label} className="nav-section">
            <div id={`nav-${s.label}`} className="nav-section-title">
              {t(s.label)}
            </div>
            <ul aria-labelledby={`nav-${s.label}`}>
              {s.items.map((i) => (
                <li key={i.to}>
                  <NavLink to={i.to}>{t(i.label)}</NavLink>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      {/* tabIndex -1: the skip link moves focus here, so the next Tab starts inside the page. */}
      <main className="content" id="content" tabIndex={-1}>
        <ErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}
