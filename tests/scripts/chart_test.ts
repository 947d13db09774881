import assert from "node:assert/strict";
import { lineChartSvg } from "../../scripts/bench/chart.ts";

const series = (a: number, b: number) => [
  { name: "fast", points: [{ n: 100, values: { ms: a } }, { n: 1000, values: { ms: a } }] },
  { name: "slow", points: [{ n: 100, values: { ms: b } }, { n: 1000, values: { ms: b } }] },
];
const labels = (svg: string) => [...svg.matchAll(/text-anchor="end">([^<]*)</g)].map((m) => m[1]);

Deno.test("chart: figures spanning more than a factor of 100 get a log scale, powers of ten", () => {
  const svg = lineChartSvg("t", ["ms"], series(2, 600_000));
  assert.match(svg, />ms \(log\)</);
  assert.deepEqual(labels(svg), ["1", "100", "10000", "1000000"]);
});

Deno.test("chart: figures within a factor of 100 stay linear from 0", () => {
  const svg = lineChartSvg("t", ["ms"], series(20, 600));
  assert.doesNotMatch(svg, /\(log\)/);
  assert.deepEqual(labels(svg), ["0", "250", "500", "750", "1000"]);
});
