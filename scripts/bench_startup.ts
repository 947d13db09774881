/**
 * Start-up benchmark (`deno task bench:startup`): the release binary, built from the current
 * tree, run as a whole process for `version`, `compute` of one Deployment (a contract kind: no
 * CEL) and `compute` of one cert-manager Certificate (a rule of the built-in pack: the CEL
 * library loads and the rule compiles). A Bun binary that does nothing is the yardstick; with
 * `--baseline REF` a binary built the same way from REF runs too. Runs are interleaved (one of
 * each in turn) so that a machine whose speed drifts moves every column alike; medians printed.
 *
 *   deno task bench:startup [--baseline REF] [--runs 30]
 *
 * Figures are printed, never asserted. The target is 20 ms for each command.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { BINARY_BUILD_FLAGS } from "./build_support.ts";

const { values } = parseArgs({
  options: { baseline: { type: "string" }, runs: { type: "string", default: "30" } },
});
const runs = Number(values.runs);
const root = new URL("..", import.meta.url).pathname;

async function sh(cmd: string, args: string[], cwd = root): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return text.trim();
}

async function buildAt(ref: string, outfile: string): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kstatus-baseline-" });
  try {
    await sh("git", ["worktree", "add", "--detach", dir, ref]);
    await sh("bun", ["install", "--frozen-lockfile", "--silent"], dir);
    await sh("deno", ["run", "-A", "scripts/build.ts", "--outfile", outfile], dir);
  } finally {
    await sh("git", ["worktree", "remove", "--force", dir]).catch(() => {});
  }
}

async function once(cmd: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  const ms = performance.now() - t0;
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const tmp = await Deno.makeTempDir({ prefix: "kstatus-startup-" });
const binaries: Array<[string, string]> = [["current", `${tmp}/kstatus`]];
console.log(`building the current tree (${await sh("git", ["rev-parse", "--short", "HEAD"])})`);
await sh("deno", ["run", "-A", "scripts/build.ts", "--outfile", binaries[0][1]]);
if (values.baseline) {
  const ref = values.baseline;
  console.log(`building ${ref} (${await sh("git", ["rev-parse", "--short", ref])})`);
  binaries.push([ref, `${tmp}/kstatus-baseline`]);
  await buildAt(ref, binaries[1][1]);
}
// The yardstick: Bun's own start-up, built with the same flags.
await Deno.writeTextFile(`${tmp}/empty.ts`, "export {};\n");
await sh("bun", ["build", ...BINARY_BUILD_FLAGS, `${tmp}/empty.ts`, "--outfile", `${tmp}/empty`]);

const certificate = `${tmp}/certificate.yaml`;
await Deno.writeTextFile(
  certificate,
  "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: web, namespace: shop}\n" +
    "status:\n  conditions:\n  - {type: Ready, status: 'True', message: up to date}\n",
);
const deployment = `${tmp}/deployment.yaml`;
await Deno.writeTextFile(
  deployment,
  "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop, generation: 1}\n" +
    "spec: {replicas: 1}\nstatus: {observedGeneration: 1, replicas: 1, updatedReplicas: 1,\n" +
    "  readyReplicas: 1, availableReplicas: 1, conditions: [{type: Available, status: 'True'}]}\n",
);
const cases: Array<[string, string[]]> = [
  ["version", ["version"]],
  ["compute Deployment", ["compute", "-f", deployment]],
  ["compute Certificate", ["compute", "-f", certificate]],
];
const times = new Map<string, number[]>();
const record = (key: string, ms: number) => times.set(key, [...(times.get(key) ?? []), ms]);
for (let i = 0; i < runs; i++) {
  record("bun", await once(`${tmp}/empty`, []));
  for (const [label, args] of cases) {
    for (const [name, bin] of binaries) record(`${name} ${label}`, await once(bin, args));
  }
}
console.log(`start-up, median of ${runs} runs (whole process; target 20 ms):`);
console.log(
  `  ${"a Bun binary that does nothing".padEnd(32)} ${median(times.get("bun")!).toFixed(1)} ms`,
);
for (const [label] of cases) {
  const figures = binaries.map(([name]) =>
    `${name} ${median(times.get(`${name} ${label}`)!).toFixed(1)} ms`
  );
  console.log(`  ${label.padEnd(32)} ${figures.join(", ")}`);
}
const size = (p: string) => (Deno.statSync(p).size / 1024 / 1024).toFixed(1);
console.log(
  `  binary size ${binaries.map(([name, bin]) => `${name} ${size(bin)} MiB`).join(", ")}`,
);
await Deno.remove(tmp, { recursive: true });
