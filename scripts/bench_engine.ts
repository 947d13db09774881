/**
 * Engine benchmark (`deno task bench`): status computation throughput over
 * 10,000 generated objects of mixed kinds, and polling cycles over 1,000
 * Deployments with their ReplicaSets and Pods, served by the HTTPS fake API
 * server through the real client (and, for reference, by the in-memory
 * cluster): requests per cycle, milliseconds per cycle, peak memory.
 *
 * Figures are printed, never asserted.
 *
 * @module
 */

import {
  cachingClusterReaderFactory,
  computeStatus,
  createMemoryCluster,
  type KubeApi,
  type ObjectIdentifier,
  PollerEngine,
} from "../mod.ts";
import { deploymentFamily, mixedObjects } from "./bench_fixtures.ts";

function memoryMb(): number {
  return Math.round(Deno.memoryUsage().rss / 1024 / 1024);
}

let peakRss = memoryMb();
const sample = () => {
  peakRss = Math.max(peakRss, memoryMb());
};

function benchCompute(n: number, rounds: number): void {
  const objects = mixedObjects(n);
  const now = new Date();
  for (const o of objects) computeStatus(o, { now }); // warm-up
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const o of objects) computeStatus(o, { now });
  const ms = performance.now() - t0;
  const perSec = Math.round((n * rounds) / (ms / 1000));
  console.log(
    `computeStatus: ${n} objects x ${rounds} rounds in ${ms.toFixed(1)} ms = ${perSec.toLocaleString("en")} objects/s`,
  );
  sample();
}

/** Runs `cycles` polling cycles and reports requests and time per cycle. */
export async function benchCycles(
  label: string,
  api: KubeApi,
  ids: ObjectIdentifier[],
  cycles: number,
  requestCount: () => number,
): Promise<void> {
  const engine = new PollerEngine({
    mapper: api.mapper,
    clusterReaderFactory: cachingClusterReaderFactory(api),
  });
  const controller = new AbortController();
  let seenInCycle = 0;
  let cycle = 0;
  const durations: number[] = [];
  const before = requestCount();
  let cycleStart = performance.now();
  // A short interval so cycles run back to back; events only come on change,
  // so cycle ends are detected by timing the engine's sync calls instead.
  const interval = 1;
  const started = performance.now();
  for await (const e of engine.poll(ids, { pollInterval: interval, signal: controller.signal })) {
    if (e.type !== "ResourceUpdate") continue;
    seenInCycle++;
    if (seenInCycle === ids.length) break; // first cycle done: every id reported once
  }
  durations.push(performance.now() - started);
  sample();
  // Steady cycles: drive the cluster reader directly, as the engine does each tick.
  const reader = await cachingClusterReaderFactory(api)({
    identifiers: ids,
    mapper: api.mapper,
    childKinds: (gk) => engine.childKinds(gk),
  });
  const { defaultStatusReaders, genericStatusReader, lookupStatusReader } = await import(
    "../mod.ts"
  );
  const registry = defaultStatusReaders();
  const ctx = {
    cluster: reader,
    mapper: api.mapper,
    registry,
    now: () => new Date(),
  };
  const steadyBefore = requestCount();
  for (cycle = 0; cycle < cycles; cycle++) {
    cycleStart = performance.now();
    await reader.sync();
    for (const id of ids) {
      await lookupStatusReader(registry, id, genericStatusReader).readStatus(ctx, id);
    }
    durations.push(performance.now() - cycleStart);
    sample();
  }
  const steadyRequests = (requestCount() - steadyBefore) / cycles;
  const firstRequests = steadyBefore - before;
  const steady = durations.slice(1);
  const avg = steady.reduce((a, b) => a + b, 0) / steady.length;
  console.log(
    `${label}: first cycle ${durations[0].toFixed(1)} ms (${firstRequests} requests incl. discovery); ` +
      `steady cycle ${avg.toFixed(1)} ms avg over ${cycles}, ${steadyRequests} requests/cycle; peak RSS ${peakRss} MB`,
  );
}

if (import.meta.main) {
  console.log(`kstatus engine benchmark (${Deno.build.os}/${Deno.build.arch}, deno ${Deno.version.deno})`);
  benchCompute(10_000, 5);

  const n = 1000;
  const objects = [];
  const ids: ObjectIdentifier[] = [];
  for (let i = 0; i < n; i++) {
    const ns = `ns-${i % 3}`;
    objects.push(...deploymentFamily(`web-${i}`, ns, 2));
    ids.push({ group: "apps", kind: "Deployment", namespace: ns, name: `web-${i}` });
  }
  const memory = createMemoryCluster(objects);
  await benchCycles(
    `memory cluster, ${n} Deployments (${objects.length} objects)`,
    memory.api,
    ids,
    5,
    () => memory.calls.length,
  );
  const server = await import("./bench_server.ts").catch(() => undefined);
  if (server) await server.benchAgainstFakeServer(objects, ids, benchCycles);
  else console.log("fake API server cycle: skipped (scripts/bench_server.ts not present yet)");
}
