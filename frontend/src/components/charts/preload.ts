/**
 * Loading Chart.js (the ChartCanvas chunk) on its own, without the chart components: a
 * route calls `preloadCharts()` as soon as it knows a dashboard comes, so the 63 kB gzip
 * chunk arrives while the page's own chunk and its data are still on their way.
 *
 * The module is kept once loaded so that charts render it at once. They do not use
 * React.lazy + Suspense for it: React 19 holds back the reveal of a Suspense boundary
 * until 300 ms after the last fallback was shown, which added ~300 ms before the charts
 * appeared even when the chunk was already there (docs/benchmarks.md, SPA).
 */
type ChartCanvasModule = typeof import("./ChartCanvas");

let loaded: ChartCanvasModule | undefined;
let loading: Promise<ChartCanvasModule> | undefined;

export function loadChartCanvas(): Promise<ChartCanvasModule> {
  loading ??= import("./ChartCanvas").then((m) => (loaded = m));
  return loading;
}

/** The module if it has arrived, else undefined (then `loadChartCanvas()` and wait). */
export function loadedChartCanvas(): ChartCanvasModule | undefined {
  return loaded;
}

export function preloadCharts(): void {
  void loadChartCanvas();
}
