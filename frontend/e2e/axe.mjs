// axe-core in the page under test: its source is injected as a script (nothing is fetched),
// then run on the whole document. Violations of impact "serious" or "critical" fail.
import { appendFile, readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

/**
 * Runs axe on the page; throws listing each serious/critical violation with its first
 * targets. Every finding (any impact) is also appended to `report` (JSON lines) when given.
 */
export async function assertAccessible(page, where, report = process.env.OMS_E2E_AXE_REPORT) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    // WCAG 2.1 A/AA plus the best-practice rules (landmarks, one main, headings).
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  if (report) await appendFile(report, JSON.stringify({ where, url: page.url(), violations }) + "\n");
  const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of violations.filter((x) => !blocking.includes(x))) {
    console.log(`    axe (${where}, ${v.impact}): ${v.id} — ${v.help} @ ${v.targets.join(", ")}`);
  }
  if (blocking.length > 0) {
    const lines = blocking.map((v) => `  ${v.impact} ${v.id}: ${v.help} @ ${v.targets.join(", ")}`);
    throw new Error(`accessibility violations on ${where}:\n${lines.join("\n")}`);
  }
  return violations.length;
}
