/** A labelled progress bar: determinate with a percent, or indeterminate when the total is unknown. */
import type { ReactNode } from "react";
import "./jobs.css";

export function ProgressBar({
  percent,
  label,
  detail,
  testId,
}: {
  /** 0–100, or null for "working, total unknown". */
  percent: number | null;
  label: string;
  detail?: ReactNode;
  testId?: string;
}) {
  const value = percent === null ? null : Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div className="progress-row">
      <div
        className={value === null ? "progress progress-indeterminate" : "progress"}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value ?? undefined}
        aria-valuetext={value === null ? undefined : `${value}%`}
        data-testid={testId}
      >
        <div className="progress-fill" style={value === null ? undefined : { width: `${value}%` }} />
      </div>
      <span className="progress-text" aria-hidden="true">
        {value === null ? "…" : `${value}%`}
      </span>
      {detail && <span className="progress-detail muted">{detail}</span>}
    </div>
  );
}
