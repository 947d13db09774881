import assert from "node:assert/strict";
import {
  type CallOptions,
  type ClusterReader,
  createDirectClusterReader,
  createManualClock,
  createMemoryCluster,
  defaultStatusReaders,
  genericStatusReader,
  type KubeObject,
  type MemoryCluster,
  type ObjectIdentifier,
  type StatusReader,
  type StatusReaderRegistry,
  tickRecheck,
} from "../../mod.ts";
import {
  callLines,
  configMap,
  deploymentTree,
  gate,
  id,
  record,
  settle,
  test,
  tree,
  untilAborted,
  updates,
} from "./fixtures.ts";
import { eachReader, rig, until } from "./rig.ts";
import { updatesPoller } from "../support/poller.ts";

const START = Date.parse("2025-01-01T00:00:00Z");
const INTERVAL = 1000;

/** A direct reader that also reports changes (as a watch-backed one does) when told to. */
function changeReporting(cluster: MemoryCluster) {
  let pending: ObjectIdentifier[] = [];
  let wake: (() => void) | undefined;
  let syncs = 0;
  const reader: ClusterReader = {
    ...createDirectClusterReader(cluster.api),
    sync: () => (syncs++, Promise.resolve()),
    nextChange(options?: CallOptions) {
      return new Promise((resolve, reject) => {
        const signal = options?.signal;
        const onAbort = () => {
          wake = undefined;
          reject(signal!.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        wake = () => {
          if (pending.length === 0) return;
          const out = pending;
          pending = [];
          wake = undefined;
          signal?.removeEventListener("abort", onAbort);
          resolve(out);
        };
        wake();
      });
    },
  };
  return {
    reader,
    syncs: () => syncs,
    /** Changes `obj` in the cluster and reports it. */
    change(obj: KubeObject) {
      cluster.put(obj);
      const meta = obj.metadata as { name: string; namespace: string };
      const [group] = String(obj.apiVersion).includes("/")
        ? String(obj.apiVersion).split("/")
        : [""];
      pending.push({ group, kind: String(obj.kind), namespace: meta.namespace, name: meta.name });
      wake?.();
    },
  };
}

test("changes: a reported change re-reads only the resources it concerns, at once", async () => {
  const objects = [configMap("a"), ...deploymentTree("web"), ...deploymentTree("api")];
  const cluster = createMemoryCluster(objects);
  const feed = changeReporting(cluster);
  const clock = createManualClock(START);
  const engine = updatesPoller({
    mapper: cluster.mapper,
    clusterReaderFactory: () => feed.reader,
    clock,
  });
  const ids = [
    id("", "ConfigMap", "a"),
    id("apps", "Deployment", "web"),
    id("apps", "Deployment", "api"),
  ];
  const ctl = new AbortController();
  const run = record(engine.poll(ids, { pollInterval: INTERVAL, signal: ctl.signal }));
  await settle();
  assert.equal(run.events.length, 3);
  const before = cluster.calls.length;

  // A pod of the Deployment crashes: no tick needed, no sync. Its owners are followed up to the
  // Deployment, which alone is read again: not the ConfigMap, nor the other Deployment of the
  // same namespace.
  const pod = objects[3];
  feed.change({ ...pod, status: { phase: "Pending" } });
  await settle();
  assert.equal(clock.now(), START);
  assert.equal(feed.syncs(), 1);
  assert.deepEqual(callLines(cluster.calls.slice(before)), [
    "get Pod ns", // the owner chain: Pod → ReplicaSet → Deployment
    "get ReplicaSet ns",
    "get Deployment ns",
    "get Deployment ns", // the re-read of the Deployment and its children
    "list ReplicaSet ns",
    "list Pod ns",
  ]);
  assert.equal(run.events.length, 4);
  assert.deepEqual(tree(updates(run.events)[3]), [
    "Deployment/web Current",
    "  ReplicaSet/web-rs Current",
    "    Pod/web-rs-0 InProgress",
  ]);

  // The tick still comes on time, with a sync and every resource read.
  await clock.advance(INTERVAL);
  await settle();
  assert.equal(feed.syncs(), 2);
  assert.deepEqual(callLines(cluster.calls.slice(before + 6)), [
    "get ConfigMap ns",
    "get Deployment ns",
    "list ReplicaSet ns",
    "list Pod ns",
    "get Deployment ns",
    "list ReplicaSet ns",
    "list Pod ns",
  ]);

  // A change to the ConfigMap itself re-reads the ConfigMap only (after looking it up: no owner).
  feed.change(configMap("a", { data: { k: "v" } }));
  await settle();
  assert.deepEqual(callLines(cluster.calls.slice(before + 13)), [
    "get ConfigMap ns",
    "get ConfigMap ns",
  ]);

  // A pod that is gone cannot be followed to its owner: every Deployment of the namespace is
  // read again, as they all have pods.
  const gone = objects[3];
  const goneMeta = gone.metadata as { name: string; namespace: string };
  cluster.remove({ group: "", kind: "Pod", namespace: goneMeta.namespace, name: goneMeta.name });
  const mark = cluster.calls.length;
  feed.change({ ...gone });
  cluster.remove({ group: "", kind: "Pod", namespace: goneMeta.namespace, name: goneMeta.name });
  await settle();
  const reads = callLines(cluster.calls.slice(mark)).filter((l) => l === "get Deployment ns");
  assert.equal(reads.length, 2, "both Deployments re-read");

  ctl.abort();
  await run.done;
  assert.equal(clock.sleepers, 0);
});

test("changes: a change feed that fails waits for the tick, it does not spin", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  const clock = createManualClock(START);
  const ctl = new AbortController();
  let asked = 0;
  const engine = updatesPoller({
    mapper: cluster.mapper,
    clusterReaderFactory: () => ({
      ...createDirectClusterReader(cluster.api),
      nextChange() {
        // Bounded, so that a spinning engine fails this test instead of hanging it.
        if (++asked > 20) ctl.abort();
        return Promise.reject(new Error("watch broken"));
      },
    }),
    clock,
  });
  const run = record(engine.poll([id("", "ConfigMap", "a")], {
    pollInterval: INTERVAL,
    signal: ctl.signal,
  }));
  await settle();
  assert.equal(cluster.calls.length, 1, "polled again before the tick");
  await clock.advance(INTERVAL - 1);
  await settle();
  assert.equal(cluster.calls.length, 1, "polled again before the tick");
  await clock.advance(1);
  await settle();
  assert.equal(cluster.calls.length, 2);
  assert.equal(ctl.signal.aborted, false);
  ctl.abort();
  await run.done;
  assert.equal(clock.sleepers, 0);
});

/** The default status readers (and the generic one for ConfigMaps), logging what they read. */
function loggingRegistry(log: string[]): StatusReaderRegistry {
  const logging = (reader: StatusReader): StatusReader => ({
    supports: (gk) => reader.supports(gk),
    readStatus(ctx, i) {
      log.push(i.name);
      return reader.readStatus(ctx, i);
    },
    readStatusForObject: (ctx, obj) => reader.readStatusForObject(ctx, obj),
    childKinds: reader.childKinds,
  });
  const registry: StatusReaderRegistry = new Map([["ConfigMap", logging(genericStatusReader)]]);
  for (const [key, reader] of defaultStatusReaders()) registry.set(key, logging(reader));
  return registry;
}

eachReader(
  "changes: the watch reader's changes re-read what they concern at once; others wait for the tick",
  async (kind) => {
    const objects = [configMap("a"), ...deploymentTree("web"), ...deploymentTree("api")];
    const read: string[] = [];
    const r = rig(kind, objects, { registry: loggingRegistry(read) });
    const ids = [
      id("", "ConfigMap", "a"),
      id("apps", "Deployment", "web"),
      id("apps", "Deployment", "api"),
    ];
    const ctl = new AbortController();
    const run = record(r.engine.poll(ids, { pollInterval: INTERVAL, signal: ctl.signal }));
    await until(() => run.events.length === 3, "the first poll");
    assert.deepEqual(read, ["a", "web", "api"]);

    /** What is read after `write`, before the tick and at the tick. */
    const after = async (write: () => void, atOnce: string[]) => {
      read.length = 0;
      write();
      await settle();
      assert.deepEqual(read, kind === "watch" ? atOnce : [], "read before the tick");
      read.length = 0;
      await r.tick();
      assert.deepEqual(read, ["a", "web", "api"], "read at the tick");
    };
    // A pod of web: followed up its owners to the Deployment, which alone is read again.
    const webPod = objects[3];
    await after(() => r.cluster.put({ ...webPod, status: { phase: "Pending" } }), ["web"]);
    assert.equal(run.events.length, 4);
    assert.deepEqual(tree(updates(run.events)[3]), [
      "Deployment/web Current",
      "  ReplicaSet/web-rs Current",
      "    Pod/web-rs-0 InProgress",
    ]);
    // The ConfigMap: itself only.
    await after(() => r.cluster.put(configMap("a", { data: { k: "v" } })), ["a"]);
    // A pod gone cannot be followed to its owner: every Deployment of the namespace (they all
    // have pods) is read again, not the ConfigMap.
    await after(() => r.cluster.remove(id("", "Pod", "api-rs-0")), ["web", "api"]);
    assert.equal(run.events.length, 5);
    assert.deepEqual(tree(updates(run.events)[4]), [
      "Deployment/api Current",
      "  ReplicaSet/api-rs Current",
    ]);
    // Changes are not cycles: one sync per tick.
    assert.equal(r.syncs(), 4);
    ctl.abort();
    await run.done;
    await r.released();
  },
);

eachReader(
  "changes: with tickRecheck, a watch reader's tick reads only what time alone can change",
  async (kind) => {
    const waiting = deploymentTree("api");
    // A pod the scheduler could not place: InProgress for its first 15 s, then Failed.
    waiting[2] = {
      ...waiting[2],
      metadata: {
        ...(waiting[2].metadata as object),
        creationTimestamp: new Date(START).toISOString(),
      },
      status: {
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }],
      },
    };
    const objects = [configMap("a"), ...deploymentTree("web"), ...waiting];
    const read: string[] = [];
    const r = rig(kind, objects, { registry: loggingRegistry(read), tickRecheck });
    const ids = [
      id("", "ConfigMap", "a"),
      id("apps", "Deployment", "web"),
      id("apps", "Deployment", "api"),
      id("", "ConfigMap", "missing"),
    ];
    const ctl = new AbortController();
    const run = record(r.engine.poll(ids, { pollInterval: INTERVAL, signal: ctl.signal }));
    await until(() => run.events.length === 4, "the first poll");
    assert.deepEqual(read, ["a", "web", "api", "missing"]);
    const all = ["a", "web", "api", "missing"];
    const atTick = async (expected: string[]) => {
      read.length = 0;
      await r.tick();
      assert.deepEqual(read, kind === "watch" ? expected : all);
    };
    // The settled ones are left alone: a change would have been reported.
    await atTick(["api", "missing"]);
    for (let i = 0; i < 14; i++) await atTick(["api", "missing"]);
    // Past the window the pod is Failed, noticed by a tick though nothing was written.
    const last = updates(run.events).at(-1)!;
    assert.deepEqual(tree(last), [
      "Deployment/api Current",
      "  ReplicaSet/api-rs Current",
      "    Pod/api-rs-0 Failed",
    ]);
    // Failed for good once its window passed: ticks leave it alone.
    await atTick(["missing"]);
    // Scheduled and Ready: the change is read at once, and later ticks skip it too.
    read.length = 0;
    r.cluster.put({
      ...waiting[2],
      status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
    });
    await settle();
    if (kind === "watch") assert.deepEqual(read, ["api"]);
    await atTick(["missing"]);
    // The missing ConfigMap appears: found by the change (watch) or the tick (others).
    r.cluster.put(configMap("missing"));
    await settle();
    await atTick([]);
    assert.equal(updates(run.events).at(-1)!.status, "Current");
    ctl.abort();
    await run.done;
    await r.released();
  },
);

test("changes: tickRecheck is not used once the change feed failed", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  const clock = createManualClock(START);
  const ctl = new AbortController();
  const engine = updatesPoller({
    mapper: cluster.mapper,
    clusterReaderFactory: () => ({
      ...createDirectClusterReader(cluster.api),
      nextChange: () => Promise.reject(new Error("watch broken")),
    }),
    clock,
    tickRecheck: () => false,
  });
  const run = record(engine.poll([id("", "ConfigMap", "a")], {
    pollInterval: INTERVAL,
    signal: ctl.signal,
  }));
  await settle();
  assert.equal(cluster.calls.length, 1);
  // Changes may have been lost: the tick reads everything, settled or not.
  await clock.advance(INTERVAL);
  await settle();
  assert.equal(cluster.calls.length, 2);
  ctl.abort();
  await run.done;
});

test("changes: a tick that passes during a change cycle runs right after it", async () => {
  // Ticks passing during a full cycle are dropped (spec §6); one passing while a change is
  // re-read must not be, or a steady stream of changes would starve the full cycles (and the
  // time-based rules only they re-check).
  const cluster = createMemoryCluster([configMap("a"), configMap("b")]);
  const feed = changeReporting(cluster);
  const clock = createManualClock(START);
  const engine = updatesPoller({
    mapper: cluster.mapper,
    clusterReaderFactory: () => feed.reader,
    clock,
  });
  let slow: ReturnType<typeof gate> | undefined;
  cluster.hook = (_call, options) => slow && untilAborted(options?.signal, slow.promise);
  const ctl = new AbortController();
  const run = record(engine.poll([id("", "ConfigMap", "a"), id("", "ConfigMap", "b")], {
    pollInterval: INTERVAL,
    signal: ctl.signal,
  }));
  await settle();
  assert.equal(feed.syncs(), 1);
  await clock.advance(INTERVAL - 1);
  slow = gate();
  const held = slow;
  feed.change(configMap("a", { data: { k: "v" } })); // t=999: the change cycle starts and hangs
  await settle();
  await clock.advance(2); // t=1001: the tick passes during the change cycle
  await settle();
  assert.equal(feed.syncs(), 1);
  slow = undefined;
  held.open();
  await settle();
  assert.equal(feed.syncs(), 2, "the tick at t=1000 was dropped");
  assert.equal(clock.now(), START + INTERVAL + 1);
  // Ticks stay aligned to the first poll.
  await clock.advance(INTERVAL - 2);
  await settle();
  assert.equal(feed.syncs(), 2);
  await clock.advance(1);
  await settle();
  assert.equal(feed.syncs(), 3);
  ctl.abort();
  await run.done;
  assert.equal(clock.sleepers, 0);
});
