/**
 * The engine with the watch-backed reader over the HTTPS fake API server,
 * through the real client: changes seen as they happen, resume, relist,
 * kinds registered later, refusals, cancellation, and zero requests per
 * steady cycle.
 */

import assert from "node:assert/strict";
import { createManualClock, watchClusterReaderFactory } from "../../mod.ts";
import {
  configMap,
  deployment,
  describe,
  eventually,
  FAST,
  id,
  requestsOf,
  startRun,
  update,
  withCluster,
} from "./helpers.ts";
import { updatesPoller } from "../support/poller.ts";

const WEB = id("apps", "Deployment", "web");
const readyOf = (r: { resource?: Record<string, unknown> }) =>
  (r.resource?.status as { readyReplicas?: number } | undefined)?.readyReplicas;

Deno.test("watch: a Deployment's changes arrive as they happen, long before the next tick", async () => {
  await withCluster(async (api, client) => {
    api.put(deployment("web", 0));
    const run = startRun(client, [WEB], { pollInterval: 60_000 });
    try {
      await run.waitFor(update("web", (r) => r.status === "InProgress" && readyOf(r) === 0));
      await api.waitForWatches(3); // Deployments, ReplicaSets, Pods in ns
      const lists = requestsOf(api, ["list"]).length;
      const latencies: number[] = [];
      for (const ready of [1, 2]) {
        const from = run.events.length;
        const t0 = performance.now();
        api.put(deployment("web", ready));
        await run.waitFor(update("web", (r) => readyOf(r) === ready), 5000, from);
        latencies.push(performance.now() - t0);
      }
      const last = run.events.at(-1)!;
      assert.equal(last.type === "ResourceUpdate" && last.resource.status, "Current");
      // The tick is a minute away: anything under a few seconds came from the watch.
      for (const ms of latencies) assert.ok(ms < 3000, `latency ${ms} ms`);
      assert.equal(run.syncs(), 1, "no tick happened: the changes came from the watch");
      assert.equal(requestsOf(api, ["list"]).length, lists, "no LIST after the first ones");
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: an object missing at start is NotFound at once, then followed as it comes and goes", async () => {
  await withCluster(async (api, client) => {
    const run = startRun(client, [WEB, id("", "ConfigMap", "cfg")]);
    try {
      await run.waitFor(update("web", (r) => r.status === "NotFound"));
      await run.waitFor(update("cfg", (r) => r.status === "NotFound"));
      api.put(configMap("cfg"));
      await run.waitFor(update("cfg", (r) => r.status === "Current"));
      api.put(deployment("web", 2));
      await run.waitFor(update("web", (r) => r.status === "Current"));
      const from = run.events.length;
      api.remove({ group: "apps", kind: "Deployment" }, "ns", "web");
      await run.waitFor(update("web", (r) => r.status === "NotFound"), 5000, from);
      assert.equal(run.syncs(), 1);
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: a child's change re-reads its parent (a ReplicaSet of a Deployment)", async () => {
  await withCluster(async (api, client) => {
    const dep = api.put(deployment("web", 2));
    const uid = (dep.metadata as { uid: string }).uid;
    const rs = (ready: number) => ({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: "web-1",
        namespace: "ns",
        generation: 1,
        labels: { app: "web" },
        ownerReferences: [{
          apiVersion: "apps/v1",
          kind: "Deployment",
          name: "web",
          uid,
          controller: true,
        }],
      },
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } } },
      status: {
        observedGeneration: 1,
        replicas: 2,
        fullyLabeledReplicas: 2,
        readyReplicas: ready,
        availableReplicas: ready,
      },
    });
    api.put(rs(1));
    const run = startRun(client, [WEB]);
    try {
      await run.waitFor(update("web", (r) => r.generatedResources[0]?.status === "InProgress"));
      api.put(rs(2));
      await run.waitFor(update("web", (r) => r.generatedResources[0]?.status === "Current"));
      assert.equal(run.syncs(), 1);
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: bookmarks keep the resourceVersion fresh and a resume starts from them", async () => {
  await withCluster(async (api, client) => {
    api.put(deployment("web", 2));
    const run = startRun(client, [WEB]);
    try {
      await run.waitFor(update("web", (r) => r.status === "Current"));
      await api.waitForWatches(3);
      for (const w of requestsOf(api, ["watch"])) assert.equal(w.query.allowWatchBookmarks, "true");
      // Writes elsewhere move the server's resourceVersion; only a bookmark tells our watches.
      api.put(configMap("elsewhere", "other"));
      api.put(configMap("elsewhere2", "other"));
      const bookmarked = String(api.resourceVersion);
      api.bookmark();
      await eventually(() => run.reader().stats().bookmarks >= 3, 5000, "bookmarks received");
      const mark = api.requests.length;
      api.dropWatches({ resource: "deployments" });
      await eventually(() => requestsOf(api, ["watch"], mark).length >= 1, 5000, "a resumed watch");
      const resumed = requestsOf(api, ["watch"], mark)[0];
      assert.equal(resumed.resource, "deployments");
      assert.equal(resumed.query.resourceVersion, bookmarked);
      assert.equal(requestsOf(api, ["list"], mark).length, 0, "no relist");
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: a connection dropped mid-stream resumes from the last resourceVersion, no relist", async () => {
  await withCluster(async (api, client) => {
    api.put(deployment("web", 0));
    const run = startRun(client, [WEB]);
    try {
      await run.waitFor(update("web", (r) => readyOf(r) === 0));
      await api.waitForWatches(3);
      api.put(deployment("web", 1));
      await run.waitFor(update("web", (r) => readyOf(r) === 1));
      const seen = String(api.resourceVersion);
      const mark = api.requests.length;
      api.dropWatches({ resource: "deployments" });
      // A change while disconnected is replayed by the resumed watch.
      api.put(deployment("web", 2));
      await run.waitFor(update("web", (r) => r.status === "Current"));
      const resumed = requestsOf(api, ["watch"], mark);
      assert.equal(resumed.length, 1, "one resumed watch");
      assert.equal(resumed[0].query.resourceVersion, seen);
      assert.equal(requestsOf(api, ["list"], mark).length, 0, "no relist");
      assert.equal(run.reader().stats().relists, 0);
      assert.equal(run.syncs(), 1);
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: a watch ended by the server (its timeout) is resumed, not relisted", async () => {
  await withCluster(async (api, client) => {
    api.put(deployment("web", 0));
    const run = startRun(client, [WEB]);
    try {
      await run.waitFor(update("web", (r) => readyOf(r) === 0));
      await api.waitForWatches(3);
      const mark = api.requests.length;
      api.endWatches({ resource: "deployments" });
      api.put(deployment("web", 2));
      await run.waitFor(update("web", (r) => r.status === "Current"));
      assert.equal(requestsOf(api, ["watch"], mark).length, 1);
      assert.equal(requestsOf(api, ["list"], mark).length, 0);
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: 410 Gone (an ERROR event) relists and reports what changed", async () => {
  await withCluster(async (api, client) => {
    api.put(deployment("web", 0));
    const run = startRun(client, [WEB]);
    try {
      await run.waitFor(update("web", (r) => readyOf(r) === 0));
      await api.waitForWatches(3);
      const mark = api.requests.length;
      api.watchError({ resource: "deployments" }); // ERROR 410 Expired, then the stream ends
      api.put(deployment("web", 2));
      await run.waitFor(update("web", (r) => r.status === "Current"));
      assert.equal(
        requestsOf(api, ["list"], mark).filter((r) => r.resource === "deployments").length,
        1,
      );
      assert.equal(run.reader().stats().relists, 1);
      assert.equal(run.syncs(), 1);
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: resuming from a compacted resourceVersion gets 410 and relists", async () => {
  await withCluster(async (api, client) => {
    api.put(deployment("web", 0));
    const run = startRun(client, [WEB]);
    try {
      await run.waitFor(update("web", (r) => readyOf(r) === 0));
      await api.waitForWatches(3);
      // Changes the Deployment watch never sees, then compaction past them.
      api.put(configMap("x", "other"));
      api.compact();
      const mark = api.requests.length;
      api.dropWatches({ resource: "deployments" });
      await eventually(
        () => requestsOf(api, ["list"], mark).some((r) => r.resource === "deployments"),
        5000,
        "a relist",
      );
      assert.equal(run.reader().stats().relists, 1);
      const from = run.events.length;
      api.put(deployment("web", 2));
      await run.waitFor(update("web", (r) => r.status === "Current"), 5000, from);
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: a kind registered after start (a CRD applied later) is picked up without restart", async () => {
  await withCluster(async (api, client) => {
    const widget = id("example.com", "Widget", "w1");
    const run = startRun(client, [widget]);
    try {
      const first = await run.waitFor(update("w1"));
      assert.equal(first.type === "ResourceUpdate" && first.resource.status, "Unknown");
      assert.match(
        first.type === "ResourceUpdate" ? first.resource.error?.message ?? "" : "",
        /no matches for kind "Widget" in group "example.com"/,
      );
      api.registerKind({
        group: "example.com",
        version: "v1",
        kind: "Widget",
        plural: "widgets",
        namespaced: true,
      });
      api.put({
        apiVersion: "example.com/v1",
        kind: "Widget",
        metadata: { name: "w1", namespace: "ns", generation: 1 },
        status: { observedGeneration: 1, conditions: [{ type: "Ready", status: "True" }] },
      });
      await run.waitFor(update("w1", (r) => r.status === "Current"));
      assert.equal(run.syncs(), 1, "picked up between ticks");
      await api.waitForWatches(1, { resource: "widgets" });
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: Forbidden on a child kind makes its parents Unknown, and lifts without restart", async () => {
  await withCluster(async (api, client) => {
    api.put(deployment("web", 2));
    api.put(configMap("cfg"));
    api.setForbidden((r) => r.resource === "replicasets");
    const run = startRun(client, [WEB, id("", "ConfigMap", "cfg")]);
    try {
      const web = await run.waitFor(update("web"));
      assert.ok(web.type === "ResourceUpdate");
      assert.equal(web.resource.status, "Unknown", describe(run.events));
      assert.equal(web.resource.error?.name, "ForbiddenError");
      assert.match(web.resource.error?.message ?? "", /forbidden/);
      await run.waitFor(update("cfg", (r) => r.status === "Current"));
      // Retried in the background: once allowed, the Deployment's status follows.
      api.setForbidden(undefined);
      await run.waitFor(update("web", (r) => r.status === "Current"));
      assert.equal(run.syncs(), 1);
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: a NotFound LIST makes the kind's objects NotFound, then recovers", async () => {
  await withCluster(async (api, client) => {
    api.put(configMap("cfg"));
    api.failNext({ verb: "list", resource: "configmaps" }, { status: 404 });
    const run = startRun(client, [id("", "ConfigMap", "cfg")]);
    try {
      await run.waitFor(update("cfg", (r) => r.status === "NotFound"));
      await run.waitFor(update("cfg", (r) => r.status === "Current"));
      assert.equal(run.syncs(), 1);
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: steady cycles cost zero requests after the first LIST and WATCH per pair", async () => {
  await withCluster(async (api, client) => {
    for (const name of ["a", "b", "c"]) api.put(deployment(name, 2));
    api.put(configMap("cfg", "other"));
    const clock = createManualClock(Date.now());
    const ids = [
      id("apps", "Deployment", "a"),
      id("apps", "Deployment", "b"),
      id("apps", "Deployment", "c"),
      id("", "ConfigMap", "cfg", "other"),
    ];
    const run = startRun(client, ids, { clock, pollInterval: 1000 });
    try {
      for (const name of ["a", "b", "c", "cfg"]) {
        await run.waitFor(update(name, (r) => r.status === "Current"));
      }
      // Deployments, ReplicaSets, Pods in ns; ConfigMaps in other.
      await api.waitForWatches(4);
      const lists = requestsOf(api, ["list"]);
      assert.deepEqual(lists.map((r) => `${r.resource} ${r.namespace}`).sort(), [
        "configmaps other",
        "deployments ns",
        "pods ns",
        "replicasets ns",
      ]);
      const mark = api.requests.length;
      const syncs = run.syncs();
      const cycles = 20;
      for (let i = 0; i < cycles; i++) {
        await eventually(() => clock.sleepers > 0, 2000, "the engine waiting for the tick");
        await clock.advance(1000);
        await eventually(() => run.syncs() === syncs + i + 1, 2000, `cycle ${i + 1}`);
      }
      assert.deepEqual(api.requests.slice(mark).map((r) => `${r.verb} ${r.path}`), []);
      assert.equal(run.events.filter((e) => e.type === "Error").length, 0);
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: the pod scheduling window is re-checked on the tick, with no request", async () => {
  await withCluster(async (api, client) => {
    // A whole second, so the creationTimestamp (seconds) is exactly the clock's start.
    const start = Math.floor(Date.now() / 1000) * 1000;
    api.put({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "ns", creationTimestamp: new Date(start).toISOString() },
      spec: { containers: [{ name: "c", image: "x" }] },
      status: {
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }],
      },
    });
    const clock = createManualClock(start);
    const run = startRun(client, [id("", "Pod", "p")], { clock, pollInterval: 1000 });
    try {
      await run.waitFor(update("p", (r) => r.status === "InProgress"));
      await api.waitForWatches(1);
      const mark = api.requests.length;
      for (let s = 1; s <= 14; s++) {
        await eventually(() => clock.sleepers > 0, 2000, "the engine waiting for the tick");
        await clock.advance(1000);
        await eventually(() => run.syncs() === s + 1, 2000, `tick ${s}`);
      }
      assert.equal(run.events.filter(update("p", (r) => r.status === "Failed")).length, 0);
      await eventually(() => clock.sleepers > 0, 2000, "the engine waiting for the tick");
      await clock.advance(1000); // 15 s after creation: the window has passed
      const failed = await run.waitFor(update("p", (r) => r.status === "Failed"));
      assert.ok(failed.type === "ResourceUpdate");
      assert.equal(failed.resource.message, "Pod could not be scheduled");
      assert.equal(api.requests.length, mark, "ticks re-read from memory");
    } finally {
      await run.stop();
    }
  });
});

Deno.test("watch: breaking out of the loop closes every watch and timer", async () => {
  await withCluster(async (api, client) => {
    api.put(deployment("web", 0));
    const engine = updatesPoller({
      mapper: client.mapper,
      clusterReaderFactory: watchClusterReaderFactory(client, FAST),
    });
    let n = 0;
    for await (const event of engine.poll([WEB], { pollInterval: 60_000 })) {
      assert.equal(event.type, "ResourceUpdate");
      await api.waitForWatches(3);
      if (++n === 1) api.put(deployment("web", 1));
      else break;
    }
    await eventually(() => api.watchCount() === 0, 5000, "every watch closed");
  });
});

Deno.test("watch: aborting during the first LIST ends the poll with nothing left open", async () => {
  await withCluster(async (api, client) => {
    api.put(deployment("web", 0));
    api.delayNext({ verb: "list", resource: "pods" }, 300);
    const controller = new AbortController();
    const run = watchRunWithSignal(client, controller.signal);
    await eventually(() => requestsOf(api, ["list"]).some((r) => r.resource === "pods"));
    controller.abort();
    const events = await run;
    assert.deepEqual(events, [], "no event: sync never completed");
    await eventually(() => api.watchCount() === 0, 5000, "every watch closed");
  });
});

async function watchRunWithSignal(
  client: Parameters<typeof watchClusterReaderFactory>[0],
  signal: AbortSignal,
) {
  const engine = updatesPoller({
    mapper: client.mapper,
    clusterReaderFactory: watchClusterReaderFactory(client, FAST),
  });
  const events = [];
  for await (const event of engine.poll([WEB], { pollInterval: 60_000, signal })) {
    events.push(event);
  }
  return events;
}
