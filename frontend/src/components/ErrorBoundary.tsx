/**
 * Catches a page that throws while rendering — or a lazy chunk that no longer exists on
 * the server after a new deployment — so the shell and its menu stay usable.
 */
import { Component, type ReactNode } from "react";
import { useI18n } from "../app/i18n";

interface Props {
  children: ReactNode;
  /** Changing it (the location) clears the error: navigating away recovers. */
  resetKey: string;
}

export class ErrorBoundary extends Component<Props, { error: unknown; key: string }> {
  override state = { error: null as unknown, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { error: unknown; key: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  override componentDidCatch(error: unknown) {
    console.error(error);
  }

  override render() {
    return this.state.error ? <Crashed error={this.state.error} /> : this.props.children;
  }
}

function Crashed({ error }: { error: unknown }) {
  const { t } = useI18n();
  return (
    <div className="state state-error" role="alert">
      <strong>{t("state.crashed")}</strong>
      <p className="muted">{error instanceof Error ? error.message : String(error)}</p>
      <button type="button" onClick={() => window.location.reload()}>
        {t("state.reload")}
      </button>
    </div>
  );
}
