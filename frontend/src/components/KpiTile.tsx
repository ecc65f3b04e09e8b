import type { ReactNode } from "react";
import { Link } from "react-router-dom";

/** One figure with its caption; a link when `to` is given. Pending shows a dash. */
export function KpiTile({ label, value, to, hint }: { label: ReactNode; value: ReactNode | null; to?: string; hint?: ReactNode }) {
  const body = (
    <>
      <span className="kpi-value">{value ?? "—"}</span>
      <span className="kpi-label">{label}</span>
      {hint && <span className="kpi-hint muted">{hint}</span>}
    </>
  );
  return to ? (
    <Link to={to} className="kpi">
      {body}
    </Link>
  ) : (
    <div className="kpi">{body}</div>
  );
}
