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

import {
  cachingClusterReaderFactory,
  computeStatus,
  createMemoryCluster,
  createStatusPoller,
  type KubeApi,
  type KubeObject,
  type ObjectIdentifier,
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
