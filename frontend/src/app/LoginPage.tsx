import { useState, type FormEvent } from "react";
import { Navigate, useLocation } from "react-router-dom";
import { ApiProblem } from "../api/problem";
import { useAuth } from "./auth";
import { useI18n } from "./i18n";
import { LanguageSwitch } from "./LanguageSwitch";

export function LoginPage() {
  const { state, login } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  const [form, setForm] = useState({ login: "", password: "" });
  const [error, setError] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const from = (location.state as { from?: string } | null)?.from ?? "/";
  if (state.status === "authenticated") return <Navigate to={from} replace />;

  const notice =
    state.endReason === "expired" ? t("login.expired") : state.endReason === "logout" ? t("login.loggedOut") : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(form.login.trim(), form.password);
    } catch (e) {
      setError(e instanceof ApiProblem ? e : new ApiProblem({ status: 0, title: String(e) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} noValidate>
        <div className="login-head">
          <h1>{t("app.title")}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t("login.subtitle")}</p>
        <h2>{t("login.title")}</h2>
        {notice && !error && (
          <p className={state.endReason === "expired" ? "notice notice-warn" : "notice"} role="status">
            {notice}
          </p>
        )}
        {error && (
          <p className="notice notice-error" role="alert">
            {error.title}
            {error.detail ? `. ${error.detail}` : ""}
            {error.retryAfter !== null ? ` ${t("login.retryAfter", { seconds: error.retryAfter })}` : ""}
          </p>
        )}
        <label>
          {t("login.login")}
          <input
            name="login"
            autoComplete="username"
            required
            value={form.login}
            onChange={(e) => setForm({ ...form, login: e.target.value })}
          />
        </label>
        <label>
          {t("login.password")}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </label>
        <button type="submit" className="primary" disabled={busy || !form.login || !form.password}>
          {busy ? t("login.submitting") : t("login.submit")}
        </button>
      </form>
    </main>
  );
}
