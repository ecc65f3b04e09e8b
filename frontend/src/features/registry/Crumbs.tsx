/** A breadcrumb trail; the separators are hidden from screen readers (not part of link names). */
import { Children, Fragment, type ReactNode } from "react";

export function Crumbs({ children, label }: { children: ReactNode; label?: string }) {
  const items = Children.toArray(children).filter(Boolean);
  return (
    <nav className="crumbs" aria-label={label ?? "Навигация"}>
      {items.map((item, i) => (
        <Fragment key={i}>
          {i > 0 && (
            <span className="crumb-sep" aria-hidden="true">
              ›
            </span>
          )}
          {item}
        </Fragment>
      ))}
    </nav>
  );
}
