import type { ReactNode } from "react";
import { useMe } from "./auth";
import { useI18n } from "./i18n";

/** Shows children only when the user holds one of `anyOf`; the server checks again anyway. */
export function RequirePermission({ anyOf, children }: { anyOf: readonly string[]; children: ReactNode }) {
  const me = useMe();
  const { t } = useI18n();
  if (!anyOf.some((p) => me.permissions.includes(p))) {
    return <div className="state state-error">{t("state.forbidden")}</div>;
  }
  return <>{children}</>;
}

export function NotFound() {
  const { t } = useI18n();
  return <div className="state state-empty">{t("state.notFound")}</div>;
}
