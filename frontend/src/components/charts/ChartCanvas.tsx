/**
 * The one place that imports Chart.js (tree-shaken: only the controllers used here). Loaded
 * lazily by charts.tsx, so Chart.js is its own chunk and never in the initial bundle.
 */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PieController,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";
import { useEffect, useRef } from "react";
import { formatNumber } from "../../app/format";
import { colorAt, type Datum, type Series } from "./data";

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PieController,
  PointElement,
  Tooltip,
);

export type ChartKind = "bar" | "line" | "pie";

export interface ChartCanvasProps {
  kind: ChartKind;
  labels: string[];
  series: Series[];
  horizontal?: boolean;
  format?: (v: number) => string;
}

function config({ kind, labels, series, horizontal, format }: ChartCanvasProps): ChartConfiguration {
  const fmt = format ?? ((v: number) => formatNumber(v));
  const tooltip = {
    callbacks: {
      label: (ctx: { dataset: { label?: string }; parsed: number | { x: number; y: number } }) => {
        const p = ctx.parsed;
        const v = typeof p === "number" ? p : horizontal ? p.x : p.y;
        return `${ctx.dataset.label ? ctx.dataset.label + ": " : ""}${fmt(v)}`;
      },
    },
  };
  if (kind === "pie") {
    return {
      type: "pie",
      data: {
        labels,
        datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: labels.map((_, i) => colorAt(i)) })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "ru-RU",
        // The legend is HTML beside the canvas (charts.tsx): full labels, wrapped.
        plugins: { legend: { display: false }, tooltip },
      },
    };
  }
  const valueAxis = { beginAtZero: true, ticks: { callback: (v: string | number) => fmt(Number(v)), precision: 0 } };
  return {
    type: kind,
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.values,
        backgroundColor: colorAt(i),
        borderColor: colorAt(i),
        tension: 0.2,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: "ru-RU",
      indexAxis: horizontal ? "y" : "x",
      scales: horizontal ? { x: valueAxis } : { y: valueAxis },
      plugins: { legend: { display: series.length > 1 }, tooltip },
    },
  };
}

export default function ChartCanvas(props: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const key = JSON.stringify([props.kind, props.labels, props.series, props.horizontal]);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config(props));
    return () => chart.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  // The figure around carries the accessible name and the data table.
  return <canvas ref={canvas} aria-hidden="true" data-chart={props.kind} />;
}

export type { Datum, Series };
