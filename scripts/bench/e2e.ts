/**
 * kstatus and the Go original side by side on the local control plane
 * (`deno task cluster:up` first): `deno task bench:e2e [--counts 100,1000]`.
 *
 * For each N, N Deployments (one replica each, pods becoming Ready after a
 * delay) are created in a fresh namespace, then four tools wait at once
 * over them: kstatus with the watch reader and with the caching reader (both
 * the Bun-built binary), and `kstatus-peer`, a small Go program of ours
 * (scripts/bench/peer/) running cli-utils' DefaultStatusWatcher (the
 * informer-based watcher Helm 4's --wait uses) and cli-utils' polling engine.
 * The script watches the pods and Deployments itself to learn when the last pod
 * turned Ready and when the last Deployment's status said it was available (the
 * controller-manager's part of the latency), and prints per tool: API requests per
 * poll cycle, milliseconds from each of those to the "all Current" verdict, CPU
 * seconds and peak memory. It ends
 * with one line per ratio, like
 *
 *   ratio N=1000 kstatus(watch)/cli-utils(watcher): cpu 0.20x memory 0.45x latency 57ms/4610ms
 *
 * and writes the figures as an SVG chart (docs/bench-e2e.svg, `--chart` to
 * change the path, `--chart ""` for none). Figures are printed, never asserted.
 * `--tools watch,caching` runs a subset (of watch, caching, watcher, poller), `--binary PATH`
 * another kstatus build, `--also NAME=PATH,...` more builds with the watch reader on the same
 * rollout (to compare builds under the same load). With
 * `--profile DIR`, kstatus runs from source under Deno (`--profiler bun`: the binary) with `--cpu-prof` (a profile per N and
 * reader in DIR; `deno run -A scripts/profile_summary.ts FILE` lists where the time went).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { createClient, loadClientConfig } from "../../lib/kube/mod.ts";
import type { KubeObject, ResourceMapping } from "../../mod.ts";
import { type ChartSeries, lineChartSvg } from "./chart.ts";
import { spawnTimed } from "./gnu_time.ts";

const root = new URL("../..", import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    // N[xRUNS], comma-separated: `100x3,1000` rolls 100 Deployments out three times, 1000 once.
    counts: { type: "string", default: "100,1000" },
    interval: { type: "string", default: "2s" },
    chart: { type: "string", default: "docs/bench-e2e.svg" },
    // Runs kstatus from source under Deno with --cpu-prof, one profile directory per N and reader.
    profile: { type: "string" },
    // The runtime profiled with --profile: deno (default) or bun (the release binary's runtime).
    profiler: { type: "string", default: "deno" },
    // A subset of the tools, for a quick look: watch, caching, watcher, poller.
    tools: { type: "string", default: "watch,caching,watcher,poller" },
    // Another kstatus binary instead of dist/kstatus (an older build, to compare).
    binary: { type: "string" },
    // More kstatus builds with the watch reader on the same rollout: NAME=PATH[,NAME=PATH...].
    also: { type: "string", default: "" },
    // Rollouts per N; the figures printed last (and the ratios, and the chart) are their medians.
    repeat: { type: "string", default: "1" },
  },
});
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error(`--repeat: expected a whole number of runs (1 or more), got "${values.repeat}"`);
  Deno.exit(3);
}
/** `--counts 100x3,1000,3000`: N Deployments, each rolled out K times (`--repeat` without `xK`). */
const counts = values.counts!.split(",").map((text) => {
  const m = /^\s*(\d+)(?:x(\d+))?\s*$/.exec(text);
  if (!m || Number(m[1]) < 1 || (m[2] !== undefined && Number(m[2]) < 1)) {
    console.error(`--counts: expected N or NxRUNS (e.g. 100x3), got "${text}"`);
    Deno.exit(3);
  }
  return { n: Number(m[1]), runs: m[2] === undefined ? repeat : Number(m[2]) };
});

const TOOLS = ["watch", "caching", "watcher", "poller"];
/** `--also`: other builds, each run with the watch reader next to the tools. */
const alsoBinaries = values.also!.split(",").filter(Boolean).map((pair) => {
  const eq = pair.indexOf("=");
  if (eq <= 0) {
    console.error(`--also: expected NAME=PATH, got "${pair}"`);
    Deno.exit(3);
  }
  return { name: pair.slice(0, eq), path: resolve(pair.slice(eq + 1)) };
});
const selectedTools = values.tools!.split(",").map((t) => t.trim()).filter(Boolean);
for (const t of selectedTools) {
  if (!TOOLS.includes(t)) {
    console.error(`--tools: unknown tool "${t}"; expected some of ${TOOLS.join(",")}`);
    Deno.exit(3);
  }
}

function clusterVars(): Record<string, string> {
  const dir = Deno.env.get("KSTATUS_CLUSTER_DIR") ??
    join(Deno.env.get("HOME") ?? "/root", ".cache/kstatus-cluster/run");
  const vars: Record<string, string> = {};
  const text = Deno.readTextFileSync(join(dir, "cluster.env"));
  for (const line of text.split("\n")) {
    const m = /^(\w+)=(.*)$/.exec(line.trim());
    if (m) vars[m[1]] = m[2];
  }
  return vars;
}

interface ToolRun {
  name: string;
  /** Milliseconds from the last pod Ready to the verdict, once known. */
  latencyMs?: number;
  /** Milliseconds from the last Deployment's status saying available to the verdict. */
  afterAvailableMs?: number;
  /** When the verdict line arrived (performance.now()). */
  verdictAt?: number;
  /**
   * Per Deployment, milliseconds from its status saying available (as this script saw it) to
   * the tool printing it Current: the tool's own delay, resource by resource.
   */
  perResourceMs: number[];
  /** When the tool last printed each Deployment Current (performance.now()), by name. */
  currentAt: Map<string, number>;
  requestsPerCycle: string;
  cpuSeconds: number;
  peakMb: number;
  exitCode: number;
}

/**
 * A status line's resource name and status: kstatus's `-o json` (`name`, `status`) or the Go
 * peer's (`id` ending in the name, `status`); undefined for other lines.
 */
function statusOf(line: string): { name: string; status: string } | undefined {
  if (!line.includes('"status"')) return undefined;
  const o = JSON.parse(line);
  if (o.type === "status" && typeof o.name === "string") return { name: o.name, status: o.status };
  if (typeof o.id === "string" && typeof o.status === "string") {
    return { name: o.id.slice(o.id.lastIndexOf("/") + 1), status: o.status };
  }
  return undefined;
}

/** Runs a command under GNU time, timestamping stdout lines as they arrive. */
async function runTool(
  name: string,
  cmd: string[],
  isVerdict: (line: string) => boolean,
  perCycle: (lines: string[]) => string,
): Promise<ToolRun> {
  const { child, usage } = await spawnTimed(cmd);
  const lines: string[] = [];
  const currentAt = new Map<string, number>();
  let verdictAt: number | undefined;
  let buffer = "";
  const decoder = new TextDecoder();
  const stderr = new Response(child.stderr).text();
  for await (const chunk of child.stdout) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      const now = performance.now();
      if (verdictAt === undefined && isVerdict(line)) verdictAt = now;
      // The moment each resource turned Current (a later turn away and back counts from then).
      const st = statusOf(line);
      if (st?.status === "Current") {
        if (!currentAt.has(st.name)) currentAt.set(st.name, now);
      } else if (st) currentAt.delete(st.name);
    }
  }
  const status = await child.status;
  const err = await stderr;
  if (status.code !== 0) console.error(`${name} exited ${status.code}: ${err.trim().slice(-500)}`);
  // A tool that exits non-zero gets a line of its own before the figures: usage() reads the last.
  const { cpuSeconds, peakMb } = await usage();
  return {
    name,
    verdictAt,
    perResourceMs: [],
    currentAt,
    requestsPerCycle: perCycle(lines),
    cpuSeconds,
    peakMb: Math.round(peakMb),
    exitCode: status.code,
  };
}

function median(xs: number[]): number {
  return percentile(xs, 0.5);
}

/** The nearest-rank percentile `p` (0..1) of `xs`; NaN for none. */
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] : NaN;
}

function deployment(name: string, label: string): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels: { bench: label } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        // Pods turn Ready after a delay, so every poller is running before the first one does.
        metadata: { labels: { app: name }, annotations: { "kstatus.test/ready-after": "25s" } },
        spec: { containers: [{ name: "app", image: "example.test/app:1" }] },
      },
    },
  };
}

/** The Deployment's status, as its controller wrote it, says its one replica is available. */
function isAvailable(d: KubeObject): boolean {
  const meta = d.metadata as { generation?: number };
  const status = d.status as
    | { observedGeneration?: number; availableReplicas?: number; updatedReplicas?: number }
    | undefined;
  return (status?.observedGeneration ?? 0) >= (meta.generation ?? 1) &&
    (status?.availableReplicas ?? 0) >= 1 && (status?.updatedReplicas ?? 0) >= 1;
}

function isReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: Array<{ type: string; status: string }> })
    ?.conditions ?? [];
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

/** `2k`, `110`, `1Mi`: a pod count as a node's allocatable `pods` writes it. */
function podCount(q: unknown): number {
  const m = /^(\d+)(k|Ki|M|Mi)?$/.exec(String(q ?? ""));
  if (!m) return 0;
  const scale = { k: 1e3, Ki: 1024, M: 1e6, Mi: 1024 * 1024 }[m[2] ?? ""] ?? 1;
  return Number(m[1]) * scale;
}

/** Nodes this run added, deleted when it ends. */
const addedNodes: string[] = [];

/**
 * Adds kwok nodes until the cluster can run `pods` more pods: the local control plane starts with
 * 2 nodes of 2,000 pods each (scripts/cluster, KSTATUS_CLUSTER_NODES), so 5,000 Deployments of
 * one replica would leave 1,000 pods Pending for ever.
 */
async function ensurePodCapacity(pods: number): Promise<void> {
  const config = await loadClientConfig({ kubeconfig: clusterVars().KUBECONFIG, env: {} });
  const client = createClient(config);
  try {
    const nodeMapping = await client.mapper.mapping({ group: "", kind: "Node" });
    const podMapping = await client.mapper.mapping({ group: "", kind: "Pod" });
    const capacityOf = async () => {
      const { items } = await client.list(nodeMapping, "");
      const each = items.map((node) =>
        podCount((node.status as { allocatable?: { pods?: string } })?.allocatable?.pods)
      );
      return { total: each.reduce((a, b) => a + b, 0), perNode: Math.max(0, ...each) };
    };
    const used = (await client.list(podMapping, "")).items.length;
    const { total, perNode } = await capacityOf();
    if (total - used >= pods || perNode === 0) return;
    const missing = Math.ceil((pods - (total - used)) / perNode);
    for (let i = 0; i < missing; i++) {
      const name = `kwok-bench-node-${Date.now().toString(36)}-${i}`;
      await client.create(nodeMapping, "", {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name,
          annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
          labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", type: "kwok" },
        },
      });
      addedNodes.push(name);
    }
    const deadline = Date.now() + 60_000;
    while ((await capacityOf()).total - used < pods) {
      if (Date.now() > deadline) throw new Error("kwok did not make the added nodes ready in 60 s");
      await new Promise((r) => setTimeout(r, 1000));
    }
    console.log(
      `(${total} pods fit on the cluster's nodes, ${used} run already: added ${missing} kwok node(s))`,
    );
  } finally {
    client.close();
  }
}

/** Deletes the nodes this run added (their pods went with their namespaces). */
async function removeAddedNodes(): Promise<void> {
  if (addedNodes.length === 0) return;
  const config = await loadClientConfig({ kubeconfig: clusterVars().KUBECONFIG, env: {} });
  const client = createClient(config);
  try {
    const nodeMapping = await client.mapper.mapping({ group: "", kind: "Node" });
    for (const name of addedNodes.splice(0)) await client.delete(nodeMapping, "", name);
  } finally {
    client.close();
  }
}

async function benchOnce(n: number): Promise<ToolRun[]> {
  await ensurePodCapacity(n);
  const vars = clusterVars();
  const kubeconfig = vars.KUBECONFIG;
  const config = await loadClientConfig({ kubeconfig, env: {} });
  const client = createClient(config);
  const ns = `bench-${n}-${Date.now().toString(36)}`;
  const nsMapping = await client.mapper.mapping({ group: "", kind: "Namespace" });
  const depMapping = await client.mapper.mapping({ group: "apps", kind: "Deployment" });
  const podMapping = await client.mapper.mapping({ group: "", kind: "Pod" });
  await client.create(nsMapping, "", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: ns },
  });
  const watchAbort = new AbortController();
  try {
    // Watch pods and Deployments from now on, recording when each pod turns Ready and when each
    // Deployment's status says it is available (what the controller-manager writes, and what
    // every tool waits for). A watch the server ends is resumed from a fresh LIST (what is done by
    // then is recorded at that moment), so a long rollout is measured to its end.
    const readyAt = new Map<string, number>();
    const availableAt = new Map<string, number>();
    const recordInto =
      (done: Map<string, number>, test: (o: KubeObject) => boolean) => (o: KubeObject) => {
        const name = String((o.metadata as { name?: string })?.name);
        if (test(o) && !done.has(name)) done.set(name, performance.now());
      };
    const follow = async (mapping: ResourceMapping, record: (o: KubeObject) => void) => {
      try {
        while (!watchAbort.signal.aborted) {
          const listed = await client.list(mapping, ns, { signal: watchAbort.signal });
          listed.items.forEach(record);
          for await (
            const ev of client.watch(mapping, ns, {
              signal: watchAbort.signal,
              resourceVersion: listed.resourceVersion,
            })
          ) {
            if (ev.type !== "BOOKMARK") record(ev.object);
          }
        }
      } catch (e) {
        if (!watchAbort.signal.aborted) throw e;
      }
    };
    const watches = Promise.all([
      follow(podMapping, recordInto(readyAt, isReady)),
      follow(depMapping, recordInto(availableAt, isAvailable)),
    ]);
    const created = performance.now();
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      pending.push(client.create(depMapping, ns, deployment(`web-${i}`, ns)));
      if (pending.length >= 50) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    console.log(
      `\n== ${n} Deployments created in ${ns} in ${Math.round(performance.now() - created)} ms`,
    );

    const interval = values.interval!;
    const binary = values.binary ? resolve(values.binary) : join(root, "dist/kstatus");
    const kstatusArgs = (reader: string, build = binary) => [
      ...(values.profile
        ? values.profiler === "bun"
          ? [
            // The binary itself: Bun reads its runtime flags from BUN_OPTIONS.
            "env",
            `BUN_OPTIONS=--cpu-prof --cpu-prof-dir=${join(values.profile, `${n}-${reader}`)}`,
            build,
          ]
          : [
            Deno.execPath(),
            "run",
            "-A",
            "--cpu-prof",
            `--cpu-prof-dir=${join(values.profile, `${n}-${reader}`)}`,
            join(root, "main.ts"),
          ]
        : [build]),
      "wait",
      "-l",
      `bench=${ns}`,
      "--kinds",
      "deploy",
      "-n",
      ns,
      "--kubeconfig",
      kubeconfig,
      "-o",
      "json",
      "--interval",
      interval,
      "--timeout",
      "15m",
      "--reader",
      reader,
    ];
    const kstatusPerCycle = (lines: string[]) => {
      const summary = lines.map((l) => JSON.parse(l)).find((o) => o.type === "summary");
      const stats = summary?.stats;
      if (!stats?.cycles) return "?";
      const lists = Object.entries(stats.byVerb as Record<string, number>)
        .filter(([k]) => !k.startsWith("discovery"))
        .reduce((a, [, v]) => a + v, 0);
      // Requests after the first cycle (resumed watches, relists, LISTs of later cycles) per
      // later cycle, when the binary counts them.
      if (typeof stats.steadyRequests === "number") {
        const later = Math.max(1, stats.cycles - 1);
        return `${
          (stats.steadyRequests / later).toFixed(1)
        } (${lists} in all, ${stats.steadyRequests} after cycle 1 / ${stats.cycles})`;
      }
      return `${(lists / stats.cycles).toFixed(1)} (${lists} requests / ${stats.cycles} cycles)`;
    };
    const peerPerCycle = (lines: string[]) => {
      const last = lines.map((l) => JSON.parse(l)).find((o) => o.perCycle);
      if (!last) return "?";
      return `${median(last.perCycle)} median (${last.requests} requests / ${last.cycles} cycles)`;
    };
    const peer = (watcher: boolean) => [
      join(vars.KSTATUS_CLUSTER_BIN, "kstatus-peer"),
      ...(watcher ? ["--watcher"] : []),
      "--kubeconfig",
      kubeconfig,
      "--namespace",
      ns,
      "--kind",
      "Deployment",
      "--count",
      String(n),
      "--prefix",
      "web-",
      "--interval",
      interval,
      "--timeout",
      "15m",
    ];
    const isSummary = (l: string) => l.includes('"type":"summary"');
    const isAllCurrent = (l: string) => l.includes('"allCurrent":true');
    const tools: Record<string, () => Promise<ToolRun>> = {
      watch: () => runTool("kstatus(watch)", kstatusArgs("watch"), isSummary, kstatusPerCycle),
      caching: () =>
        runTool("kstatus(caching)", kstatusArgs("caching"), isSummary, kstatusPerCycle),
      watcher: () =>
        runTool("cli-utils(watcher)", peer(true), isAllCurrent, () => "- (informers, no cycles)"),
      poller: () => runTool("cli-utils(poller)", peer(false), isAllCurrent, peerPerCycle),
    };
    const runs = await Promise.all([
      ...selectedTools.map((t) => tools[t]()),
      ...alsoBinaries.map((b) =>
        runTool(
          `kstatus(watch,${b.name})`,
          kstatusArgs("watch", b.path),
          isSummary,
          kstatusPerCycle,
        )
      ),
    ]);
    watchAbort.abort();
    await watches;
    const lastReady = Math.max(...readyAt.values());
    const lastAvailable = Math.max(...availableAt.values());
    console.log(
      `pods Ready: ${readyAt.size}/${n}; Deployments available: ${availableAt.size}/${n}, the ` +
        `last ${Math.round(lastAvailable - lastReady)} ms after the last pod Ready`,
    );
    for (const r of runs) {
      if (r.verdictAt !== undefined) {
        r.latencyMs = Math.round(r.verdictAt - lastReady);
        r.afterAvailableMs = Math.round(r.verdictAt - lastAvailable);
      }
      for (const [name, at] of r.currentAt) {
        const available = availableAt.get(name);
        if (available !== undefined) r.perResourceMs.push(at - available);
      }
    }
    printTable(runs);
    return runs;
  } finally {
    watchAbort.abort();
    await client.delete(nsMapping, "", ns).catch(() => {});
    client.close();
  }
}

/** The figures of one run, or of the medians of several, one line per tool. */
function printTable(runs: ToolRun[]): void {
  console.log(
    "tool                 requests per poll cycle                              last pod Ready → verdict" +
      "  last Deployment available → verdict  each Deployment available → Current p50/p95" +
      "  CPU s   peak MB  exit",
  );
  const ms = (v: number | undefined) => v === undefined ? "none" : `${v} ms`;
  for (const r of runs) {
    const each = r.perResourceMs.length
      ? `${Math.round(percentile(r.perResourceMs, 0.5))}/${
        Math.round(percentile(r.perResourceMs, 0.95))
      } ms (${r.perResourceMs.length})`
      : "none";
    console.log(
      `${r.name.padEnd(20)} ${r.requestsPerCycle.padEnd(52)} ${ms(r.latencyMs).padStart(24)}  ${
        ms(r.afterAvailableMs).padStart(35)
      }  ${each.padStart(42)}  ${r.cpuSeconds.toFixed(2).padStart(5)}  ${
        String(r.peakMb).padStart(7)
      }  ${r.exitCode}`,
    );
  }
}

/**
 * One tool's figures over several rollouts: the median of each, every resource's delay pooled,
 * the requests of the run with the median CPU.
 */
function medianRun(runs: ToolRun[]): ToolRun {
  const mid = [...runs].sort((a, b) => a.cpuSeconds - b.cpuSeconds)[Math.floor(runs.length / 2)];
  const med = (f: (r: ToolRun) => number | undefined) => {
    const xs = runs.map(f).filter((x): x is number => x !== undefined);
    return xs.length === runs.length ? median(xs) : undefined;
  };
  return {
    name: mid.name,
    latencyMs: med((r) => r.latencyMs),
    afterAvailableMs: med((r) => r.afterAvailableMs),
    perResourceMs: runs.flatMap((r) => r.perResourceMs),
    currentAt: new Map(),
    requestsPerCycle: mid.requestsPerCycle,
    cpuSeconds: median(runs.map((r) => r.cpuSeconds)),
    peakMb: median(runs.map((r) => r.peakMb)),
    exitCode: Math.max(...runs.map((r) => r.exitCode)),
  };
}

/** The comparisons the issue asks for: like with like, and our two readers. */
const RATIOS: ReadonlyArray<[string, string]> = [
  ["kstatus(watch)", "cli-utils(watcher)"],
  ["kstatus(caching)", "cli-utils(poller)"],
  ["kstatus(watch)", "cli-utils(poller)"],
  ["kstatus(watch)", "kstatus(caching)"],
];

/** `ratio N=... a/b: cpu 0.20x memory 0.45x latency 57ms/4610ms`, one line, script-readable. */
function ratioLine(n: number, a: ToolRun, b: ToolRun): string {
  const x = (p: number, q: number) => q > 0 ? `${(p / q).toFixed(2)}x` : "?";
  const ms = (r: ToolRun) => r.latencyMs === undefined ? "none" : `${r.latencyMs}ms`;
  return `ratio N=${n} ${a.name}/${b.name}: cpu ${x(a.cpuSeconds, b.cpuSeconds)} memory ${
    x(a.peakMb, b.peakMb)
  } latency ${ms(a)}/${ms(b)}`;
}

if (import.meta.main) {
  const vars = clusterVars();
  console.log(`kstatus vs cli-utils on the local control plane (${vars.KSTATUS_APISERVER_URL})`);
  const results = new Map<number, ToolRun[]>();
  try {
    for (const { n, runs: repeat } of counts) {
      const all: ToolRun[][] = [];
      for (let i = 0; i < repeat; i++) {
        if (repeat > 1) console.log(`\n-- N=${n}, run ${i + 1} of ${repeat}`);
        all.push(await benchOnce(n));
      }
      const medians = all[0].map((r) =>
        medianRun(all.map((runs) => runs.find((x) => x.name === r.name)!))
      );
      if (repeat > 1) {
        console.log(`\n== N=${n}: medians of ${repeat} runs (per-Deployment delays pooled)`);
        printTable(medians);
      }
      results.set(n, medians);
    }
  } finally {
    await removeAddedNodes();
  }
  console.log("");
  for (const [n, runs] of results) {
    const byName = new Map(runs.map((r) => [r.name, r]));
    for (const [a, b] of RATIOS) {
      if (byName.has(a) && byName.has(b)) console.log(ratioLine(n, byName.get(a)!, byName.get(b)!));
    }
  }
  // Each tool's own delay, Deployment by Deployment, in the same script-readable style.
  for (const [n, runs] of results) {
    for (const r of runs) {
      if (r.perResourceMs.length === 0) continue;
      const p = (q: number) => Math.round(percentile(r.perResourceMs, q));
      console.log(
        `latency N=${n} ${r.name}: available->Current p50 ${p(0.5)}ms p95 ${p(0.95)}ms max ${
          p(1)
        }ms (${r.perResourceMs.length} Deployments)`,
      );
    }
  }
  if (values.chart) {
    const series: ChartSeries[] = [...results.values()][0].map((r) => ({
      name: r.name,
      points: [...results].map(([n, runs]) => {
        const run = runs.find((x) => x.name === r.name)!;
        return {
          n,
          values: {
            "CPU seconds": run.cpuSeconds,
            "peak memory (MB)": run.peakMb,
            "last pod Ready → verdict (ms)": run.latencyMs ?? NaN,
            "each Deployment available → Current, p50 (ms)": run.perResourceMs.length
              ? percentile(run.perResourceMs, 0.5)
              : NaN,
          },
        };
      }),
    }));
    const svg = lineChartSvg(
      "kstatus vs cli-utils: N Deployments rolled out on the local control plane",
      [
        "CPU seconds",
        "peak memory (MB)",
        "last pod Ready → verdict (ms)",
        "each Deployment available → Current, p50 (ms)",
      ],
      series,
    );
    await Deno.writeTextFile(resolve(root, values.chart), svg);
    console.log(`chart: ${values.chart}`);
  }
}
