/**
 * Charts for dashboards. Each is a <figure> with a visible title, an aria-label summary and
 * a visually hidden data table (screen readers read the numbers, not the canvas). The
 * drawing is Chart.js in a lazily loaded chunk (ChartCanvas, see preload.ts); HeatMap is plain SVG.
 * Numbers go through app/format (Russian grouping with no-break spaces).
 */
import { useEffect, useState, type ReactNode } from "react";
import { formatNumber } from "../../app/format";
import { KpiTile } from "../KpiTile";
import "./charts.css";
import type { ChartCanvasProps } from "./ChartCanvas";
import { loadChartCanvas, loadedChartCanvas, preloadCharts } from "./preload";
import { colorAt, extent, heatLevel, legendItems, shares, summarize, type Datum, type Series } from "./data";

export { preloadCharts };

/** The Chart.js canvas once its chunk is there (at once when preloaded), a grey box until then. */
function ChartCanvas(props: ChartCanvasProps) {
  const [module, setModule] = useState(loadedChartCanvas);
  useEffect(() => {
    if (module) return;
    let live = true;
    void loadChartCanvas().then((m) => live && setModule(m));
    return () => {
      live = false;
    };
  }, [module]);
  if (!module) return <div className="chart-loading" aria-hidden="true" />;
  const Canvas = module.default;
  return <Canvas {...props} />;
}

export { KpiTile };
export type { Datum, Series };

type Format = (v: number) => string;
const defaultFormat: Format = (v) => formatNumber(v);

function figureClass(wide?: boolean) {
  return wide ? "chart chart-wide" : "chart";
}

function ChartFigure({
  title,
  summary,
  height,
  table,
  children,
  testId,
  wide,
  aside,
  note,
}: {
  title: string;
  summary: string;
  height: number;
  table: ReactNode;
  children: ReactNode;
  testId?: string;
  /** Spans the whole row of the dashboard grid. */
  wide?: boolean;
  /** Beside the drawing (a pie's legend); below it when the card is narrow. */
  aside?: ReactNode;
  /** A line under the drawing: how to read it, where the data comes from. */
  note?: ReactNode;
}) {
  const body = (
    <div className="chart-body" style={{ height }}>
      {children}
    </div>
  );
  return (
    <figure className={figureClass(wide)} aria-label={summary} data-testid={testId}>
      <figcaption className="chart-title">{title}</figcaption>
      {aside ? (
        <div className="chart-with-aside">
          {body}
          {aside}
        </div>
      ) : (
        body
      )}
      {note && <p className="chart-note muted">{note}</p>}
      <table className="visually-hidden">
        <caption>{title}</caption>
        {table}
      </table>
    </figure>
  );
}

function DatumTable({ data, format, valueHeader }: { data: readonly Datum[]; format: Format; valueHeader: string }) {
  return (
    <>
      <thead>
        <tr>
          <th scope="col"></th>
          <th scope="col">{valueHeader}</th>
        </tr>
      </thead>
      <tbody>
        {data.map((d) => (
          <tr key={d.label}>
            <th scope="row">{d.label}</th>
            <td>{format(d.value)}</td>
          </tr>
        ))}
      </tbody>
    </>
  );
}

interface DatumChartProps {
  title: string;
  data: readonly Datum[];
  valueLabel?: string;
  format?: Format;
  height?: number;
  testId?: string;
  wide?: boolean;
  note?: ReactNode;
}

export function BarChart({ title, data, valueLabel = "", format = defaultFormat, height = 260, horizontal, testId, wide, note }: DatumChartProps & { horizontal?: boolean }) {
  return (
    <ChartFigure title={title} summary={summarize(title, data, format)} height={height} testId={testId} wide={wide} note={note}
      table={<DatumTable data={data} format={format} valueHeader={valueLabel} />}>
      <ChartCanvas kind="bar" horizontal={horizontal} format={format} labels={data.map((d) => d.label)}
        series={[{ label: valueLabel, values: data.map((d) => d.value) }]} />
    </ChartFigure>
  );
}

/**
 * A pie with its legend as HTML beside it (full labels that wrap, value and share), since
 * Chart.js's canvas legend cuts long names like «Территориальный фонд ОМС…» off.
 */
export function PieChart({ title, data, valueLabel = "", format = defaultFormat, height = 240, testId, wide }: DatumChartProps) {
  const pct = shares(data);
  const legend = legendItems(data, format);
  return (
    <ChartFigure title={title} summary={summarize(title, data, format)} height={height} testId={testId} wide={wide}
      aside={
        // aria-hidden: the same figures are in the figure's table, read once.
        <ul className="chart-legend" aria-hidden="true">
          {legend.map((item) => (
            <li key={item.label} title={`${item.label}: ${item.value} (${item.share})`}>
              <span className="chart-legend-swatch" style={{ background: item.color }} />
              <span className="chart-legend-label">{item.label}</span>
              <span className="chart-legend-value">
                {item.value} <span className="muted">({item.share})</span>
              </span>
            </li>
          ))}
        </ul>
      }
      table={<DatumTable data={data.map((d, i) => ({ ...d, label: `${d.label} (${formatNumber(pct[i], 1)} %)` }))} format={format} valueHeader={valueLabel} />}>
      <ChartCanvas kind="pie" format={format} labels={data.map((d) => d.label)}
        series={[{ label: valueLabel, values: data.map((d) => d.value) }]} />
    </ChartFigure>
  );
}

/**
 * Several series over the same labels (months, days…). `summary` replaces the default
 * aria-label (every value of every series), which is long for a month of days.
 */
export function LineChart({ title, labels, series, format = defaultFormat, height = 260, testId, wide, summary }: {
  title: string; labels: string[]; series: Series[]; format?: Format; height?: number; testId?: string; wide?: boolean; summary?: string;
}) {
  const label = summary ?? `${title}: ${series.map((s) => `${s.label} — ${s.values.map(format).join(", ")}`).join("; ")}`;
  return (
    <ChartFigure title={title} summary={label} height={height} testId={testId} wide={wide}
      table={
        <>
          <thead>
            <tr>
              <th scope="col"></th>
              {series.map((s) => <th key={s.label} scope="col">{s.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {labels.map((l, i) => (
              <tr key={l}>
                <th scope="row">{l}</th>
                {series.map((s) => <td key={s.label}>{s.values[i] == null ? "—" : format(s.values[i])}</td>)}
              </tr>
            ))}
          </tbody>
        </>
      }>
      <ChartCanvas kind="line" format={format} labels={labels} series={series} />
    </ChartFigure>
  );
}

/**
 * Rows × columns of values, colour by value (SVG, no library); null is an empty cell.
 * `labelWidth` is the room for the row labels (weekdays need little, names more).
 */
export function HeatMap({ title, rows, columns, values, format = defaultFormat, cell = 28, labelWidth = 120, testId, wide, summary }: {
  title: string; rows: string[]; columns: string[]; values: (number | null)[][]; format?: Format; cell?: number;
  labelWidth?: number; testId?: string; wide?: boolean; summary?: string;
}) {
  const [min, max] = extent(values);
  const width = labelWidth + columns.length * cell;
  const height = 24 + rows.length * cell;
  const label = summary ?? `${title}: ${formatNumber(min)}–${formatNumber(max)}`;
  return (
    <figure className={figureClass(wide)} aria-label={label} data-testid={testId}>
      <figcaption className="chart-title">{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width }} aria-hidden="true">
        {columns.map((c, j) => (
          <text key={c} x={labelWidth + j * cell + cell / 2} y={16} fontSize={11} textAnchor="middle">{c}</text>
        ))}
        {rows.map((r, i) => (
          <g key={r}>
            <text x={labelWidth - 6} y={24 + i * cell + cell / 2 + 4} fontSize={11} textAnchor="end">{r}</text>
            {columns.map((c, j) => {
              const v = values[i]?.[j] ?? null;
              const level = heatLevel(v, min, max);
              return (
                <rect key={c} x={labelWidth + j * cell + 1} y={24 + i * cell + 1} width={cell - 2} height={cell - 2}
                  fill={level == null ? "#eee" : colorAt(0)} fillOpacity={level == null ? 1 : 0.15 + 0.85 * level}>
                  <title>{`${r}, ${c}: ${v == null ? "—" : format(v)}`}</title>
                </rect>
              );
            })}
          </g>
        ))}
      </svg>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col"></th>
            {columns.map((c) => <th key={c} scope="col">{c}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r}>
              <th scope="row">{r}</th>
              {columns.map((c, j) => { const v = values[i]?.[j] ?? null; return <td key={c}>{v == null ? "—" : format(v)}</td>; })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** A responsive grid: KPI tiles across the top, charts in cards below. */
export function DashboardGrid({ kpis, children }: { kpis?: ReactNode; children: ReactNode }) {
  return (
    <div className="dashboard">
      {kpis && <div className="kpis">{kpis}</div>}
      <div className="dashboard-grid">{children}</div>
    </div>
  );
}
