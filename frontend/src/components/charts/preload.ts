/**
 * Loading Chart.js (the ChartCanvas chunk) on its own, without the chart components: a
 * route calls it as soon as it knows a dashboard comes, so the 63 kB gzip chunk arrives
 * while the page's own chunk and its data are still on their way.
 */
export const loadChartCanvas = () => import("./ChartCanvas");

export function preloadCharts(): void {
  void loadChartCanvas();
}
