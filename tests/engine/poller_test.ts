// The engine's rules (spec §5-8), each run against the three cluster readers over the same
// in-memory cluster: direct (a GET per object, a LIST per children lookup), caching (a LIST per
// kind and namespace at every cycle) and watch-backed (one LIST and one WATCH per kind and
// namespace, then nothing). What differs by design between them (the requests, the watch reader
// reacting to a write without waiting for the tick) is asserted for each reader explicitly.

import assert from "node:assert/strict";
import {
  type ClusterReaderFactory,
  createManualClock,
  createMemoryCluster,
  type Event,
  KstatusError,
  type ObjectIdentifier,
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
import { eachReader, INTERVAL, type ReaderKind, rig, START, until } from "./rig.ts";
import { updatesPoller } from "../support/poller.ts";

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

/** The requests of one poll of `cmA` alone after `cycles` full cycles, per reader. */
function configMapRequests(kind: ReaderKind, cycles: number): string[] {
  if (kind === "direct") return Array(cycles).fill("get ConfigMap ns");
  if (kind === "caching") return Array(cycles).fill("list ConfigMap ns");
  // The watch reader's requests are made once, whatever the number of cycles.
  return ["list ConfigMap ns", "watch ConfigMap ns"];
}

eachReader("poll: first poll at once, events in the order of the identifiers", async (kind) => {
  const r = rig(kind, [configMap("a"), configMap("b"), ...deploymentTree("web")]);
  const gen = r.engine.poll([cmB, web, cmA], { pollInterval: INTERVAL });
  const events = updates(await take(gen, 3));
  assert.deepEqual(events.map((e) => e.identifier.name), ["b", "web", "a"]);
  assert.deepEqual(events.map((e) => e.status), ["Current", "Current", "Current"]);
  assert.deepEqual(tree(events[1]), [
    "Deployment/web Current",
    "  ReplicaSet/web-rs Current",
    "    Pod/web-rs-0 Current",
  ]);
  assert.equal(r.clock.now(), START, "the first poll must not wait for a tick");
  const expected = {
    // One GET per object, one LIST per children lookup.
    direct: [
      "get ConfigMap ns",
      "get Deployment ns",
      "list ReplicaSet ns",
      "list Pod ns",
      "get ConfigMap ns",
    ],
    // One LIST per (kind, namespace) the identifiers and their children need.
    caching: ["list ConfigMap ns", "list Deployment ns", "list ReplicaSet ns", "list Pod ns"],
    // The same pairs, each LISTed then WATCHed (the pairs start together: order not asserted).
    watch: ["ConfigMap", "Deployment", "ReplicaSet", "Pod"].flatMap((k) => [
      `list ${k} ns`,
      `watch ${k} ns`,
    ]),
  }[kind];
  const calls = callLines(r.cluster.calls);
  if (kind === "watch") assert.deepEqual(calls.sort(), expected.sort());
  else assert.deepEqual(calls, expected);
  await gen.return();
  await r.released();
});

eachReader("poll: one poll per interval, not before", async (kind) => {
  const r = rig(kind, [configMap("a")]);
  const ctl = new AbortController();
  const run = record(r.engine.poll([cmA], { pollInterval: INTERVAL, signal: ctl.signal }));
  await until(() => run.events.length === 1, "the first poll");
  assert.equal(r.syncs(), 1);
  assert.equal(r.clock.sleepers, 1);

  await r.clock.advance(INTERVAL - 1);
  await settle();
  assert.equal(r.syncs(), 1, "polled before the interval was over");
  await r.clock.advance(1);
  await settle();
  assert.equal(r.syncs(), 2);
  for (let i = 0; i < 3; i++) await r.tick();
  assert.equal(r.syncs(), 5);
  assert.deepEqual(callLines(r.cluster.calls), configMapRequests(kind, 5));
  assert.equal(run.events.length, 1, "an unchanged status must not be sent again");

  ctl.abort();
  await run.done;
  await r.released();
});

eachReader(
  "poll: a slow cycle does not overlap the next; missed ticks are dropped",
  async (kind) => {
    const r = rig(kind, [configMap("a")]);
    const slow = gate();
    const reached = gate();
    r.onSync = async (n, options) => {
      if (n !== 2) return;
      reached.open();
      await untilAborted(options?.signal, slow.promise);
    };
    const ctl = new AbortController();
    const run = record(r.engine.poll([cmA], { pollInterval: INTERVAL, signal: ctl.signal }));
    await until(() => run.events.length === 1, "the first poll");
    await r.clock.advance(INTERVAL); // the second cycle starts at t=1000 and hangs
    await reached.promise;
    await r.clock.advance(2500); // t=3500: the ticks at 2000 and 3000 pass during the slow cycle
    await settle();
    assert.equal(r.syncs(), 2, "a cycle started while another was running");
    assert.equal(r.clock.sleepers, 0);

    slow.open(); // the slow cycle ends at t=3500
    await settle();
    assert.equal(r.syncs(), 2, "a missed tick was queued");
    assert.equal(r.clock.sleepers, 1);
    await r.clock.advance(499);
    await settle();
    assert.equal(r.syncs(), 2);
    await r.clock.advance(1); // t=4000, the next tick
    await settle();
    assert.equal(r.syncs(), 3);
    await r.clock.advance(INTERVAL - 1);
    await settle();
    assert.equal(r.syncs(), 3, "more than one cycle ran for the missed ticks");
    await r.clock.advance(1);
    await settle();
    assert.equal(r.syncs(), 4);
    assert.deepEqual(callLines(r.cluster.calls), configMapRequests(kind, 4));

    ctl.abort();
    await run.done;
    assert.equal(run.events.length, 1);
    await r.released();
  },
);

eachReader("poll: de-duplication follows the equality rule", async (kind) => {
  const objects = [configMap("a"), ...deploymentTree("web")];
  const r = rig(kind, objects);
  const ctl = new AbortController();
  const run = record(r.engine.poll([web, cmA], { pollInterval: INTERVAL, signal: ctl.signal }));
  await until(() => run.events.length === 2, "the first poll");

  await r.tick();
  assert.equal(run.events.length, 2, "nothing changed");

  r.cluster.put(configMap("a", { data: { key: "changed" } }));
  const [d, rs, p] = objects.slice(1);
  r.cluster.put({ ...d, metadata: { ...d.metadata as object, annotations: { note: "x" } } });
  await r.tick();
  assert.equal(run.events.length, 2, "content other than the generation must not count");

  // Same status and message, new generation: an update.
  r.cluster.put(deployment("web", { uid: "uid-ns-web", generation: 2 }));
  await r.tick();
  assert.equal(run.events.length, 3);
  const third = updates(run.events)[2];
  assert.equal(third.identifier.name, "web");
  assert.equal(third.status, "Current");
  assert.equal((third.resource?.metadata as { generation: number }).generation, 2);

  // A grandchild (the pod) changes status: the Deployment's children differ.
  r.cluster.put({ ...p, status: { phase: "Pending" } });
  await r.tick();
  assert.equal(run.events.length, 4);
  assert.deepEqual(tree(updates(run.events)[3]), [
    "Deployment/web Current",
    "  ReplicaSet/web-rs Current",
    "    Pod/web-rs-0 InProgress",
  ]);

  // A new child: another update.
  r.cluster.put(pod("web-rs-1", { labels: { app: "web" }, owner: rs }));
  await r.tick();
  assert.equal(run.events.length, 5);
  assert.equal(updates(run.events)[4].generatedResources[0].generatedResources.length, 2);

  ctl.abort();
  await run.done;
  await r.released();
});

eachReader("poll: a changed error text is a new event, the same text is not", async (kind) => {
  const r = rig(kind, [configMap("a")]);
  let refusal: string | undefined = "configmaps is forbidden: no";
  r.cluster.hook = () => {
    if (refusal) throw forbidden(refusal);
  };
  const ctl = new AbortController();
  const run = record(r.engine.poll([cmA], { pollInterval: INTERVAL, signal: ctl.signal }));
  await until(() => run.events.length === 1, "the first poll");
  await r.tick();
  refusal = "configmaps is forbidden: still no";
  await r.tick();
  await r.tick();
  refusal = undefined;
  await r.tick();
  ctl.abort();
  await run.done;
  const seen = updates(run.events).map((s) => `${s.status} ${s.error?.message ?? ""}`);
  assert.deepEqual(seen, [
    "Unknown configmaps is forbidden: no",
    "Unknown configmaps is forbidden: still no",
    "Current ",
  ]);
  await r.released();
});

eachReader(
  "poll: a namespaced kind without namespace is one Error event, then the end",
  async (kind) => {
    const r = rig(kind, [configMap("a")]);
    const bad: ObjectIdentifier = { group: "apps", kind: "Deployment", namespace: "", name: "web" };
    const events = await Array.fromAsync(r.engine.poll([cmA, bad], { pollInterval: INTERVAL }));
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event.type, "Error");
    assert.equal(
      event.type === "Error" && event.error.message,
      "resource Deployment.apps web is namespace scoped, but namespace is not set",
    );
    assert.ok(event.type === "Error" && event.error instanceof KstatusError);
    assert.deepEqual((event as { error: KstatusError }).error.resource, bad);
    assert.deepEqual(r.cluster.calls, [], "nothing may be polled after a validation error");
    assert.deepEqual(r.readers, { created: 0, closed: 0 });
  },
);

eachReader("poll: a cluster-scoped kind needs no namespace", async (kind) => {
  const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "prod" } };
  const r = rig(kind, [ns]);
  const gen = r.engine.poll([{ group: "", kind: "Namespace", namespace: "", name: "prod" }]);
  const [event] = updates(await take(gen, 1));
  assert.equal(event.status, "Current");
  assert.ok(r.cluster.calls.every((c) => c.namespace === ""), "a namespaced request was made");
  await gen.return();
  await r.released();
});

eachReader(
  "poll: a mapper error other than no-match is an Error event, then the end",
  async (kind) => {
    const outage = new Error("the server is currently unable to handle the request");
    const memory = createMemoryCluster();
    const mapper: RestMapper = {
      mapping: (gk, o) =>
        gk.kind === "Widget" ? Promise.reject(outage) : memory.mapper.mapping(gk, o),
    };
    const r = rig(kind, [configMap("a")], { mapper });
    const widget = id("example.com", "Widget", "w");
    const events = await Array.fromAsync(r.engine.poll([cmA, widget]));
    assert.deepEqual(events, [{ type: "Error", error: outage }]);
    assert.deepEqual(r.readers, { created: 0, closed: 0 });
    assert.deepEqual(r.cluster.calls, []);
  },
);

eachReader(
  "poll: a kind with no match is Unknown, not fatal, and found once it appears",
  async (kind) => {
    const r = rig(kind, [configMap("a")]);
    const widget = id("example.com", "Widget", "w");
    const ctl = new AbortController();
    const run = record(
      r.engine.poll([widget, cmA], { pollInterval: INTERVAL, signal: ctl.signal }),
    );
    await until(() => run.events.length === 2, "the first poll");
    const [w, a] = updates(run.events);
    assert.equal(w.status, "Unknown");
    assert.equal(w.message, "");
    assert.equal(w.error?.message, 'no matches for kind "Widget" in group "example.com"');
    assert.equal(w.resource, undefined);
    assert.equal(a.status, "Current");

    // The CRD is installed meanwhile.
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
      metadata: { name: "w", namespace: "ns" },
    });
    await r.tick();
    ctl.abort();
    await run.done;
    assert.deepEqual(
      updates(run.events).map((s) => `${s.identifier.kind} ${s.status}`),
      ["Widget Unknown", "ConfigMap Current", "Widget Current"],
    );
    await r.released();
  },
);

for (const flavour of ["throws", "rejects"] as const) {
  test(`poll: a ClusterReader factory that ${flavour} is an Error event`, async () => {
    const cluster = createMemoryCluster([configMap("a")]);
    const cause = new Error("no credentials");
    const factory: ClusterReaderFactory = () => {
      if (flavour === "throws") throw cause;
      return Promise.reject(cause);
    };
    const engine = updatesPoller({
      mapper: cluster.mapper,
      clusterReaderFactory: factory,
      clock: createManualClock(START),
    });
    const events = await Array.fromAsync(engine.poll([cmA]));
    assert.equal(events.length, 1);
    const [event] = events;
    assert.ok(event.type === "Error");
    assert.equal(event.error.message, "error creating new ClusterReader: no credentials");
    assert.equal(event.error.cause, cause);
  });
}

eachReader("poll: a sync failure is an Error event, then the end", async (kind) => {
  const r = rig(kind, [configMap("a")]);
  const broken = new Error("sync broke");
  r.onSync = (n) => {
    if (n === 2) throw broken;
  };
  const run = record(r.engine.poll([cmA], { pollInterval: INTERVAL }));
  await until(() => run.events.length === 1, "the first poll");
  await r.clock.advance(INTERVAL);
  await run.done;
  assert.deepEqual(run.events.map((e) => e.type), ["ResourceUpdate", "Error"]);
  assert.equal((run.events[1] as { error: Error }).error, broken);
  assert.deepEqual(r.readers, { created: 1, closed: 1 });
  await r.released();
});

test("poll: pollInterval must be > 0", async () => {
  const { engine } = rig("direct");
  for (const pollInterval of [0, -1, NaN]) {
    await assert.rejects(engine.poll([cmA], { pollInterval }).next(), RangeError);
  }
});

eachReader(
  "poll: aborting during a slow request ends the stream without an Error",
  async (kind) => {
    const r = rig(kind, [configMap("a"), configMap("b")]);
    // The second request hangs until aborted: the GET of b (direct), the LIST of the second
    // cycle (caching), the WATCH, open for as long as the poll lasts (watch).
    const reached = gate();
    let hung = false;
    let seen: AbortSignal | undefined;
    r.cluster.hook = async (_call, options) => {
      if (r.cluster.calls.length !== 2) return;
      seen = options?.signal;
      hung = true;
      reached.open();
      await untilAborted(options?.signal);
    };
    const ctl = new AbortController();
    const run = record(r.engine.poll([cmA, cmB], { pollInterval: INTERVAL, signal: ctl.signal }));
    for (let i = 0; i < 3 && !hung; i++) await r.tick();
    await reached.promise;
    assert.equal(seen?.aborted, false);
    const reason = new Error("user pressed ^C");
    ctl.abort(reason);
    await run.done;
    assert.deepEqual(
      updates(run.events).map((s) => s.identifier.name),
      kind === "direct" ? ["a"] : ["a", "b"],
    );
    assert.equal(seen?.aborted, true, "the in-flight request was not cancelled");
    if (kind === "watch") {
      // The watches belong to the reader: they end when the engine closes it.
      assert.equal(seen?.reason.name, "AbortError");
    } else {
      assert.equal(seen?.reason, reason);
    }
    assert.deepEqual(r.readers, { created: 1, closed: 1 });
    await r.released();
  },
);

eachReader("poll: aborting between cycles ends the stream and leaves no sleeper", async (kind) => {
  const r = rig(kind, [configMap("a")]);
  const ctl = new AbortController();
  const run = record(r.engine.poll([cmA], { pollInterval: INTERVAL, signal: ctl.signal }));
  await until(() => run.events.length === 1, "the first poll");
  assert.equal(r.clock.sleepers, 1);
  ctl.abort();
  await run.done;
  assert.equal(run.events.length, 1);
  assert.deepEqual(r.readers, { created: 1, closed: 1 });
  await r.released();
});

eachReader("poll: an already aborted signal polls nothing", async (kind) => {
  const r = rig(kind, [configMap("a")]);
  const events = await Array.fromAsync(r.engine.poll([cmA], { signal: AbortSignal.abort() }));
  assert.deepEqual(events, []);
  assert.deepEqual(r.cluster.calls, []);
  assert.deepEqual(r.readers, { created: 0, closed: 0 });
});

eachReader("poll: aborting while validating ends the stream silently", async (kind) => {
  const memory = createMemoryCluster();
  const reached = gate();
  const mapper: RestMapper = {
    async mapping(gk, o) {
      reached.open();
      await untilAborted(o?.signal);
      return memory.mapper.mapping(gk, o);
    },
  };
  const r = rig(kind, [configMap("a")], { mapper });
  const ctl = new AbortController();
  const run = record(r.engine.poll([cmA], { signal: ctl.signal }));
  await reached.promise;
  ctl.abort();
  await run.done;
  assert.deepEqual(run.events, []);
  assert.deepEqual(r.readers, { created: 0, closed: 0 });
});

eachReader("poll: breaking out after the first event cleans up", async (kind) => {
  const r = rig(kind, [configMap("a"), configMap("b")]);
  const ctl = new AbortController();
  let first: Event | undefined;
  for await (
    const event of r.engine.poll([cmA, cmB], { pollInterval: INTERVAL, signal: ctl.signal })
  ) {
    first = event;
    break;
  }
  assert.equal(first?.type, "ResourceUpdate");
  assert.deepEqual(r.readers, { created: 1, closed: 1 }, "the cluster reader was not closed");
  assert.equal(r.clock.sleepers, 0);
  const requests = callLines(r.cluster.calls);
  assert.deepEqual(requests, configMapRequests(kind, 1), "read on after the consumer left");
  await r.released();
  // The caller's signal is left usable and aborting it later is harmless.
  ctl.abort();
  await settle();
  assert.deepEqual(callLines(r.cluster.calls), requests);
});

eachReader("poll: a reader that throws is reported on its resource", async (kind) => {
  const registry = new Map([["ConfigMap", {
    supports: () => true,
    readStatus: () => Promise.reject(new TypeError("reader bug")),
    readStatusForObject: () => Promise.reject(new TypeError("reader bug")),
  }]]);
  const r = rig(kind, [configMap("a"), configMap("b")], { registry });
  const gen = r.engine.poll([cmA, cmB]);
  const events = updates(await take(gen, 2));
  await gen.return();
  assert.deepEqual(events.map((s) => `${s.identifier.name} ${s.status} ${s.error?.message}`), [
    "a Unknown reader bug",
    "b Unknown reader bug",
  ]);
  await r.released();
});

eachReader("poll: aborting while the consumer holds an event reads nothing more", async (kind) => {
  const read: string[] = [];
  // A status reader that ignores the signal: the engine itself must stop between identifiers.
  const statusReader = {
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
  const r = rig(kind, [configMap("a"), configMap("b")], {
    registry: new Map([["ConfigMap", statusReader]]),
  });
  const ctl = new AbortController();
  const gen = r.engine.poll([cmA, cmB], { signal: ctl.signal });
  await take(gen, 1);
  ctl.abort();
  assert.deepEqual(await gen.next(), { done: true, value: undefined });
  assert.deepEqual(read, ["a"]);
  await r.released();
});

eachReader(
  "poll: the signal given to the cluster reader is aborted when polling ends",
  async (kind) => {
    const r = rig(kind, [configMap("a")]);
    const signals: AbortSignal[] = [];
    // A watch-backed reader keeps background work tied to this signal.
    r.onSync = (_n, options) => void signals.push(options!.signal!);
    for await (const _ of r.engine.poll([cmA])) break;
    assert.equal(signals.length, 1);
    assert.equal(signals[0].aborted, true, "background work of the reader was left running");
    await r.released();
  },
);

eachReader(
  "poll: with the system clock, aborting during the wait leaves no timer",
  async (kind) => {
    const r = rig(kind, [configMap("a")], { systemClock: true });
    const ctl = new AbortController();
    const run = record(r.engine.poll([cmA], { pollInterval: 60_000, signal: ctl.signal }));
    await until(() => run.events.length === 1, "the first poll");
    ctl.abort(); // the ops sanitizer fails this test if the 60 s timer survives
    await run.done;
    await r.released();
  },
);
