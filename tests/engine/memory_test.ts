// The in-memory cluster's API as the watch reader uses it: a resourceVersion per write, LIST
// answering the current one, WATCH replaying and following the writes after a resourceVersion,
// bookmarks, and an abort that leaves nothing behind.

import assert from "node:assert/strict";
import {
  createMemoryCluster,
  type KubeObject,
  type ResourceMapping,
  type WatchStreamEvent,
} from "../../mod.ts";
import { configMap, id, pod, settle, test } from "./fixtures.ts";

const CONFIGMAPS: ResourceMapping = {
  group: "",
  version: "v1",
  kind: "ConfigMap",
  resource: "configmaps",
  namespaced: true,
};

const versionOf = (obj: KubeObject) =>
  (obj.metadata as { resourceVersion?: string }).resourceVersion;

/** `TYPE name@resourceVersion` of each event. */
const lines = (events: WatchStreamEvent[]) =>
  events.map((e) =>
    `${e.type} ${(e.object.metadata as { name?: string }).name ?? ""}@${versionOf(e.object)}`
  );

/** Collects the events of a watch in the background until it ends. */
function collect(stream: AsyncIterable<WatchStreamEvent>) {
  const events: WatchStreamEvent[] = [];
  const done = (async () => {
    for await (const e of stream) events.push(e);
  })();
  return { events, done };
}

test("memory: every write is a resourceVersion, on the object and on the LIST", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  assert.equal(versionOf(await cluster.reader.get(id("", "ConfigMap", "a"))), "1");
  cluster.put(configMap("b"));
  cluster.put(configMap("a", { data: { k: "v" } }));
  const list = await cluster.api.list(CONFIGMAPS, "ns");
  assert.equal(list.resourceVersion, "3");
  assert.deepEqual(list.items.map((o) => versionOf(o)), ["3", "2"]);
  cluster.remove(id("", "ConfigMap", "b"));
  assert.equal((await cluster.api.list(CONFIGMAPS, "ns")).resourceVersion, "4");
});

test("memory: WATCH replays the writes after a resourceVersion, then follows", async () => {
  const cluster = createMemoryCluster([configMap("a"), configMap("other", { namespace: "ns2" })]);
  const { resourceVersion } = await cluster.api.list(CONFIGMAPS, "ns");
  cluster.put(configMap("b")); // 3, before the watch starts: replayed
  const ctl = new AbortController();
  const watch = collect(
    cluster.api.watch(CONFIGMAPS, "ns", { resourceVersion, signal: ctl.signal }),
  );
  await settle();
  assert.equal(cluster.openWatches, 1);
  cluster.put(configMap("a", { data: { k: "v" } })); // 4
  cluster.put(pod("p")); // 5, another kind
  cluster.put(configMap("c", { namespace: "ns2" })); // 6, another namespace
  cluster.remove(id("", "ConfigMap", "b")); // 7
  await settle();
  assert.deepEqual(lines(watch.events), ["ADDED b@3", "MODIFIED a@4", "DELETED b@7"]);
  ctl.abort();
  await assert.rejects(watch.done, { name: "AbortError" });
  assert.equal(cluster.openWatches, 0);
  assert.deepEqual(
    cluster.calls.map((c) => `${c.verb} ${c.gk.kind} ${c.namespace}`),
    ["list ConfigMap ns", "watch ConfigMap ns"],
  );
});

test("memory: WATCH from now, cluster-wide, with bookmarks when only others changed", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  const ctl = new AbortController();
  const watch = collect(cluster.api.watch(CONFIGMAPS, "", {
    allowWatchBookmarks: true,
    signal: ctl.signal,
  }));
  await settle();
  assert.equal(watch.events.length, 0, "an event before the first write");
  cluster.put(pod("p")); // 2
  await settle();
  cluster.put(configMap("b", { namespace: "ns2" })); // 3
  await settle();
  assert.deepEqual(lines(watch.events), ["BOOKMARK @2", "ADDED b@3"]);
  assert.equal(watch.events[0].object.kind, "ConfigMap");
  ctl.abort();
  await assert.rejects(watch.done);
  assert.equal(cluster.openWatches, 0);
});

test("memory: a consumer that stops closes the WATCH; bad or aborted requests open none", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  for await (const _ of cluster.api.watch(CONFIGMAPS, "ns", { resourceVersion: "0" })) break;
  assert.equal(cluster.openWatches, 0);
  const bad = cluster.api.watch(CONFIGMAPS, "ns", { resourceVersion: "x" })[Symbol.asyncIterator]();
  await assert.rejects(bad.next(), /invalid resourceVersion "x"/);
  const aborted = cluster.api.watch(CONFIGMAPS, "ns", { signal: AbortSignal.abort() });
  await assert.rejects(aborted[Symbol.asyncIterator]().next(), { name: "AbortError" });
  assert.equal(cluster.openWatches, 0);
});
