/**
 * kstatus and the Go original side by side on the local control plane
 * (`deno task cluster:up` first): `deno task bench:e2e [--counts 100,1000]`.
 *
 * For each N, N Deployments (one replica each, pods becoming Ready after a
 * delay) are created in a fresh namespace, then four tools run at once over
 * them: kstatus with the caching reader and with the watch reader (both the
 * Bun-built binary), and `kstatus-peer` (scripts/bench/peer/, a small Go
 * program of ours) running cli-utils' polling engine and its
 * DefaultStatusWatcher (informers; what Helm 4's `--wait` uses). The script
 * watches the pods itself to learn when the last one turned Ready, and prints
 * per tool: API requests per poll cycle, milliseconds from the last pod Ready
 * to the "all Current" verdict, CPU seconds and peak memory, then one line per
 * ratio (`ratio N=1000 kstatus(watch)/cli-utils(watcher): cpu 0.20x memory
 * 0.45x latency 57ms/4610ms`), and writes an SVG chart of the figures against
 * N (docs/bench-e2e.svg, or `--chart FILE`). Figures are
 * printed, never asserted. With `--profile DIR`, kstatus runs from source under Deno with
 * `--cpu-prof` (a profile per N and reader in DIR; `deno run -A scripts/profile_summary.ts FILE`
 * lists where the time went).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { createClient, loadClientConfig } from "../../lib/kube/mod.ts";
import type { KubeObject } from "../../mod.ts";
import { type ChartPoint, renderChart } from "./chart.ts";
import { spawnTimed } from "./gnu_time.ts";

const root = new URL("../..", import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    counts: { type: "string", default: "100,1000" },
    interval: { type: "string", default: "2s" },
    // Runs kstatus from source under Deno with --cpu-prof, one profile directory per reader.
    profile: { type: "string" },
    // Where the SVG chart goes (default docs/bench-e2e.svg).
    chart: { type: "string" },
  },
});

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
  /** When the verdict line arrived (performance.now()). */
  verdictAt?: number;
  requestsPerCycle: string;
  cpuSeconds: number;
  peakMb: number;
  exitCode: number;
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
      if (verdictAt === undefined && isVerdict(line)) verdictAt = performance.now();
    }
  }
  const status = await child.status;
  const err = await stderr;
  if (status.code !== 0) console.error(`${name} exited ${status.code}: ${err.trim().slice(-500)}`);
  const { cpuSeconds, peakMb } = await usage();
  return {
    name,
    verdictAt,
    requestsPerCycle: perCycle(lines),
    cpuSeconds,
    peakMb: Math.round(peakMb),
    exitCode: status.code,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
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

function isReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: Array<{ type: string; status: string }> })
    ?.conditions ?? [];
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

/** Every N's runs, for the chart. */
const results: Array<{ n: number; runs: ToolRun[]; lastReady: number }> = [];

async function benchOnce(n: number): Promise<void> {
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
    // Watch pods from now on, recording when each turns Ready.
    const readyAt = new Map<string, number>();
    const podWatch = (async () => {
      // A shared control plane may drop the watch (or restart): watch again, and say so, since
      // a pod that turned Ready meanwhile is timed when it is seen again.
      while (!watchAbort.signal.aborted) {
        try {
          for await (
            const ev of client.watch(podMapping, ns, { signal: watchAbort.signal })
          ) {
            const name = String((ev.object.metadata as { name?: string })?.name);
            if (ev.type !== "BOOKMARK" && isReady(ev.object) && !readyAt.has(name)) {
              readyAt.set(name, performance.now());
            }
          }
        } catch (e) {
          if (watchAbort.signal.aborted) return;
          console.error(`pod watch dropped (${(e as Error).message}); watching again`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    })();
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
    const binary = join(root, "dist/kstatus");
    const kstatusArgs = (reader: string) => [
      ...(values.profile
        ? [
          Deno.execPath(),
          "run",
          "-A",
          "--cpu-prof",
          `--cpu-prof-dir=${join(values.profile, `${n}-${reader}`)}`,
          join(root, "main.ts"),
        ]
        : [binary]),
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
    const peerArgs = (mode: string[]) => [
      join(vars.KSTATUS_CLUSTER_BIN, "kstatus-peer"),
      ...mode,
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
      "--timeout",
      "15m",
    ];
    const kstatusPerCycle = (lines: string[]) => {
      const summary = lines.map((l) => JSON.parse(l)).find((o) => o.type === "summary");
      const stats = summary?.stats;
      if (!stats?.cycles) return "?";
      const lists = Object.entries(stats.byVerb as Record<string, number>)
        .filter(([k]) => !k.startsWith("discovery"))
        .reduce((a, [, v]) => a + v, 0);
      return `${(lists / stats.cycles).toFixed(1)} (${lists} requests / ${stats.cycles} cycles)`;
    };
    const peerPerCycle = (lines: string[]) => {
      const last = lines.map((l) => JSON.parse(l)).find((o) => o.requests !== undefined);
      if (!last) return "?";
      if (!last.cycles) return `no cycles (${last.requests} requests in all)`;
      return `${median(last.perCycle)} median (${last.requests} requests / ${last.cycles} cycles)`;
    };
    const runs = await Promise.all([
      runTool(
        "kstatus (caching)",
        kstatusArgs("caching"),
        (l) => l.includes('"type":"summary"'),
        kstatusPerCycle,
      ),
      runTool(
        "kstatus (watch)",
        kstatusArgs("watch"),
        (l) => l.includes('"type":"summary"'),
        kstatusPerCycle,
      ),
      runTool(
        "cli-utils (poller)",
        peerArgs(["--interval", interval]),
        (l) => l.includes('"allCurrent":true'),
        peerPerCycle,
      ),
      runTool(
        "cli-utils (watcher)",
        peerArgs(["--watcher"]),
        (l) => l.includes('"allCurrent":true'),
        peerPerCycle,
      ),
    ]);
    watchAbort.abort();
    await podWatch;
    const lastReady = Math.max(...readyAt.values());
    console.log(`pods Ready: ${readyAt.size}/${n}`);
    console.log(
      "tool                 requests per poll cycle                 last pod Ready → verdict  CPU s   peak MB  exit",
    );
    for (const r of runs) {
      const latency = r.verdictAt === undefined
        ? "none"
        : `${Math.round(r.verdictAt - lastReady)} ms`;
      console.log(
        `${r.name.padEnd(20)} ${r.requestsPerCycle.padEnd(40)} ${latency.padStart(24)}  ${
          r.cpuSeconds.toFixed(2).padStart(5)
        }  ${String(r.peakMb).padStart(7)}  ${r.exitCode}`,
      );
    }
    const [caching, watch, poller, watcher] = runs;
    const latency = (r: ToolRun) =>
      r.verdictAt === undefined ? "none" : `${Math.round(r.verdictAt - lastReady)}ms`;
    // One line per ratio, in a fixed form for scripts (issue 14).
    for (
      const [a, b, label] of [
        [watch, watcher, "kstatus(watch)/cli-utils(watcher)"],
        [caching, poller, "kstatus(caching)/cli-utils(poller)"],
        [watch, caching, "kstatus(watch)/kstatus(caching)"],
      ] as const
    ) {
      console.log(
        `ratio N=${n} ${label}: cpu ${(a.cpuSeconds / b.cpuSeconds).toFixed(2)}x memory ${
          (a.peakMb / b.peakMb).toFixed(2)
        }x latency ${latency(a)}/${latency(b)}`,
      );
    }
    results.push({ n, runs, lastReady });
  } finally {
    watchAbort.abort();
    await client.delete(nsMapping, "", ns).catch(() => {});
    client.close();
  }
}

if (import.meta.main) {
  const vars = clusterVars();
  console.log(`kstatus vs cli-utils on the local control plane (${vars.KSTATUS_APISERVER_URL})`);
  for (const n of values.counts!.split(",").map(Number)) await benchOnce(n);
  const points: ChartPoint[] = results.flatMap(({ n, runs, lastReady }) =>
    runs.map((r) => ({
      n,
      tool: r.name,
      cpu: r.cpuSeconds,
      memory: r.peakMb,
      latency: r.verdictAt === undefined ? undefined : Math.max(0, r.verdictAt - lastReady),
    }))
  );
  if (points.length > 0) {
    const chart = values.chart ?? join(root, "docs", "bench-e2e.svg");
    await Deno.writeTextFile(
      chart,
      renderChart(points, `kstatus and cli-utils over N Deployments (${values.interval} interval)`),
    );
    console.log(`\nchart written to ${chart}`);
  }
}
