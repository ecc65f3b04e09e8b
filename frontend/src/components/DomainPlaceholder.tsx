/** The page of a domain whose screens are not built yet: says so, and lists the user's permissions there. */
import { useMe } from "../app/auth";
import { useI18n } from "../app/i18n";
import type { MessageKey } from "../app/messages";
import { domainPermissions } from "../app/navigation";

export function DomainPlaceholder({ domain, title }: { domain: string; title: MessageKey }) {
  const me = useMe();
  const { t } = useI18n();
  const perms = domainPermissions(domain, me.permissions);
  return (
    <section>
      <h1>{t(title)}</h1>
      <p className="muted">{t("state.wip")}</p>
      <ul className="perm-list">
        {perms.map((p) => (
          <li key={p}>
            <code>{p}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
