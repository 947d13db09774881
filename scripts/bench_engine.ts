/**
 * Engine benchmark (`deno task bench`): status computation throughput over
 * 10,000 generated objects of mixed kinds, and polling cycles over 1,000
 * Deployments with their ReplicaSets and Pods, served by the HTTPS fake API
 * server through the real client (and by the in-memory cluster, to separate
 * the engine's own cost from HTTP and JSON): requests per cycle,
 * milliseconds per cycle, peak memory.
 *
 * Figures are printed, never asserted.
 *
 * @module
 */

import { BUILTIN_FIXTURES } from "../lib/rules/builtin/fixtures.gen.ts";
import {
  BUILTIN_RULES,
  cachingClusterReaderFactory,
  computeStatus,
  createMemoryCluster,
  createRuleSet,
  createStatusPoller,
  type KubeApi,
  type KubeObject,
  type ObjectIdentifier,
  parseRuleFile,
} from "../mod.ts";
import { createClient, loadClientConfig } from "../lib/kube/mod.ts";
import { startFakeApiServer } from "../tests/support/fake_apiserver.ts";
import { deploymentFamily, mixedObjects } from "./bench_fixtures.ts";

let peakRss = 0;
function sampleMemory(): void {
  peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
}
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

function benchCompute(n: number, rounds: number): void {
  const objects = mixedObjects(n);
  const now = new Date();
  for (const o of objects) computeStatus(o, { now }); // warm-up
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const o of objects) computeStatus(o, { now });
  const ms = performance.now() - t0;
  const perSec = Math.round((n * rounds) / (ms / 1000));
  console.log(
    `computeStatus: ${n} mixed objects x ${rounds} rounds: ${ms.toFixed(1)} ms, ` +
      `${perSec.toLocaleString("en")} objects/s`,
  );
  sampleMemory();
}

/**
 * Health rules: every built-in fixture object judged through a rule set with the pack (the
 * rule found by kind, its CEL expressions run), as the engine judges objects.
 */
function benchRules(rounds: number): void {
  const objects = Object.values(BUILTIN_FIXTURES).flat().map((f) => f.object);
  const set = createRuleSet({ builtin: BUILTIN_RULES });
  const now = new Date();
  for (const o of objects) set.compute(o, now); // warm-up, and compiles each rule once
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const o of objects) set.compute(o, now);
  const ms = performance.now() - t0;
  const perSec = Math.round((objects.length * rounds) / (ms / 1000));
  console.log(
    `rules, the built-in pack: ${objects.length} fixture objects (${BUILTIN_RULES.length} ` +
      `rules, a fifth without status) x ${rounds} rounds: ${ms.toFixed(1)} ms, ` +
      `${perSec.toLocaleString("en")} verdicts/s`,
  );
  // One Flux-style rule (Ready condition, observedGeneration) on objects that have a status.
  const rule = parseRuleFile(
    "- apiVersion: example.com/v1\n  kind: Widget\n" +
      "  failed: status.conditions.exists(c, c.type == 'Ready' && c.status == 'False' && " +
      "c.reason == 'Failed')\n" +
      "  current: status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')\n",
    "bench.yaml",
  );
  const one = createRuleSet({ rules: rule });
  const widgets = Array.from({ length: 1000 }, (_, i) => ({
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: `w${i}`, namespace: "ns", generation: 2 },
    status: {
      observedGeneration: 2,
      conditions: [
        { type: "Reconciling", status: "False", reason: "Succeeded", message: "ok" },
        { type: "Stalled", status: "False", reason: "Succeeded", message: "ok" },
        { type: "Ready", status: i % 10 === 0 ? "False" : "True", reason: "Succeeded" },
      ],
    },
  }));
  for (const w of widgets) one.compute(w, now);
  const t1 = performance.now();
  for (let r = 0; r < rounds; r++) for (const w of widgets) one.compute(w, now);
  const ms1 = performance.now() - t1;
  const perSec1 = Math.round((widgets.length * rounds) / (ms1 / 1000));
  console.log(
    `rules, one Flux-style rule: ${widgets.length} objects x ${rounds} rounds: ` +
      `${ms1.toFixed(1)} ms, ${perSec1.toLocaleString("en")} rule evaluations/s ` +
      "(target >= 200,000/s)",
  );
  sampleMemory();
}

/**
 * Polls `ids` with the caching reader for `cycles` cycles back to back and
 * prints the time and requests of the first cycle (discovery included) and
 * of the steady ones.
 */
async function benchCycles(
  label: string,
  api: KubeApi,
  ids: ObjectIdentifier[],
  cycles: number,
  requestCount: () => number,
): Promise<void> {
  // The reader calls sync() once per cycle: time and count between calls.
  const marks: Array<{ t: number; requests: number }> = [];
  const factory = cachingClusterReaderFactory(api);
  const engine = createStatusPoller({
    mapper: api.mapper,
    clusterReaderFactory: async (args) => {
      const reader = await factory(args);
      const sync = reader.sync.bind(reader);
      reader.sync = (options) => {
        marks.push({ t: performance.now(), requests: requestCount() });
        sampleMemory();
        return sync(options);
      };
      return reader;
    },
  });
  const controller = new AbortController();
  const start = { t: performance.now(), requests: requestCount() };
  // An interval of 1 ms runs cycles back to back; the loop ends after `cycles + 1` syncs.
  const poll = engine.poll(ids, { pollInterval: 1, signal: controller.signal });
  const drain = (async () => {
    for await (const _ of poll) {
      if (marks.length > cycles + 1) break;
    }
  })();
  while (marks.length <= cycles + 1) await new Promise((r) => setTimeout(r, 5));
  controller.abort();
  await drain;
  const first = { ms: marks[1].t - start.t, requests: marks[1].requests - start.requests };
  const steady = marks.slice(1, cycles + 1).map((m, i) => ({
    ms: marks[i + 2].t - m.t,
    requests: marks[i + 2].requests - m.requests,
  }));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `${label}:\n  first cycle ${
      first.ms.toFixed(0)
    } ms, ${first.requests} requests (with discovery)` +
      `\n  steady cycle ${avg(steady.map((s) => s.ms)).toFixed(0)} ms avg over ${cycles}, ` +
      `${avg(steady.map((s) => s.requests))} requests per cycle; peak RSS so far ${mb(peakRss)}`,
  );
}

if (import.meta.main) {
  console.log(
    `kstatus engine benchmark (${Deno.build.os}/${Deno.build.arch}, deno ${Deno.version.deno})`,
  );
  sampleMemory();
  benchCompute(10_000, 5);
  benchRules(100);

  const n = Number(Deno.env.get("BENCH_DEPLOYMENTS") ?? 1000);
  const objects: KubeObject[] = [];
  const ids: ObjectIdentifier[] = [];
  for (let i = 0; i < n; i++) {
    const ns = `ns-${i % 3}`;
    objects.push(...deploymentFamily(`web-${i}`, ns, 2));
    ids.push({ group: "apps", kind: "Deployment", namespace: ns, name: `web-${i}` });
  }

  const memory = createMemoryCluster(objects);
  await benchCycles(
    `in-memory cluster, ${n} Deployments in 3 namespaces (${objects.length} objects)`,
    memory.api,
    ids,
    5,
    () => memory.calls.length,
  );

  const server = await startFakeApiServer();
  try {
    for (const o of objects) server.put(o);
    const config = await loadClientConfig({ kubeconfig: await server.kubeconfig() });
    const client = createClient(config);
    try {
      await benchCycles(
        `fake API server over HTTPS, ${n} Deployments in 3 namespaces (${objects.length} objects)`,
        client,
        ids,
        5,
        () => client.requests.total(),
      );
      console.log(`  requests by verb and resource: ${JSON.stringify(client.requests.snapshot())}`);
    } finally {
      client.close();
    }
  } finally {
    await server.close();
  }
  console.log(`peak RSS: ${mb(peakRss)}`);
}
