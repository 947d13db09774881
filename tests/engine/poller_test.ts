import assert from "node:assert/strict";
import {
  type ClusterReader,
  type ClusterReaderFactory,
  createDirectClusterReader,
  createManualClock,
  createMemoryCluster,
  type Event,
  KstatusError,
  type KubeObject,
  type MemoryCluster,
  type ObjectIdentifier,
  PollerEngine,
  type RestMapper,
} from "../../mod.ts";
import {
  callLines,
  configMap,
  deployment,
  deploymentTree,
  forbidden,
  gate,
  id,
  pod,
  record,
  settle,
  test,
  tree,
  untilAborted,
  updates,
} from "./fixtures.ts";

const START = Date.parse("2025-01-01T00:00:00Z");
const INTERVAL = 1000;

interface Setup {
  cluster: MemoryCluster;
  clock: ReturnType<typeof createManualClock>;
  engine: PollerEngine;
  /** How many cluster readers were closed. */
  closed: () => number;
}

/** An engine over a memory cluster and a manual clock; the cluster reader is a direct one. */
function setup(
  objects: KubeObject[] = [],
  o: { mapper?: RestMapper; factory?: ClusterReaderFactory } = {},
): Setup {
  const cluster = createMemoryCluster(objects);
  const clock = createManualClock(START);
  let closed = 0;
  const factory: ClusterReaderFactory = o.factory ?? (() => ({
    ...createDirectClusterReader(cluster.api),
    close: () => void closed++,
  }));
  const engine = new PollerEngine({
    mapper: o.mapper ?? cluster.mapper,
    clusterReaderFactory: factory,
    clock,
  });
  return { cluster, clock, engine, closed: () => closed };
}

const cmA = id("", "ConfigMap", "a");
const cmB = id("", "ConfigMap", "b");
const web = id("apps", "Deployment", "web");

/** Takes the next `n` events from a generator that must not end before. */
async function take(gen: AsyncGenerator<Event>, n: number): Promise<Event[]> {
  const out: Event[] = [];
  for (let i = 0; i < n; i++) {
    const r = await gen.next();
    assert.equal(r.done, false, `stream ended after ${i} events`);
    out.push(r.value as Event);
  }
  return out;
}

test("poll: first poll at once, events in the order of the identifiers", async () => {
  const { engine, cluster, clock } = setup([
    configMap("a"),
    configMap("b"),
    ...deploymentTree("web"),
  ]);
  const gen = engine.poll([cmB, web, cmA], { pollInterval: INTERVAL });
  const events = updates(await take(gen, 3));
  assert.deepEqual(events.map((r) => r.identifier.name), ["b", "web", "a"]);
  assert.deepEqual(events.map((r) => r.status), ["Current", "Current", "Current"]);
  assert.equal(clock.now(), START, "the first poll must not wait for a tick");
  assert.deepEqual(callLines(cluster.calls), [
    "get ConfigMap ns",
    "get Deployment ns",
    "list ReplicaSet ns",
    "list Pod ns",
    "get ConfigMap ns",
  ]);
  await gen.return();
});

test("poll: one poll per interval, not before", async () => {
  const { engine, cluster, clock } = setup([configMap("a")]);
  const ctl = new AbortController();
  const run = record(engine.poll([cmA], { pollInterval: INTERVAL, signal: ctl.signal }));
  await settle();
  assert.equal(run.events.length, 1);
  assert.equal(cluster.calls.length, 1);
  assert.equal(clock.sleepers, 1);

  await clock.advance(INTERVAL - 1);
  await settle();
  assert.equal(cluster.calls.length, 1, "polled before the interval was over");
  await clock.advance(1);
  await settle();
  assert.equal(cluster.calls.length, 2);
  for (let i = 0; i < 3; i++) {
    await clock.advance(INTERVAL);
    await settle();
  }
  assert.equal(cluster.calls.length, 5);
  assert.equal(run.events.length, 1, "an unchanged status must not be sent again");

  ctl.abort();
  await run.done;
  assert.equal(clock.sleepers, 0);
});

test("poll: a slow cycle does not overlap the next; missed ticks are dropped", async () => {
  const { engine, cluster, clock } = setup([configMap("a")]);
  const slow = gate();
  const reached = gate();
  cluster.hook = async (_call, options) => {
    if (cluster.calls.length !== 2) return;
    reached.open();
    await untilAborted(options?.signal, slow.promise);
  };
  const ctl = new AbortController();
  const run = record(engine.poll([cmA], { pollInterval: INTERVAL, signal: ctl.signal }));
  await settle();
  await clock.advance(INTERVAL); // second cycle starts at t=1000 and hangs
  await reached.promise;
  await clock.advance(2500); // t=3500: the ticks at 2000 and 3000 pass during the slow cycle
  await settle();
  assert.equal(cluster.calls.length, 2, "a cycle started while another was running");
  assert.equal(clock.sleepers, 0);

  slow.open(); // the slow cycle ends at t=3500
  await settle();
  assert.equal(cluster.calls.length, 2, "a missed tick was queued");
  assert.equal(clock.sleepers, 1);
  await clock.advance(499);
  await settle();
  assert.equal(cluster.calls.length, 2);
  await clock.advance(1); // t=4000, the next tick
  await settle();
  assert.equal(cluster.calls.length, 3);
  await clock.advance(INTERVAL - 1);
  await settle();
  assert.equal(cluster.calls.length, 3, "more than one cycle ran for the missed ticks");
  await clock.advance(1);
  await settle();
  assert.equal(cluster.calls.length, 4);

  ctl.abort();
  await run.done;
  assert.equal(run.events.length, 1);
});

test("poll: de-duplication follows the equality rule", async () => {
  const objects = [configMap("a"), ...deploymentTree("web")];
  const { engine, cluster, clock } = setup(objects);
  const ctl = new AbortController();
  const run = record(engine.poll([web, cmA], { pollInterval: INTERVAL, signal: ctl.signal }));
  const cycle = async () => {
    await clock.advance(INTERVAL);
    await settle();
  };
  await settle();
  assert.equal(run.events.length, 2);

  await cycle();
  assert.equal(run.events.length, 2, "nothing changed");

  cluster.put(configMap("a", { data: { key: "changed" } }));
  const [d, rs, p] = objects.slice(1);
  cluster.put({ ...d, metadata: { ...d.metadata as object, annotations: { note: "x" } } });
  await cycle();
  assert.equal(run.events.length, 2, "content other than the generation must not count");

  // Same status and message, new generation: an update.
  const gen2 = deployment("web", { uid: "uid-ns-web", generation: 2 });
  cluster.put(gen2);
  await cycle();
  assert.equal(run.events.length, 3);
  const third = updates(run.events)[2];
  assert.equal(third.identifier.name, "web");
  assert.equal(third.status, "Current");
  assert.equal((third.resource?.metadata as { generation: number }).generation, 2);

  // A grandchild (the pod) changes status: the Deployment's children differ.
  cluster.put({ ...p, status: { phase: "Pending" } });
  await cycle();
  assert.equal(run.events.length, 4);
  assert.deepEqual(tree(updates(run.events)[3]), [
    "Deployment/web Current",
    "  ReplicaSet/web-rs Current",
    "    Pod/web-rs-0 InProgress",
  ]);

  // A new child: another update.
  cluster.put(pod("web-rs-1", { labels: { app: "web" }, owner: rs }));
  await cycle();
  assert.equal(run.events.length, 5);
  assert.equal(updates(run.events)[4].generatedResources[0].generatedResources.length, 2);

  ctl.abort();
  await run.done;
});

test("poll: a changed error text is a new event, the same text is not", async () => {
  const { engine, cluster, clock } = setup([configMap("a")]);
  let refusal: string | undefined = "configmaps is forbidden: no";
  cluster.hook = () => {
    if (refusal) throw forbidden(refusal);
  };
  const ctl = new AbortController();
  const run = record(engine.poll([cmA], { pollInterval: INTERVAL, signal: ctl.signal }));
  const cycle = async () => {
    await clock.advance(INTERVAL);
    await settle();
  };
  await settle();
  await cycle();
  refusal = "configmaps is forbidden: still no";
  await cycle();
  await cycle();
  refusal = undefined;
  await cycle();
  ctl.abort();
  await run.done;
  const seen = updates(run.events).map((r) => `${r.status} ${r.error?.message ?? ""}`);
  assert.deepEqual(seen, [
    "Unknown configmaps is forbidden: no",
    "Unknown configmaps is forbidden: still no",
    "Current ",
  ]);
});

test("poll: a namespaced kind without namespace is one Error event, then the end", async () => {
  const { engine, cluster, closed } = setup([configMap("a")]);
  const bad: ObjectIdentifier = { group: "apps", kind: "Deployment", namespace: "", name: "web" };
  const events = await Array.fromAsync(engine.poll([cmA, bad], { pollInterval: INTERVAL }));
  assert.equal(events.length, 1);
  const [event] = events;
  assert.equal(event.type, "Error");
  assert.equal(
    event.type === "Error" && event.error.message,
    "resource Deployment.apps web is namespace scoped, but namespace is not set",
  );
  assert.ok(event.type === "Error" && event.error instanceof KstatusError);
  assert.deepEqual((event as { error: KstatusError }).error.resource, bad);
  assert.deepEqual(cluster.calls, [], "nothing may be polled after a validation error");
  assert.equal(closed(), 0);
});

test("poll: a cluster-scoped kind needs no namespace", async () => {
  const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "prod" } };
  const { engine } = setup([ns]);
  const gen = engine.poll([{ group: "", kind: "Namespace", namespace: "", name: "prod" }]);
  const [event] = updates(await take(gen, 1));
  assert.equal(event.status, "Current");
  await gen.return();
});

test("poll: a mapper error other than no-match is an Error event, then the end", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  const outage = new Error("the server is currently unable to handle the request");
  const mapper: RestMapper = {
    mapping: (gk, o) =>
      gk.kind === "Widget" ? Promise.reject(outage) : cluster.mapper.mapping(gk, o),
  };
  let created = 0;
  const engine = new PollerEngine({
    mapper,
    clusterReaderFactory: () => (created++, cluster.reader),
    clock: createManualClock(START),
  });
  const widget = id("example.com", "Widget", "w");
  const events = await Array.fromAsync(engine.poll([cmA, widget]));
  assert.deepEqual(events, [{ type: "Error", error: outage }]);
  assert.equal(created, 0);
});

test("poll: a kind with no match is Unknown, not fatal, and found once it appears", async () => {
  const { engine, cluster, clock } = setup([configMap("a")]);
  const widget = id("example.com", "Widget", "w");
  const ctl = new AbortController();
  const run = record(engine.poll([widget, cmA], { pollInterval: INTERVAL, signal: ctl.signal }));
  await settle();
  const [w, a] = updates(run.events);
  assert.equal(w.status, "Unknown");
  assert.equal(w.message, "");
  assert.equal(w.error?.message, 'no matches for kind "Widget" in group "example.com"');
  assert.equal(w.resource, undefined);
  assert.equal(a.status, "Current");

  // The CRD is installed meanwhile.
  cluster.addKind({
    group: "example.com",
    version: "v1",
    kind: "Widget",
    resource: "widgets",
    namespaced: true,
  });
  cluster.put({
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", namespace: "ns" },
  });
  await clock.advance(INTERVAL);
  await settle();
  ctl.abort();
  await run.done;
  assert.deepEqual(
    updates(run.events).map((r) => `${r.identifier.kind} ${r.status}`),
    ["Widget Unknown", "ConfigMap Current", "Widget Current"],
  );
});

for (const flavour of ["throws", "rejects"] as const) {
  test(`poll: a ClusterReader factory that ${flavour} is an Error event`, async () => {
    const cause = new Error("no credentials");
    const factory: ClusterReaderFactory = () => {
      if (flavour === "throws") throw cause;
      return Promise.reject(cause);
    };
    const { engine } = setup([configMap("a")], { factory });
    const events = await Array.fromAsync(engine.poll([cmA]));
    assert.equal(events.length, 1);
    const [event] = events;
    assert.ok(event.type === "Error");
    assert.equal(event.error.message, "error creating new ClusterReader: no credentials");
    assert.equal(event.error.cause, cause);
  });
}

/** A direct reader whose `sync` fails on the given call (1-based). */
function failingSync(cluster: MemoryCluster, failOn: number, error: Error, log: string[]) {
  let syncs = 0;
  return (): ClusterReader => ({
    ...createDirectClusterReader(cluster.api),
    sync: () => ++syncs === failOn ? Promise.reject(error) : Promise.resolve(),
    close: () => void log.push("close"),
  });
}

test("poll: a sync failure is an Error event, then the end", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  const clock = createManualClock(START);
  const log: string[] = [];
  const broken = new Error("sync broke");
  const engine = new PollerEngine({
    mapper: cluster.mapper,
    clusterReaderFactory: failingSync(cluster, 2, broken, log),
    clock,
  });
  const run = record(engine.poll([cmA], { pollInterval: INTERVAL }));
  await settle();
  await clock.advance(INTERVAL);
  await run.done;
  assert.deepEqual(run.events.map((e) => e.type), ["ResourceUpdate", "Error"]);
  assert.equal((run.events[1] as { error: Error }).error, broken);
  assert.deepEqual(log, ["close"]);
  assert.equal(clock.sleepers, 0);
});

test("poll: pollInterval must be > 0", async () => {
  const { engine } = setup();
  for (const pollInterval of [0, -1, NaN]) {
    await assert.rejects(engine.poll([cmA], { pollInterval }).next(), RangeError);
  }
});

test("poll: aborting during a slow request ends the stream without an Error", async () => {
  const { engine, cluster, clock, closed } = setup([configMap("a"), configMap("b")]);
  const reached = gate();
  let seen: AbortSignal | undefined;
  cluster.hook = async (call, options) => {
    if (call.verb !== "get" || cluster.calls.length !== 2) return;
    seen = options?.signal;
    reached.open();
    await untilAborted(options?.signal);
  };
  const ctl = new AbortController();
  const run = record(engine.poll([cmA, cmB], { pollInterval: INTERVAL, signal: ctl.signal }));
  await reached.promise;
  assert.equal(seen?.aborted, false);
  const reason = new Error("user pressed ^C");
  ctl.abort(reason);
  await run.done;
  assert.deepEqual(updates(run.events).map((r) => r.identifier.name), ["a"]);
  assert.equal(seen?.aborted, true, "the in-flight request was not cancelled");
  assert.equal(seen?.reason, reason);
  assert.equal(clock.sleepers, 0);
  assert.equal(closed(), 1);
});

test("poll: aborting between cycles ends the stream and leaves no sleeper", async () => {
  const { engine, clock, closed } = setup([configMap("a")]);
  const ctl = new AbortController();
  const run = record(engine.poll([cmA], { pollInterval: INTERVAL, signal: ctl.signal }));
  await settle();
  assert.equal(clock.sleepers, 1);
  ctl.abort();
  await run.done;
  assert.equal(clock.sleepers, 0);
  assert.equal(run.events.length, 1);
  assert.equal(closed(), 1);
});

test("poll: an already aborted signal polls nothing", async () => {
  const { engine, cluster, closed } = setup([configMap("a")]);
  const events = await Array.fromAsync(engine.poll([cmA], { signal: AbortSignal.abort() }));
  assert.deepEqual(events, []);
  assert.deepEqual(cluster.calls, []);
  assert.equal(closed(), 0);
});

test("poll: aborting while validating ends the stream silently", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  const reached = gate();
  const mapper: RestMapper = {
    async mapping(gk, o) {
      reached.open();
      await untilAborted(o?.signal);
      return cluster.mapper.mapping(gk, o);
    },
  };
  let created = 0;
  const engine = new PollerEngine({
    mapper,
    clusterReaderFactory: () => (created++, cluster.reader),
    clock: createManualClock(START),
  });
  const ctl = new AbortController();
  const run = record(engine.poll([cmA], { signal: ctl.signal }));
  await reached.promise;
  ctl.abort();
  await run.done;
  assert.deepEqual(run.events, []);
  assert.equal(created, 0);
});

test("poll: breaking out after the first event cleans up", async () => {
  const { engine, cluster, clock, closed } = setup([configMap("a"), configMap("b")]);
  const ctl = new AbortController();
  let first: Event | undefined;
  for await (
    const event of engine.poll([cmA, cmB], { pollInterval: INTERVAL, signal: ctl.signal })
  ) {
    first = event;
    break;
  }
  assert.equal(first?.type, "ResourceUpdate");
  assert.equal(closed(), 1, "the cluster reader was not closed");
  assert.equal(clock.sleepers, 0);
  assert.equal(cluster.calls.length, 1, "the engine kept reading after the consumer left");
  // The caller's signal is left usable and aborting it later is harmless.
  ctl.abort();
  await settle();
  assert.equal(cluster.calls.length, 1);
});

test("poll: a reader that throws is reported on its resource", async () => {
  const cluster = createMemoryCluster([configMap("a"), configMap("b")]);
  const registry = new Map([["ConfigMap", {
    supports: () => true,
    readStatus: () => Promise.reject(new TypeError("reader bug")),
    readStatusForObject: () => Promise.reject(new TypeError("reader bug")),
  }]]);
  const engine = new PollerEngine({
    mapper: cluster.mapper,
    clusterReaderFactory: () => cluster.reader,
    registry,
    clock: createManualClock(START),
  });
  const gen = engine.poll([cmA, cmB]);
  const events = updates(await take(gen, 2));
  await gen.return();
  assert.deepEqual(events.map((r) => `${r.identifier.name} ${r.status} ${r.error?.message}`), [
    "a Unknown reader bug",
    "b Unknown reader bug",
  ]);
});

test("poll: aborting while the consumer holds an event reads nothing more", async () => {
  const cluster = createMemoryCluster([configMap("a"), configMap("b")]);
  const read: string[] = [];
  // A reader that ignores the signal: the engine itself must stop between identifiers.
  const reader = {
    supports: () => true,
    readStatus: (_ctx: unknown, i: ObjectIdentifier) => {
      read.push(i.name);
      return Promise.resolve({
        identifier: i,
        status: "Current" as const,
        message: "",
        generatedResources: [],
      });
    },
    readStatusForObject: () => Promise.reject(new Error("unused")),
  };
  const engine = new PollerEngine({
    mapper: cluster.mapper,
    clusterReaderFactory: () => cluster.reader,
    registry: new Map([["ConfigMap", reader]]),
    clock: createManualClock(START),
  });
  const ctl = new AbortController();
  const gen = engine.poll([cmA, cmB], { signal: ctl.signal });
  await take(gen, 1);
  ctl.abort();
  assert.deepEqual(await gen.next(), { done: true, value: undefined });
  assert.deepEqual(read, ["a"]);
});

test("poll: the signal given to the cluster reader is aborted when polling ends", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  const signals: AbortSignal[] = [];
  const engine = new PollerEngine({
    mapper: cluster.mapper,
    clusterReaderFactory: () => ({
      ...createDirectClusterReader(cluster.api),
      // A watch-backed reader keeps background work tied to this signal.
      sync: (o) => (signals.push(o!.signal!), Promise.resolve()),
    }),
    clock: createManualClock(START),
  });
  for await (const _ of engine.poll([cmA])) break;
  assert.equal(signals.length, 1);
  assert.equal(signals[0].aborted, true, "background work of the reader was left running");
});

test("poll: with the system clock, aborting during the wait leaves no timer", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  const engine = new PollerEngine({
    mapper: cluster.mapper,
    clusterReaderFactory: () => cluster.reader,
  });
  const ctl = new AbortController();
  const run = record(engine.poll([cmA], { pollInterval: 60_000, signal: ctl.signal }));
  await settle();
  assert.equal(run.events.length, 1);
  ctl.abort(); // the ops sanitizer fails this test if the 60 s timer survives
  await run.done;
});
