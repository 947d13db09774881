/**
 * Peak memory benchmark (`deno task bench:memory`): the peak resident memory (GNU time's `%M`)
 * of a kstatus binary, run as a whole process against the local control plane
 * (`deno task cluster:up` first). It builds nothing: build the binaries to compare first
 * (`deno task build --outfile /tmp/kstatus-a`). Cases, each run `--runs` times, interleaved
 * (one of each in turn), median printed:
 *
 * - `version`;
 * - `wait` on nothing: discovery and one LIST, exit 3 ("no resources found");
 * - `wait` and `status` on a handful of Ready Deployments in a namespace of the script's own
 *   (`--deployments`, kwok pods), with each reader;
 * - `wait` (watch reader) during a rollout of them (a new pod template before each run),
 *   so that watches open and events flow.
 *
 *   deno task bench:memory [--binary dist/kstatus] [--baseline PATH] [--runs 5] [--deployments 5]
 *     [--env NAME=VALUE]...
 *
 * Peak memory and CPU seconds (user + system) are printed, never asserted.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { spawnTimed, type Usage } from "./bench/gnu_time.ts";
import { clusterEnv, createNamespace, deleteNamespace, kubectl } from "../tests/e2e/cluster.ts";

const { values } = parseArgs({
  options: {
    binary: { type: "string", default: "dist/kstatus" },
    baseline: { type: "string" },
    runs: { type: "string", default: "5" },
    deployments: { type: "string", default: "5" },
    env: { type: "string", multiple: true, default: [] },
  },
});
// `--env NAME=VALUE` (repeatable) for the binary only, not the baseline: e.g. a JSC option
// (BUN_JSC_useDFGJIT=0) to see what it is worth.
const binaryEnv = values.env!;
const runs = Number(values.runs);
const count = Number(values.deployments);
const binaries: Array<[string, string]> = [["binary", resolve(values.binary!)]];
if (values.baseline) binaries.push(["baseline", resolve(values.baseline)]);
for (const [, path] of binaries) {
  try {
    Deno.statSync(path);
  } catch {
    throw new Error(`${path} missing: build it first (deno task build --outfile ${path})`);
  }
}

/** One case: the arguments, the exit codes it may end with, and what to do before each run. */
interface Case {
  label: string;
  args: string[];
  exits: number[];
  before?: () => Promise<void>;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(binary: string, env: string[], c: Case): Promise<Usage> {
  await c.before?.();
  const cmd = env.length > 0 ? ["/usr/bin/env", ...env, binary] : [binary];
  const { child, usage } = await spawnTimed([...cmd, ...c.args]);
  const [out, figures] = await Promise.all([child.output(), usage()]);
  if (!c.exits.includes(out.code)) {
    const err = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`${binary} ${c.args.join(" ")}: exit ${out.code}\n${err}`);
  }
  return figures;
}

const kubeconfig = clusterEnv().kubeconfig;
let rollouts = 0;
const ns = await createNamespace("kstatus-mem");
try {
  for (let i = 0; i < count; i++) {
    await kubectl(["create", "deployment", `mem-${i}`, "--image=x", "-n", ns]);
  }
  await kubectl(["rollout", "status", "deployment", "-n", ns, "--timeout=120s"]);
  const cluster = ["--kubeconfig", kubeconfig, "-n", ns, "-o", "json"];
  const all = ["--kinds", "deploy", "--all", ...cluster];
  const cases: Case[] = [
    { label: "version", args: ["version"], exits: [0] },
    {
      label: "wait on nothing (exit 3)",
      args: ["wait", "--kinds", "deploy", "-l", "none=x", "--timeout", "5s", ...cluster],
      exits: [3],
    },
    {
      label: `wait ${count} Ready (watch)`,
      args: ["wait", ...all, "--reader", "watch", "--timeout", "60s"],
      exits: [0],
    },
    {
      label: `wait ${count} Ready (caching)`,
      args: ["wait", ...all, "--reader", "caching", "--timeout", "60s"],
      exits: [0],
    },
    { label: `status ${count} Ready`, args: ["status", ...all], exits: [0] },
    {
      label: `wait ${count} rollout (watch)`,
      args: ["wait", ...all, "--reader", "watch", "--timeout", "60s"],
      exits: [0],
      // A new pod template each run (`rollout restart` refuses two restarts within a second).
      before: async () => {
        await kubectl(["set", "env", "deployment", "--all", "-n", ns, `ROLL=${rollouts++}`]);
      },
    },
  ];
  const peaks = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  const add = (m: Map<string, number[]>, key: string, x: number) =>
    m.set(key, [...(m.get(key) ?? []), x]);
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      for (const [name, binary] of binaries) {
        const key = `${name} ${c.label}`;
        const u = await measure(binary, name === "binary" ? binaryEnv : [], c);
        add(peaks, key, u.peakMb);
        add(cpu, key, u.cpuSeconds);
      }
    }
  }
  console.log(`median of ${runs} runs (whole process): peak RSS in MB, CPU seconds`);
  for (const [name, path] of binaries) {
    const env = name === "binary" && binaryEnv.length > 0 ? ` (${binaryEnv.join(" ")})` : "";
    console.log(`  ${name}: ${path}${env}`);
  }
  for (const c of cases) {
    const figures = binaries.map(([name]) => {
      const key = `${name} ${c.label}`;
      return `${name} ${median(peaks.get(key)!).toFixed(1)} MB ${
        median(cpu.get(key)!).toFixed(2)
      } s`;
    });
    console.log(`  ${c.label.padEnd(28)} ${figures.join("   ")}`);
  }
} finally {
  await deleteNamespace(ns);
}
