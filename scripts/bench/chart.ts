/**
 * An SVG chart of the bench:e2e figures, written by hand (no service, no browser): one panel per
 * measure (CPU seconds, peak memory, latency from the last pod Ready to the verdict) against N,
 * one line per tool, logarithmic N axis when N spans more than a decade.
 *
 * @module
 */

/** One tool's figures at one N. */
export interface ChartPoint {
  /** Number of Deployments. */
  n: number;
  /** Tool name (a line of the chart). */
  tool: string;
  /** CPU seconds. */
  cpu: number;
  /** Peak memory, MB. */
  memory: number;
  /** Milliseconds from the last pod Ready to the verdict; undefined when none came. */
  latency?: number;
}

const COLOURS = ["#1f77b4", "#2ca02c", "#d62728", "#ff7f0e", "#9467bd"];
const PANEL = { width: 300, height: 220, left: 56, right: 12, top: 34, bottom: 40 };

/** The chart as an SVG document. */
export function renderChart(points: readonly ChartPoint[], title: string): string {
  const tools = [...new Set(points.map((p) => p.tool))];
  const ns = [...new Set(points.map((p) => p.n))].sort((a, b) => a - b);
  // Latencies span milliseconds to minutes: that panel has a logarithmic axis.
  const panels: Array<[string, (p: ChartPoint) => number | undefined, boolean]> = [
    ["CPU seconds", (p) => p.cpu, false],
    ["peak memory (MB)", (p) => p.memory, false],
    ["last pod Ready → verdict (ms, log scale)", (p) => p.latency, true],
  ];
  const width = PANEL.width * panels.length;
  const height = PANEL.height + 30 + 18 * Math.ceil(tools.length / 2);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">${escape(title)}</text>`,
  ];
  const logX = ns.length > 1 && ns.at(-1)! / ns[0] > 10;
  panels.forEach(([label, value, logY], i) => {
    const x0 = i * PANEL.width + PANEL.left;
    const x1 = (i + 1) * PANEL.width - PANEL.right;
    const y0 = PANEL.height - PANEL.bottom + PANEL.top - 10;
    const y1 = PANEL.top;
    const values = points.map(value).filter((v): v is number => v !== undefined);
    const max = logY
      ? 10 ** Math.ceil(Math.log10(Math.max(10, ...values)))
      : niceMax(Math.max(1e-9, ...values));
    const min = logY ? 10 ** Math.floor(Math.log10(Math.max(1, Math.min(...values)))) : 0;
    const fx = (n: number) => {
      if (ns.length === 1) return (x0 + x1) / 2;
      const t = logX
        ? (Math.log(n) - Math.log(ns[0])) / (Math.log(ns.at(-1)!) - Math.log(ns[0]))
        : (n - ns[0]) / (ns.at(-1)! - ns[0]);
      return x0 + t * (x1 - x0);
    };
    const fy = (v: number) =>
      y0 -
      (logY ? Math.log10(Math.max(v, min) / min) / Math.log10(max / min) : v / max) * (y0 - y1);
    parts.push(
      `<text x="${(x0 + x1) / 2}" y="${y1 - 8}" text-anchor="middle">${escape(label)}</text>`,
      `<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#444"/>`,
      `<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#444"/>`,
    );
    const ticks = logY
      ? Array.from({ length: Math.round(Math.log10(max / min)) + 1 }, (_, k) => min * 10 ** k)
      : [0, 1, 2, 3, 4].map((k) => (max * k) / 4);
    for (const v of ticks) {
      parts.push(
        `<line x1="${x0}" y1="${fy(v)}" x2="${x1}" y2="${fy(v)}" stroke="#ddd"/>`,
        `<text x="${x0 - 4}" y="${fy(v) + 4}" text-anchor="end">${format(v)}</text>`,
      );
    }
    for (const n of ns) {
      parts.push(`<text x="${fx(n)}" y="${y0 + 14}" text-anchor="middle">${n}</text>`);
    }
    parts.push(`<text x="${(x0 + x1) / 2}" y="${y0 + 28}" text-anchor="middle">N</text>`);
    tools.forEach((tool, t) => {
      const line = ns.flatMap((n) => {
        const p = points.find((q) => q.n === n && q.tool === tool);
        const v = p && value(p);
        return v === undefined ? [] : [[fx(n), fy(v)] as const];
      });
      const colour = COLOURS[t % COLOURS.length];
      if (line.length > 1) {
        parts.push(
          `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${
            line.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")
          }"/>`,
        );
      }
      for (const [x, y] of line) {
        parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${colour}"/>`);
      }
    });
  });
  tools.forEach((tool, t) => {
    const x = 20 + (t % 2) * (width / 2);
    const y = PANEL.height + 24 + 18 * Math.floor(t / 2);
    parts.push(
      `<rect x="${x}" y="${y - 9}" width="12" height="12" fill="${COLOURS[t % COLOURS.length]}"/>`,
      `<text x="${x + 18}" y="${y + 1}">${escape(tool)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

function niceMax(v: number): number {
  const step = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= v) return m * step;
  return 10 * step;
}

function format(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(v % 1e6 === 0 ? 0 : 1)}M`;
  if (v >= 1000) return `${(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1);
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
