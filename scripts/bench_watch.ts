/**
 * Watch-backed reader against the caching reader, side by side in one run,
 * on the HTTPS fake API server through the real client:
 *
 * - requests per steady poll cycle (1,000 Deployments with their
 *   ReplicaSets and Pods, in 3 namespaces);
 * - latency from a server-side write (a Deployment's status changed) to the
 *   matching `ResourceUpdate` event, p50/p95 over 50 writes made at random
 *   moments, poll interval 2 s for both;
 * - memory held by a synced reader for 10,000 objects (RSS and V8 heap,
 *   before and after; run with `--v8-flags=--expose-gc` for steadier figures).
 *
 * `deno run -A --v8-flags=--expose-gc scripts/bench_watch.ts`. Prints
 * figures, asserts nothing. `BENCH_WRITES` and `BENCH_DEPLOYMENTS` change the sizes.
 *
 * @module
 */

import {
  cachingClusterReaderFactory,
  type ClusterReader,
  type ClusterReaderFactory,
  createCachingClusterReader,
  createStatusPoller,
  createWatchClusterReader,
  type Event,
  type KubeObject,
  type ObjectIdentifier,
  watchClusterReaderFactory,
} from "../mod.ts";
import { createClient, type KubeClient, loadClientConfig } from "../lib/kube/mod.ts";
import { type FakeApiServer, startFakeApiServer } from "../tests/support/fake_apiserver.ts";
import { deploymentFamily } from "./bench_fixtures.ts";

const INTERVAL = 2000;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `n` Deployment families (Deployment, ReplicaSet, 2 Pods) in 3 namespaces. */
function fixture(n: number, prefix: string): { objects: KubeObject[]; ids: ObjectIdentifier[] } {
  const objects: KubeObject[] = [];
  const ids: ObjectIdentifier[] = [];
  for (let i = 0; i < n; i++) {
    const ns = `${prefix}-${i % 3}`;
    objects.push(...deploymentFamily(`web-${i}`, ns, 2));
    ids.push({ group: "apps", kind: "Deployment", namespace: ns, name: `web-${i}` });
  }
  return { objects, ids };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Poll {
  events: Event[];
  syncs: number[];
  waitFor(pred: (e: Event) => boolean, from: number, ms: number): Promise<void>;
  stop(): Promise<void>;
}

/** Polls `ids` in the background; records events and the request count at each sync. */
function startPoll(client: KubeClient, factory: ClusterReaderFactory, ids: ObjectIdentifier[]) {
  const syncs: number[] = [];
  const events: Event[] = [];
  const listeners = new Set<() => void>();
  let reader: ClusterReader | undefined;
  const engine = createStatusPoller({
    mapper: client.mapper,
    clusterReaderFactory: async (args) => {
      reader = await factory(args);
      const sync = reader.sync.bind(reader);
      reader.sync = (options) => {
        syncs.push(client.requests.total());
        return sync(options);
      };
      return reader;
    },
  });
  const controller = new AbortController();
  const done = (async () => {
    for await (const e of engine.poll(ids, { pollInterval: INTERVAL, signal: controller.signal })) {
      events.push(e);
      for (const l of [...listeners]) l();
    }
  })();
  const poll: Poll = {
    events,
    syncs,
    waitFor(pred, from, ms) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!events.slice(from).some(pred)) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no matching event within ${ms} ms`));
        }, ms);
        listeners.add(check);
        check();
      });
    },
    async stop() {
      controller.abort();
      await done;
      await (reader as { closed?: Promise<void> } | undefined)?.closed;
    },
  };
  return poll;
}

interface Figures {
  firstCycleMs: number;
  steadyRequests: number[];
  latencies: number[];
  requestsDuringWrites: number;
}

/** Requests per steady cycle and write-to-event latency for one reader. */
async function measure(
  server: FakeApiServer,
  client: KubeClient,
  factory: ClusterReaderFactory,
  ids: ObjectIdentifier[],
  objects: KubeObject[],
  writes: number,
  offset: number,
): Promise<Figures> {
  const t0 = performance.now();
  const poll = startPoll(client, factory, ids);
  const seen = new Set<string>();
  await poll.waitFor(
    (e) => {
      if (e.type === "ResourceUpdate") seen.add(e.resource.identifier.name);
      return seen.size === ids.length;
    },
    0,
    120_000,
  );
  const firstCycleMs = performance.now() - t0;

  // Three ticks: the request count between consecutive syncs.
  const start = poll.syncs.length;
  while (poll.syncs.length < start + 4) await sleep(50);
  const marks = poll.syncs.slice(start, start + 4);
  const steadyRequests = marks.slice(1).map((m, i) => m - marks[i]);

  const before = client.requests.total();
  const latencies: number[] = [];
  const deployments = objects.filter((o) => o.kind === "Deployment");
  for (let w = 0; w < writes; w++) {
    // A random moment within a poll interval, so the caching reader is sampled at every phase.
    await sleep(Math.random() * INTERVAL);
    const target = structuredClone(deployments[(offset + w * 17) % deployments.length]);
    const name = (target.metadata as { name: string }).name;
    const status = target.status as Record<string, unknown>;
    status.readyReplicas = 1;
    status.availableReplicas = 1;
    const from = poll.events.length;
    const tw = performance.now();
    server.put(target);
    await poll.waitFor(
      (e) => e.type === "ResourceUpdate" && e.resource.identifier.name === name,
      from,
      30_000,
    );
    latencies.push(performance.now() - tw);
  }
  const requestsDuringWrites = client.requests.total() - before;
  await poll.stop();
  return { firstCycleMs, steadyRequests, latencies, requestsDuringWrites };
}

function report(label: string, f: Figures): void {
  const sorted = [...f.latencies].sort((a, b) => a - b);
  const avg = f.steadyRequests.reduce((a, b) => a + b, 0) / f.steadyRequests.length;
  console.log(
    `  ${label.padEnd(8)} first full status ${f.firstCycleMs.toFixed(0)} ms; ` +
      `requests per steady cycle ${avg} (${f.steadyRequests.join(", ")}); ` +
      `write→event p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${
        percentile(sorted, 95).toFixed(1)
      } ms, max ${sorted.at(-1)!.toFixed(1)} ms over ${sorted.length} writes; ` +
      `${f.requestsDuringWrites} requests meanwhile`,
  );
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

/** RSS and heap held by a synced reader of `ids` (the server's own copies are there before). */
async function memoryHeld(
  label: string,
  make: () => ClusterReader,
): Promise<void> {
  gc();
  await sleep(100);
  gc();
  const before = Deno.memoryUsage();
  const reader = make();
  await reader.sync();
  await sleep(200); // let the watches open
  gc();
  await sleep(100);
  gc();
  const after = Deno.memoryUsage();
  console.log(
    `  ${label}: RSS ${mb(before.rss)} → ${mb(after.rss)} (+${
      mb(after.rss - before.rss)
    }); V8 heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} (+${
      mb(after.heapUsed - before.heapUsed)
    })`,
  );
  reader.close?.();
  await (reader as { closed?: Promise<void> }).closed;
}

if (import.meta.main && Deno.args[0] === "--memory") {
  await memoryMain(Deno.args[1]);
} else if (import.meta.main) {
  const n = Number(Deno.env.get("BENCH_DEPLOYMENTS") ?? 1000);
  const writes = Number(Deno.env.get("BENCH_WRITES") ?? 50);
  console.log(
    `kstatus watch reader benchmark (${Deno.build.os}/${Deno.build.arch}, deno ${Deno.version.deno}` +
      `${(globalThis as { gc?: unknown }).gc ? ", gc exposed" : ""})`,
  );

  const { objects, ids } = fixture(n, "ns");
  const server = await startFakeApiServer();
  try {
    for (const o of objects) server.put(o);
    const config = await loadClientConfig({ kubeconfig: await server.kubeconfig(), env: {} });
    console.log(
      `${n} Deployments in 3 namespaces (${objects.length} objects), poll interval ${INTERVAL} ms:`,
    );
    // Warm-up (JIT, TLS, the server's JSON paths), so the first reader measured is not penalised.
    const warm = createClient(config);
    try {
      const engine = createStatusPoller({
        mapper: warm.mapper,
        clusterReaderFactory: cachingClusterReaderFactory(warm),
      });
      for await (const _ of engine.poll(ids, { signal: AbortSignal.timeout(INTERVAL / 2) })) {
        // one cycle, drained
      }
    } finally {
      warm.close();
    }
    for (
      const [label, make] of [
        ["watch", (c: KubeClient) => watchClusterReaderFactory(c)],
        ["caching", (c: KubeClient) => cachingClusterReaderFactory(c)],
      ] as const
    ) {
      const client = createClient(config);
      try {
        // Different Deployments per reader, so every write is a real change.
        const offset = label === "watch" ? 0 : Math.floor(n / 2);
        report(label, await measure(server, client, make(client), ids, objects, writes, offset));
      } finally {
        client.close();
      }
    }
  } finally {
    await server.close();
  }

  // Each reader in a fresh process, so RSS is not muddled by what the other freed.
  console.log(`memory held by a synced reader (fresh process each):`);
  for (const label of ["watch", "caching"]) {
    const { stdout } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--v8-flags=--expose-gc", import.meta.filename!, "--memory", label],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    Deno.stdout.writeSync(stdout);
  }
}

/** `--memory watch|caching`: the memory figures of one reader over 10,000 objects. */
async function memoryMain(label: string): Promise<void> {
  const big = fixture(2500, "mem");
  const memServer = await startFakeApiServer();
  try {
    for (const o of big.objects) memServer.put(o);
    const config = await loadClientConfig({ kubeconfig: await memServer.kubeconfig(), env: {} });
    const client = createClient(config);
    const engine = createStatusPoller({
      mapper: client.mapper,
      clusterReaderFactory: cachingClusterReaderFactory(client),
    });
    const args = {
      identifiers: big.ids,
      mapper: client.mapper,
      childKinds: (gk: { group: string; kind: string }) => engine.childKinds(gk),
    };
    await client.mapper.mapping({ group: "apps", kind: "Deployment" }); // discovery out of the way
    try {
      await memoryHeld(
        `${label}, ${big.objects.length} objects`,
        label === "watch"
          ? () => createWatchClusterReader(client, args)
          : () => createCachingClusterReader(client, args),
      );
    } finally {
      client.close();
    }
  } finally {
    await memServer.close();
  }
}
