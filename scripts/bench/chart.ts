/**
 * A small SVG line chart for the benchmark scripts: one panel per measure (CPU seconds, peak
 * memory, latency) against N, one line per tool. Plain SVG text, no dependencies, so the bench
 * writes it wherever it runs and the README shows it as an image.
 *
 * @module
 */

/** One tool's figures at one N. */
export interface ChartPoint {
  /** Objects waited on. */
  n: number;
  /** Figures by measure name (e.g. `"CPU s"`); NaN when not measured. */
  values: Record<string, number>;
}

/** One line of the chart. */
export interface ChartSeries {
  /** Tool name, shown in the legend. */
  name: string;
  /** Its points, by N. */
  points: ChartPoint[];
}

const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
const PANEL_W = 300;
const PANEL_H = 220;
const MARGIN = { left: 56, right: 16, top: 34, bottom: 40 };

/** Escapes text for SVG. */
function esc(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** A round upper bound for an axis. */
function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/**
 * The chart as SVG text: a panel per measure, N on a log scale when it spans more than a
 * factor of 10, a measure when its figures span more than a factor of 100.
 *
 * @example
 * ```ts
 * import { lineChartSvg } from "./chart.ts";
 * const svg = lineChartSvg("demo", ["CPU s"], [
 *   { name: "a", points: [{ n: 100, values: { "CPU s": 1 } }, { n: 1000, values: { "CPU s": 4 } }] },
 * ]);
 * console.log(svg.startsWith("<svg"));
 * ```
 */
export function lineChartSvg(
  title: string,
  measures: readonly string[],
  series: readonly ChartSeries[],
): string {
  const ns = [...new Set(series.flatMap((s) => s.points.map((p) => p.n)))].sort((a, b) => a - b);
  const log = ns.length > 1 && ns.at(-1)! / ns[0] > 10;
  const xOf = (n: number) => {
    if (ns.length < 2) return PANEL_W / 2;
    const [lo, hi] = log ? [Math.log10(ns[0]), Math.log10(ns.at(-1)!)] : [ns[0], ns.at(-1)!];
    const v = log ? Math.log10(n) : n;
    return ((v - lo) / (hi - lo || 1)) * (PANEL_W - MARGIN.left - MARGIN.right) + MARGIN.left;
  };
  const width = PANEL_W * measures.length;
  const legendH = 22 * Math.ceil(series.length / 2);
  const height = PANEL_H + legendH + 30;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">${esc(title)}</text>`,
  ];
  measures.forEach((measure, i) => {
    const ox = i * PANEL_W;
    const oy = 10;
    const values = series.flatMap((s) => s.points.map((p) => p.values[measure]))
      .filter((v) => Number.isFinite(v));
    const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
    // Figures spanning more than a factor of 100 (2 ms next to 10 minutes) on a log scale:
    // on a linear one the small ones all sit on the axis.
    const positive = values.filter((v) => v > 0);
    const [lowest, highest] = [Math.min(...positive), Math.max(...positive)];
    const logY = positive.length > 1 && highest / lowest > 100;
    let yOf: (v: number) => number;
    let ticks: number[];
    if (logY) {
      const lo = Math.floor(Math.log10(lowest));
      const hi = Math.max(lo + 1, Math.ceil(Math.log10(highest)));
      yOf = (v) =>
        oy + MARGIN.top + plotH -
        ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * plotH;
      const step = Math.ceil((hi - lo) / 5);
      ticks = [];
      for (let e = lo; e <= hi; e += step) ticks.push(10 ** e);
    } else {
      const max = niceMax(Math.max(0, ...values));
      yOf = (v) => oy + MARGIN.top + plotH - (v / max) * plotH;
      ticks = [0, 1, 2, 3, 4].map((t) => (max * t) / 4);
    }
    out.push(`<g transform="translate(${ox},0)">`);
    out.push(
      `<text x="${PANEL_W / 2}" y="${oy + 20}" text-anchor="middle">${
        esc(measure + (logY ? " (log)" : ""))
      }</text>`,
    );
    for (const v of ticks) {
      const y = yOf(v);
      out.push(
        `<line x1="${MARGIN.left}" x2="${PANEL_W - MARGIN.right}" y1="${y}" y2="${y}" ` +
          `stroke="#ddd"/>`,
        `<text x="${MARGIN.left - 4}" y="${y + 4}" text-anchor="end">${+v.toPrecision(3)}</text>`,
      );
    }
    for (const n of ns) {
      out.push(
        `<text x="${xOf(n)}" y="${oy + PANEL_H - MARGIN.bottom + 16}" text-anchor="middle">` +
          `${n}</text>`,
      );
    }
    out.push(
      `<text x="${PANEL_W / 2}" y="${oy + PANEL_H - 6}" text-anchor="middle">N objects${
        log ? " (log)" : ""
      }</text>`,
    );
    series.forEach((s, k) => {
      const pts = s.points.filter((p) => Number.isFinite(p.values[measure]))
        .map((p) => `${xOf(p.n).toFixed(1)},${yOf(p.values[measure]).toFixed(1)}`);
      const colour = COLOURS[k % COLOURS.length];
      if (pts.length > 1) {
        out.push(
          `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.join(" ")}"/>`,
        );
      }
      for (const p of pts) {
        const [x, y] = p.split(",");
        out.push(`<circle cx="${x}" cy="${y}" r="3" fill="${colour}"/>`);
      }
    });
    out.push(`</g>`);
  });
  series.forEach((s, k) => {
    const x = 20 + (k % 2) * (width / 2);
    const y = PANEL_H + 30 + Math.floor(k / 2) * 22;
    const colour = COLOURS[k % COLOURS.length];
    out.push(
      `<rect x="${x}" y="${y - 9}" width="14" height="4" fill="${colour}"/>`,
      `<text x="${x + 20}" y="${y - 4}">${esc(s.name)}</text>`,
    );
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
