import type { ReactNode } from "react";
import { useMe } from "./auth";
import { useI18n } from "./i18n";
import { shown } from "./navigation";
import type { Audience } from "../features/registry/sections";

/**
 * Shows children only when the user holds one of `anyOf` (and is of the `audience`, as the
 * menu decides: app/navigation.ts `shown`); the server checks again anyway.
 */
export function RequirePermission({ anyOf, audience, children }: { anyOf: readonly string[]; audience?: Audience; children: ReactNode }) {
  const me = useMe();
  const { t } = useI18n();
  if (!shown({ anyOf, audience }, me)) {
    return <div className="state state-error">{t("state.forbidden")}</div>;
  }
  return <>{children}</>;
}

export function NotFound() {
  const { t } = useI18n();
  return <div className="state state-empty">{t("state.notFound")}</div>;
}
