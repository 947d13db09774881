// The engine's rules, run against each of the three cluster readers (direct, caching and
// watch-backed) over the same in-memory cluster and a manual clock. Where a reader differs by
// design (the watch reader reports a change without waiting for the tick), each reader's
// expectation is asserted explicitly.

import assert from "node:assert/strict";
import {
  cachingClusterReaderFactory,
  type ClusterReaderFactory,
  createDirectClusterReader,
  createManualClock,
  createMemoryCluster,
  type Event,
  type KubeObject,
  type MemoryCluster,
  observe,
  PollerEngine,
  ResourceStatusCollector,
  watchClusterReaderFactory,
} from "../../mod.ts";
import {
  configMap,
  cronJob,
  daemonSet,
  deploymentTree,
  forbidden,
  gate,
  id,
  job,
  pod,
  record,
  replicaSet,
  settle,
  statefulSet,
  test,
  tree,
  untilAborted,
  updates,
} from "./fixtures.ts";

const START = Date.parse("2025-01-01T00:00:00Z");
const INTERVAL = 1000;
const READERS = ["direct", "caching", "watch"] as const;
type Reader = typeof READERS[number];

interface Rig {
  cluster: MemoryCluster;
  clock: ReturnType<typeof createManualClock>;
  engine: PollerEngine;
  /** Cluster readers created and closed so far. */
  readers: { created: number; closed: number };
  /** One tick: the clock moves by the interval and the engine runs its cycle. */
  tick(): Promise<void>;
}

/** An engine reading `objects` through the chosen cluster reader, on a manual clock. */
function rig(reader: Reader, objects: KubeObject[] = []): Rig {
  const cluster = createMemoryCluster(objects);
  const clock = createManualClock(START);
  const readers = { created: 0, closed: 0 };
  const base: ClusterReaderFactory = reader === "direct"
    ? () => createDirectClusterReader(cluster.api)
    : reader === "caching"
    ? cachingClusterReaderFactory(cluster.api)
    // The watch reader's retry pauses run on the test's clock too.
    : watchClusterReaderFactory(cluster.api, { sleep: (ms, signal) => clock.sleep(ms, signal) });
  const factory: ClusterReaderFactory = async (args) => {
    const r = await base(args);
    readers.created++;
    const close = r.close?.bind(r);
    return Object.assign(r, {
      close: () => {
        readers.closed++;
        close?.();
      },
    });
  };
  const engine = new PollerEngine({ mapper: cluster.mapper, clusterReaderFactory: factory, clock });
  return {
    cluster,
    clock,
    engine,
    readers,
    async tick() {
      await clock.advance(INTERVAL);
      await settle();
    },
  };
}

/** Settles until `events` holds `n` events (or fails after many rounds). */
async function until(events: readonly Event[], n: number, what: string): Promise<void> {
  for (let i = 0; i < 50 && events.length < n; i++) await settle();
  assert.ok(events.length >= n, `${what}: ${events.length} events, expected ${n}`);
}

function matrix(name: string, fn: (reader: Reader) => Promise<void>): void {
  for (const reader of READERS) test(`${reader}: ${name}`, () => fn(reader));
}

const web = id("apps", "Deployment", "web");

matrix("first poll: every kind with its children, in the order asked, at once", async (reader) => {
  const sts = statefulSet("db");
  const ds = daemonSet("agent");
  const j = job("migrate");
  const cj = cronJob("nightly");
  const objects = [
    configMap("a"),
    ...deploymentTree("web", { pods: 2 }),
    sts,
    pod("db-0", { labels: { app: "db" }, owner: sts }),
    ds,
    pod("agent-x", { labels: { app: "agent" }, owner: ds }),
    j,
    pod("migrate-x", { labels: { "controller-uid": "uid-migrate" }, owner: j }),
    cj,
    job("nightly-1", { owner: cj }),
  ];
  const r = rig(reader, objects);
  const ids = [
    id("batch", "CronJob", "nightly"),
    web,
    id("apps", "StatefulSet", "db"),
    id("apps", "DaemonSet", "agent"),
    id("batch", "Job", "migrate"),
    id("", "ConfigMap", "a"),
    id("", "ConfigMap", "missing"),
  ];
  const ctl = new AbortController();
  const run = record(r.engine.poll(ids, { pollInterval: INTERVAL, signal: ctl.signal }));
  await until(run.events, ids.length, "first poll");
  assert.equal(r.clock.now(), START, "the first poll must not wait for a tick");
  assert.deepEqual(updates(run.events).map((s) => tree(s)), [
    ["CronJob/nightly Current", "  Job/nightly-1 Current"],
    [
      "Deployment/web Current",
      "  ReplicaSet/web-rs Current",
      "    Pod/web-rs-0 Current",
      "    Pod/web-rs-1 Current",
    ],
    ["StatefulSet/db Current", "  Pod/db-0 Current"],
    ["DaemonSet/agent Current", "  Pod/agent-x Current"],
    ["Job/migrate Current", "  Pod/migrate-x Current"],
    ["ConfigMap/a Current"],
    ["ConfigMap/missing NotFound"],
  ]);
  ctl.abort();
  await run.done;
  assert.deepEqual(r.readers, { created: 1, closed: 1 });
});

matrix(
  "changes: nothing new is not sent again; a pod's change updates its Deployment",
  async (reader) => {
    const objects = deploymentTree("web", { podState: "pending" });
    const r = rig(reader, objects);
    const ctl = new AbortController();
    const run = record(r.engine.poll([web], { pollInterval: INTERVAL, signal: ctl.signal }));
    await until(run.events, 1, "first poll");
    await r.tick();
    await r.tick();
    assert.equal(run.events.length, 1, "an unchanged status was sent again");

    r.cluster.put(
      pod("web-rs-0", { labels: { app: "web" }, owner: objects[1], uid: "uid-ns-web-pod-0" }),
    );
    await settle();
    if (reader === "watch") {
      // The watch reports the write: no tick needed.
      await until(run.events, 2, "the change");
      assert.equal(r.clock.now(), START + 2 * INTERVAL);
    } else {
      assert.equal(run.events.length, 1, `${reader} saw the change before the tick`);
      await r.tick();
      await until(run.events, 2, "the change at the tick");
    }
    assert.deepEqual(tree(updates(run.events)[1]), [
      "Deployment/web Current",
      "  ReplicaSet/web-rs Current",
      "    Pod/web-rs-0 Current",
    ]);
    await r.tick();
    assert.equal(run.events.length, 2, "the change was reported twice");
    ctl.abort();
    await run.done;
  },
);

matrix("objects coming and going: NotFound, Current, NotFound", async (reader) => {
  const r = rig(reader);
  const cm = id("", "ConfigMap", "late");
  const ctl = new AbortController();
  const run = record(r.engine.poll([cm], { pollInterval: INTERVAL, signal: ctl.signal }));
  await until(run.events, 1, "first poll");
  r.cluster.put(configMap("late"));
  await r.tick();
  await until(run.events, 2, "created");
  r.cluster.remove(cm);
  await r.tick();
  await until(run.events, 3, "deleted");
  assert.deepEqual(updates(run.events).map((s) => `${s.status} ${s.message}`), [
    "NotFound Resource not found",
    "Current Resource is always ready",
    "NotFound Resource not found",
  ]);
  ctl.abort();
  await run.done;
});

matrix(
  "children: by selector and controller; a crash-looping pod fails its ReplicaSet",
  async (reader) => {
    const [d, , p] = deploymentTree("web");
    // Two replicas wanted, one available: InProgress, so a failed pod escalates.
    const rs = replicaSet("web-rs", {
      uid: "uid-ns-web-rs",
      labels: { app: "web" },
      owner: d,
      selector: { matchLabels: { app: "web" } },
      replicas: 2,
      ready: false,
    });
    // Same labels, no controller: not a child.
    const stray = pod("stray", { labels: { app: "web" }, state: "crashing" });
    const crashing = pod("web-rs-1", { labels: { app: "web" }, owner: rs, state: "crashing" });
    const r = rig(reader, [d, rs, p, stray, crashing]);
    const events = await first(r, [id("apps", "ReplicaSet", "web-rs"), web]);
    assert.deepEqual(events.map((s) => `${tree(s).join(" | ")} : ${s.message}`), [
      "ReplicaSet/web-rs Failed |   Pod/web-rs-0 Current |   Pod/web-rs-1 Failed : 1 pods have failed",
      "Deployment/web Current |   ReplicaSet/web-rs Failed |     Pod/web-rs-0 Current |     " +
      "Pod/web-rs-1 Failed : Deployment is available. Replicas: 1",
    ]);
  },
);

/** The first poll's statuses, then the poll is ended. */
async function first(r: Rig, ids: ReturnType<typeof id>[]) {
  const out = [];
  const gen = r.engine.poll(ids, { pollInterval: INTERVAL });
  for (let i = 0; i < ids.length; i++) {
    const next = await gen.next();
    assert.equal(next.done, false);
    out.push(updates([next.value as Event])[0]);
  }
  await gen.return();
  return out;
}

matrix(
  "errors: Forbidden on the children's kind makes the parent Unknown, until it lifts",
  async (reader) => {
    const r = rig(reader, deploymentTree("web"));
    let refused = true;
    r.cluster.hook = (call) => {
      if (refused && call.gk.kind === "ReplicaSet") {
        throw forbidden('replicasets.apps is forbidden: user "ci"');
      }
    };
    const ctl = new AbortController();
    const run = record(r.engine.poll([web], { pollInterval: INTERVAL, signal: ctl.signal }));
    await until(run.events, 1, "first poll");
    const [refusedStatus] = updates(run.events);
    assert.equal(refusedStatus.status, "Unknown");
    assert.match(refusedStatus.error?.message ?? "", /replicasets\.apps is forbidden/);
    refused = false;
    // The watch reader retries after its backoff (on the test clock); the others at the tick.
    for (let i = 0; i < 10 && run.events.length < 2; i++) await r.tick();
    await until(run.events, 2, "lifted");
    assert.equal(updates(run.events)[1].status, "Current");
    ctl.abort();
    await run.done;
  },
);

matrix("errors: a kind with no match is Unknown, and found once its CRD comes", async (reader) => {
  const widget = id("example.com", "Widget", "w");
  const r = rig(reader);
  const ctl = new AbortController();
  const run = record(r.engine.poll([widget], { pollInterval: INTERVAL, signal: ctl.signal }));
  await until(run.events, 1, "first poll");
  assert.equal(updates(run.events)[0].status, "Unknown");
  r.cluster.addKind({
    group: "example.com",
    version: "v1",
    kind: "Widget",
    resource: "widgets",
    namespaced: true,
  });
  r.cluster.put({
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", namespace: "ns", generation: 1 },
    status: { observedGeneration: 1, conditions: [{ type: "Ready", status: "True" }] },
  });
  for (let i = 0; i < 10 && run.events.length < 2; i++) await r.tick();
  await until(run.events, 2, "the CRD");
  assert.equal(updates(run.events)[1].status, "Current");
  ctl.abort();
  await run.done;
});

matrix(
  "validation: a namespaced kind without namespace ends the poll with one Error",
  async (reader) => {
    const r = rig(reader, [configMap("a")]);
    const events = await Array.fromAsync(
      r.engine.poll([{ ...web, namespace: "" }], { pollInterval: INTERVAL }),
    );
    assert.deepEqual(events.map((e) => e.type), ["Error"]);
    assert.deepEqual(r.readers, { created: 0, closed: 0 }, "no reader for invalid identifiers");
  },
);

matrix(
  "cancellation: aborting during a slow request ends the stream, nothing left",
  async (reader) => {
    const r = rig(reader, deploymentTree("web"));
    const reached = gate();
    r.cluster.hook = async (call, options) => {
      if (call.gk.kind !== "Pod" || call.verb === "watch") return;
      reached.open();
      await untilAborted(options?.signal, new Promise(() => {}));
    };
    const ctl = new AbortController();
    const run = record(r.engine.poll([web], { pollInterval: INTERVAL, signal: ctl.signal }));
    await reached.promise;
    ctl.abort();
    await run.done;
    assert.deepEqual(run.events, []);
    assert.deepEqual(r.readers, { created: 1, closed: 1 });
    assert.equal(r.clock.sleepers, 0);
  },
);

matrix(
  "cancellation: a consumer that breaks after the first event closes the reader",
  async (reader) => {
    const r = rig(reader, [configMap("a"), configMap("b")]);
    for await (
      const _ of r.engine.poll([id("", "ConfigMap", "a"), id("", "ConfigMap", "b")], {
        pollInterval: INTERVAL,
      })
    ) break;
    assert.deepEqual(r.readers, { created: 1, closed: 1 });
    await settle();
    assert.equal(r.clock.sleepers, 0);
  },
);

matrix("collector: observe stops the engine once everything is Current", async (reader) => {
  const objects = deploymentTree("web", { podState: "pending" });
  const r = rig(reader, objects);
  // The ReplicaSet reports 0 ready until the pod is; then both turn Current together.
  r.cluster.put(replicaSet("web-rs", {
    uid: "uid-ns-web-rs",
    labels: { app: "web" },
    owner: objects[0],
    selector: { matchLabels: { app: "web" } },
    ready: false,
  }));
  const rsId = id("apps", "ReplicaSet", "web-rs");
  const collector = new ResourceStatusCollector([web, rsId]);
  const run = record(observe(
    r.engine.poll([web, rsId], { pollInterval: INTERVAL }),
    collector,
    "current",
  ));
  await until(run.events, 2, "first poll");
  assert.equal(collector.isDone("current"), false);
  r.cluster.put(objects[1]);
  r.cluster.put(
    pod("web-rs-0", { labels: { app: "web" }, owner: objects[1], uid: "uid-ns-web-pod-0" }),
  );
  for (let i = 0; i < 5 && !collector.isDone("current"); i++) await r.tick();
  await run.done;
  assert.equal(collector.isDone("current"), true);
  assert.deepEqual(r.readers, { created: 1, closed: 1 });
});

matrix(
  "time: an unschedulable pod turns its StatefulSet Failed after 15 s, on the tick",
  async (reader) => {
    const sts = statefulSet("db", { ready: false });
    const unschedulable: KubeObject = {
      ...pod("db-0", { labels: { app: "db" }, owner: sts }),
      status: {
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }],
      },
    };
    (unschedulable.metadata as Record<string, unknown>).creationTimestamp = new Date(START)
      .toISOString();
    const r = rig(reader, [sts, unschedulable]);
    const ctl = new AbortController();
    const run = record(
      r.engine.poll([id("apps", "StatefulSet", "db")], {
        pollInterval: INTERVAL,
        signal: ctl.signal,
      }),
    );
    await until(run.events, 1, "first poll");
    assert.equal(updates(run.events)[0].status, "InProgress");
    // InProgress while now - 15 s < creationTimestamp: Failed from the 15th tick on.
    for (let i = 0; i < 14; i++) await r.tick();
    assert.equal(run.events.length, 1, "Failed before the window was over");
    await r.tick();
    await until(run.events, 2, "the window");
    const failed = updates(run.events)[1];
    assert.equal(`${failed.status} ${failed.message}`, "Failed 1 pods have failed");
    ctl.abort();
    await run.done;
  },
);
