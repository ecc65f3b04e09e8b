/** The five stages of a run as a strip: done, current (while running), still to come. */
import type { RunRead } from "./hooks";
import { stagesDone } from "./runView";
import { STAGE_CODES, codeTitle, useVerText } from "./texts";

export function StageStrip({ run }: { run: Pick<RunRead, "finished_stage" | "status" | "stage"> }) {
  const t = useVerText();
  const done = stagesDone(run);
  return (
    <ol className="ver-stages" aria-label={t("ver.start.stages")} data-testid="run-stages">
      {STAGE_CODES.map((code, i) => {
        const state = i < done ? "done" : run.status === "running" && i === done ? "current" : "todo";
        return (
          <li key={code} data-state={state} aria-current={state === "current" ? "step" : undefined}>
            {i < done ? "✓ " : ""}
            {codeTitle(t, "stage", code)}
          </li>
        );
      })}
    </ol>
  );
}
