// Trees of children, changes, errors and time, through the engine, against each of the three
// cluster readers (direct, caching and watch-backed) over the same in-memory cluster and a manual
// clock (poller_test.ts holds the loop's own rules). Where a reader differs by design (the watch
// reader reports a change without waiting for the tick), each reader's expectation is asserted
// explicitly.

import assert from "node:assert/strict";
import { type Event, type KubeObject, observe, ResourceStatusCollector } from "../../mod.ts";
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
  tree,
  untilAborted,
  updates,
} from "./fixtures.ts";
import { eachReader, INTERVAL, type Rig, rig, START, until } from "./rig.ts";

/** Settles until `events` holds `n` events. */
function count(events: readonly Event[], n: number, what: string): Promise<void> {
  return until(() => events.length >= n, `${what}: ${n} events, ${events.length} so far`);
}

const web = id("apps", "Deployment", "web");

eachReader(
  "first poll: every kind with its children, in the order asked, at once",
  async (reader) => {
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
    await count(run.events, ids.length, "first poll");
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
    await r.released();
  },
);

eachReader(
  "changes: nothing new is not sent again; a pod's change updates its Deployment",
  async (reader) => {
    const objects = deploymentTree("web", { podState: "pending" });
    const r = rig(reader, objects);
    const ctl = new AbortController();
    const run = record(r.engine.poll([web], { pollInterval: INTERVAL, signal: ctl.signal }));
    await count(run.events, 1, "first poll");
    await r.tick();
    await r.tick();
    assert.equal(run.events.length, 1, "an unchanged status was sent again");

    r.cluster.put(
      pod("web-rs-0", { labels: { app: "web" }, owner: objects[1], uid: "uid-ns-web-pod-0" }),
    );
    await settle();
    if (reader === "watch") {
      // The watch reports the write: no tick needed.
      await count(run.events, 2, "the change");
      assert.equal(r.clock.now(), START + 2 * INTERVAL);
    } else {
      assert.equal(run.events.length, 1, `${reader} saw the change before the tick`);
      await r.tick();
      await count(run.events, 2, "the change at the tick");
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
    await r.released();
  },
);

eachReader("objects coming and going: NotFound, Current, NotFound", async (reader) => {
  const r = rig(reader);
  const cm = id("", "ConfigMap", "late");
  const ctl = new AbortController();
  const run = record(r.engine.poll([cm], { pollInterval: INTERVAL, signal: ctl.signal }));
  await count(run.events, 1, "first poll");
  // The watch reader reports each write at once; the others see it at the next tick.
  const seen = async (n: number, what: string) => {
    await settle();
    assert.equal(run.events.length, reader === "watch" ? n : n - 1, `${what} before the tick`);
    await r.tick();
    assert.equal(run.events.length, n, what);
  };
  r.cluster.put(configMap("late"));
  await seen(2, "created");
  r.cluster.remove(cm);
  await seen(3, "deleted");
  assert.deepEqual(updates(run.events).map((s) => `${s.status} ${s.message}`), [
    "NotFound Resource not found",
    "Current Resource is always ready",
    "NotFound Resource not found",
  ]);
  ctl.abort();
  await run.done;
  await r.released();
});

eachReader(
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
    await r.released();
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

eachReader(
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
    await count(run.events, 1, "first poll");
    const [refusedStatus] = updates(run.events);
    assert.equal(refusedStatus.status, "Unknown");
    assert.match(refusedStatus.error?.message ?? "", /replicasets\.apps is forbidden/);
    await r.tick();
    assert.equal(run.events.length, 1, "the same refusal was reported again");
    refused = false;
    // The watch reader retries after its backoff (shorter than the interval, on the test clock);
    // the others at the tick.
    await r.tick();
    assert.equal(run.events.length, 2);
    assert.deepEqual(tree(updates(run.events)[1]), [
      "Deployment/web Current",
      "  ReplicaSet/web-rs Current",
      "    Pod/web-rs-0 Current",
    ]);
    ctl.abort();
    await run.done;
    await r.released();
  },
);

eachReader(
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
    await r.released();
  },
);

eachReader("collector: observe stops the engine once everything is Current", async (reader) => {
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
  await count(run.events, 2, "first poll");
  await r.tick();
  assert.equal(collector.isDone("current"), false);
  r.cluster.put(objects[1]);
  r.cluster.put(
    pod("web-rs-0", { labels: { app: "web" }, owner: objects[1], uid: "uid-ns-web-pod-0" }),
  );
  await settle();
  // The watch reader's change is enough; the others need the tick.
  assert.equal(collector.isDone("current"), reader === "watch");
  if (reader !== "watch") await r.tick();
  await run.done;
  assert.equal(collector.isDone("current"), true);
  assert.equal(r.clock.now(), START + (reader === "watch" ? 1 : 2) * INTERVAL);
  assert.deepEqual(r.readers, { created: 1, closed: 1 });
  await r.released();
});

eachReader(
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
    await count(run.events, 1, "first poll");
    assert.equal(updates(run.events)[0].status, "InProgress");
    // InProgress while now - 15 s < creationTimestamp: Failed from the 15th tick on.
    for (let i = 0; i < 14; i++) await r.tick();
    assert.equal(run.events.length, 1, "Failed before the window was over");
    await r.tick();
    await count(run.events, 2, "the window");
    const failed = updates(run.events)[1];
    assert.equal(`${failed.status} ${failed.message}`, "Failed 1 pods have failed");
    ctl.abort();
    await run.done;
    await r.released();
  },
);
