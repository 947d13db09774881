import assert from "node:assert/strict";
import {
  cachePairs,
  cachingClusterReaderFactory,
  compileLabelSelector,
  createCachingClusterReader,
  createDirectClusterReader,
  createManualClock,
  createMemoryCluster,
  groupKindKey,
  type KubeApi,
  type KubeObject,
  type MemoryCluster,
  type ObjectIdentifier,
  type RestMapper,
  type WatchClusterReader,
  type WatchKubeApi,
} from "../../mod.ts";
import {
  callLines,
  configMap,
  cronJob,
  deployment,
  deploymentTree,
  forbidden,
  gate,
  id,
  notFound,
  pod,
  record,
  settle,
  statefulSet,
  test,
  tree,
  untilAborted,
  updates,
} from "./fixtures.ts";
import { eachReader, readerFactory, rig, until } from "./rig.ts";
import { updatesPoller } from "../support/poller.ts";

const START = Date.parse("2025-01-01T00:00:00Z");
const INTERVAL = 1000;

/** An engine polling through the caching reader over the memory cluster's API. */
function cachingEngine(cluster: MemoryCluster, api: KubeApi = cluster.api) {
  const clock = createManualClock(START);
  const engine = updatesPoller({
    mapper: cluster.mapper,
    clusterReaderFactory: cachingClusterReaderFactory(api),
    clock,
  });
  return { engine, clock };
}

/** A caching reader for `ids`, with the child kinds of the default registry. */
function cachingReader(cluster: MemoryCluster, ids: ObjectIdentifier[], api = cluster.api) {
  const { engine } = cachingEngine(cluster);
  return createCachingClusterReader(api, {
    identifiers: ids,
    mapper: cluster.mapper,
    childKinds: (gk) => engine.childKinds(gk),
  });
}

test("caching: pairs expand to child kinds, in insertion order, without duplicates", () => {
  const { engine } = cachingEngine(createMemoryCluster());
  const ids = [
    id("apps", "Deployment", "web", "a"),
    id("", "ConfigMap", "x", "b"),
    id("apps", "StatefulSet", "db", "a"),
    id("apps", "Deployment", "api", "a"),
    id("", "Pod", "p", "a"),
    id("batch", "CronJob", "c", "c"),
    id("apps", "Deployment", "web", "b"),
  ];
  const pairs = cachePairs({ identifiers: ids, childKinds: (gk) => engine.childKinds(gk) });
  assert.deepEqual(pairs.map((p) => `${groupKindKey(p.gk)} ${p.namespace}`), [
    "apps/Deployment a",
    "apps/ReplicaSet a",
    "Pod a",
    "ConfigMap b",
    "apps/StatefulSet a",
    "batch/CronJob c",
    "batch/Job c",
    "Pod c",
    "apps/Deployment b",
    "apps/ReplicaSet b",
    "Pod b",
  ]);
  // Pairs carry a plain GroupKind, not the identifier they came from.
  assert.deepEqual(pairs[0].gk, { group: "apps", kind: "Deployment" });
});

test("caching: one LIST per pair per cycle, and no GET", async () => {
  const cluster = createMemoryCluster([
    ...deploymentTree("web"),
    statefulSet("db"),
    configMap("a"),
  ]);
  const { engine, clock } = cachingEngine(cluster);
  const ids = [web, id("apps", "StatefulSet", "db"), id("", "ConfigMap", "a")];
  const ctl = new AbortController();
  const run = record(engine.poll(ids, { pollInterval: INTERVAL, signal: ctl.signal }));
  await settle();
  const cycle = [
    "list Deployment ns",
    "list ReplicaSet ns",
    "list Pod ns",
    "list StatefulSet ns",
    "list ConfigMap ns",
  ];
  assert.deepEqual(callLines(cluster.calls), cycle);
  await clock.advance(INTERVAL);
  await settle();
  assert.deepEqual(callLines(cluster.calls), [...cycle, ...cycle]);
  ctl.abort();
  await run.done;
  assert.deepEqual(updates(run.events).map((r) => r.status), ["Current", "Current", "Current"]);
});

const web = id("apps", "Deployment", "web");
const api = id("apps", "Deployment", "api");

test("caching: a Forbidden list of ReplicaSets makes every Deployment Unknown", async () => {
  const cluster = createMemoryCluster([...deploymentTree("web"), ...deploymentTree("api")]);
  const refusal = forbidden('replicasets.apps is forbidden: cannot list in namespace "ns"');
  cluster.hook = (call) => {
    if (call.verb === "list" && call.gk.kind === "ReplicaSet") throw refusal;
  };
  const reader = cachingReader(cluster, [web, api]);
  await reader.sync();
  assert.equal(cluster.calls.length, 3, "a list error must not stop the sync");
  await assert.rejects(
    reader.listNamespaceScoped({ group: "apps", kind: "ReplicaSet" }, "ns", undefined),
    (e) => e === refusal,
  );

  const { engine } = cachingEngine(cluster);
  const gen = engine.poll([web, api]);
  const results = updates([(await gen.next()).value!, (await gen.next()).value!]);
  await gen.return();
  for (const r of results) {
    assert.equal(r.status, "Unknown");
    assert.equal(r.error, refusal);
    assert.equal(r.message, "");
    assert.ok(r.resource, "the Deployment itself was read");
    assert.deepEqual(r.generatedResources, []);
  }
});

test("caching: a NotFound list makes the resources of that kind NotFound", async () => {
  const cluster = createMemoryCluster([...deploymentTree("web"), ...deploymentTree("api")]);
  cluster.hook = (call) => {
    if (call.gk.kind === "Deployment") throw notFound("the server could not find the resource");
  };
  const { engine } = cachingEngine(cluster);
  const gen = engine.poll([web, api]);
  const results = updates([(await gen.next()).value!, (await gen.next()).value!]);
  await gen.return();
  assert.deepEqual(results.map((r) => `${r.identifier.name} ${r.status} ${r.message}`), [
    "web NotFound Resource not found",
    "api NotFound Resource not found",
  ]);
});

test("caching: the cache is rebuilt at every sync", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  const a = id("", "ConfigMap", "a");
  const b = id("", "ConfigMap", "b");
  const reader = cachingReader(cluster, [a, b]);
  await reader.sync();
  assert.equal((await reader.get(a)).kind, "ConfigMap");
  await assert.rejects(reader.get(b), {
    name: "NotFoundError",
    message: 'configmaps "b" not found',
  });
  cluster.remove(a);
  cluster.put(configMap("b"));
  assert.ok(await reader.get(a), "reads between syncs come from the snapshot");
  await reader.sync();
  await assert.rejects(reader.get(a), { name: "NotFoundError" });
  assert.equal((await reader.get(b)).kind, "ConfigMap");
  assert.deepEqual(callLines(cluster.calls), ["list ConfigMap ns", "list ConfigMap ns"]);
  reader.close?.();
  await assert.rejects(reader.get(b), /not found in cache/);
});

test("caching: lists filter the snapshot with the selector", async () => {
  const cluster = createMemoryCluster([
    configMap("a", { labels: { app: "web", tier: "front" } }),
    configMap("b", { labels: { app: "web" } }),
    configMap("c", { labels: { app: "api" } }),
  ]);
  const reader = cachingReader(cluster, [id("", "ConfigMap", "a")]);
  await reader.sync();
  const names = async (selector?: unknown) =>
    (await reader.listNamespaceScoped(
      { group: "", kind: "ConfigMap" },
      "ns",
      selector === undefined ? undefined : compileLabelSelector(selector),
    )).map((o) => (o.metadata as { name: string }).name);
  assert.deepEqual(await names(), ["a", "b", "c"]);
  assert.deepEqual(await names({}), ["a", "b", "c"]);
  assert.deepEqual(await names({ matchLabels: { app: "web" } }), ["a", "b"]);
  assert.deepEqual(
    await names({ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }),
    ["b", "c"],
  );
  await assert.rejects(
    reader.listNamespaceScoped({ group: "", kind: "ConfigMap" }, "elsewhere", undefined),
    { message: 'GroupKind ConfigMap and namespace "elsewhere" not found in cache' },
  );
});

test("caching: failed lookups are rejected promises, not synchronous throws", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  cluster.hook = (call) => {
    if (call.gk.kind === "ReplicaSet") throw forbidden("replicasets.apps is forbidden");
  };
  const reader = cachingReader(cluster, [web]);
  await reader.sync();
  const rs = { group: "apps", kind: "ReplicaSet" };
  const calls: Array<[string, () => Promise<unknown>]> = [
    ["get of a kind not cached", () => reader.get(id("", "ConfigMap", "a"))],
    ["list of a kind not cached", () => reader.listNamespaceScoped(rs, "other", undefined)],
    ["list of a pair that failed", () => reader.listNamespaceScoped(rs, "ns", undefined)],
    ["cluster list of a kind not cached", () => reader.listClusterScoped(rs, undefined)],
  ];
  for (const [label, call] of calls) {
    let result: Promise<unknown> | undefined;
    assert.doesNotThrow(() => (result = call()), label);
    await assert.rejects(result!, label);
  }
});

test("caching: cluster-scoped kinds are listed cluster-wide", async () => {
  const cluster = createMemoryCluster([
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "prod" } },
  ]);
  const prod = { group: "", kind: "Namespace", namespace: "", name: "prod" };
  const reader = cachingReader(cluster, [prod]);
  await reader.sync();
  assert.equal((await reader.get(prod)).kind, "Namespace");
  assert.deepEqual(callLines(cluster.calls), ["list Namespace "]);
  assert.equal((await reader.listClusterScoped(prod, undefined)).length, 1);

  // An identifier naming a namespace for a cluster-scoped kind: listed cluster-wide, cached
  // under the identifier's namespace.
  const named = { ...prod, namespace: "x" };
  const reader2 = cachingReader(cluster, [named]);
  await reader2.sync();
  assert.equal((await reader2.get(named)).kind, "Namespace");
  assert.deepEqual(callLines(cluster.calls), ["list Namespace ", "list Namespace "]);
});

test("caching: a kind without match is stored, another mapping error fails sync", async () => {
  const cluster = createMemoryCluster([configMap("a")]);
  const widget = id("example.com", "Widget", "w");
  const reader = cachingReader(cluster, [widget, id("", "ConfigMap", "a")]);
  await reader.sync();
  await assert.rejects(reader.get(widget), {
    name: "NoMatchError",
    message: 'no matches for kind "Widget" in group "example.com"',
  });
  assert.deepEqual(callLines(cluster.calls), ["list ConfigMap ns"]);

  const outage = new Error("discovery is down");
  const mapper: RestMapper = {
    mapping: (gk, o) =>
      gk.kind === "ReplicaSet" ? Promise.reject(outage) : cluster.mapper.mapping(gk, o),
  };
  const broken = cachingReader(cluster, [web], { ...cluster.api, mapper });
  await assert.rejects(broken.sync(), (e) => e === outage);

  // Through the engine: an Error event, then the end.
  const { engine } = cachingEngine(cluster, { ...cluster.api, mapper });
  const events = await Array.fromAsync(engine.poll([web]));
  assert.deepEqual(events, [{ type: "Error", error: outage }]);
});

test("caching: aborting during sync ends polling silently", async () => {
  const cluster = createMemoryCluster(deploymentTree("web"));
  const reached = gate();
  let seen: AbortSignal | undefined;
  cluster.hook = async (call, options) => {
    if (call.gk.kind !== "ReplicaSet") return;
    seen = options?.signal;
    reached.open();
    await untilAborted(options?.signal);
  };
  const { engine, clock } = cachingEngine(cluster);
  const ctl = new AbortController();
  const run = record(engine.poll([web], { pollInterval: INTERVAL, signal: ctl.signal }));
  await reached.promise;
  ctl.abort();
  await run.done;
  assert.deepEqual(run.events, []);
  assert.equal(seen?.aborted, true);
  assert.equal(clock.sleepers, 0);
  assert.deepEqual(callLines(cluster.calls), ["list Deployment ns", "list ReplicaSet ns"]);
});

test("caching: a cancelled LIST fails sync instead of being cached", async () => {
  const cluster = createMemoryCluster(deploymentTree("web"));
  const ctl = new AbortController();
  cluster.hook = (call) => {
    if (call.gk.kind === "Pod") ctl.abort(); // the last pair
  };
  const reader = cachingReader(cluster, [web]);
  await assert.rejects(reader.sync({ signal: ctl.signal }), { name: "AbortError" });
  assert.equal(cluster.calls.length, 3);
});

/** The memory API, recording the label selector of every LIST. */
function selectorSpy(cluster: MemoryCluster): { api: KubeApi; selectors: (string | undefined)[] } {
  const selectors: (string | undefined)[] = [];
  return {
    selectors,
    api: {
      ...cluster.api,
      list(mapping, namespace, options) {
        selectors.push(options?.labelSelector);
        return cluster.api.list(mapping, namespace, options);
      },
    },
  };
}

test("direct: gets each object and sends the selector to the server", async () => {
  const d = deployment("web", {
    selector: {
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["front", "api"] },
        { key: "legacy", operator: "DoesNotExist" },
      ],
    },
  });
  const cluster = createMemoryCluster([d, deployment("all", { selector: {} }), cronJob("cj")]);
  const spy = selectorSpy(cluster);
  const engine = updatesPoller({
    mapper: cluster.mapper,
    clusterReaderFactory: () => createDirectClusterReader(spy.api),
    clock: createManualClock(START),
  });
  const ids = [web, id("apps", "Deployment", "all"), id("batch", "CronJob", "cj")];
  const gen = engine.poll(ids);
  for (let i = 0; i < ids.length; i++) await gen.next();
  await gen.return();
  assert.deepEqual(callLines(cluster.calls), [
    "get Deployment ns",
    "list ReplicaSet ns",
    "get Deployment ns",
    "list ReplicaSet ns",
    "get CronJob ns",
    "list Job ns",
  ]);
  assert.deepEqual(spy.selectors, [
    "app=web,!legacy,tier in (api,front)",
    undefined,
    undefined,
  ]);
});

test("direct: sync does nothing and lists of cluster-scoped kinds are cluster-wide", async () => {
  const cluster = createMemoryCluster([
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "prod", labels: { env: "prod" } } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "dev", labels: { env: "dev" } } },
  ]);
  const reader = createDirectClusterReader(cluster.api);
  await reader.sync();
  assert.deepEqual(cluster.calls, []);
  const found = await reader.listClusterScoped(
    { group: "", kind: "Namespace" },
    compileLabelSelector({ matchLabels: { env: "prod" } }),
  );
  assert.deepEqual(found.map((o) => (o.metadata as { name: string }).name), ["prod"]);
  assert.deepEqual(callLines(cluster.calls), ["list Namespace "]);
});

test("caching: 100 Deployments in 3 namespaces cost 9 LISTs per cycle and no GET", async () => {
  const namespaces = ["alpha", "beta", "gamma"];
  const objects: KubeObject[] = [];
  const ids: ObjectIdentifier[] = [];
  for (let i = 0; i < 100; i++) {
    const name = `app-${String(i).padStart(3, "0")}`;
    const namespace = namespaces[i % 3];
    objects.push(...deploymentTree(name, { namespace, pods: 2 }));
    ids.push(id("apps", "Deployment", name, namespace));
  }
  const cluster = createMemoryCluster(objects);
  const { engine, clock } = cachingEngine(cluster);
  const ctl = new AbortController();
  const run = record(engine.poll(ids, { pollInterval: INTERVAL, signal: ctl.signal }));
  await settle();
  const perCycle = namespaces.flatMap((ns) => [
    `list Deployment ${ns}`,
    `list ReplicaSet ${ns}`,
    `list Pod ${ns}`,
  ]);
  assert.equal(run.events.length, 100);
  assert.deepEqual(callLines(cluster.calls), perCycle);
  await clock.advance(INTERVAL);
  await settle();
  ctl.abort();
  await run.done;
  assert.deepEqual(callLines(cluster.calls), [...perCycle, ...perCycle]);
  assert.equal(cluster.calls.filter((c) => c.verb === "get").length, 0);
  assert.equal(run.events.length, 100, "nothing changed in the second cycle");
  const results = updates(run.events);
  assert.deepEqual(results.map((r) => r.identifier), ids);
  assert.deepEqual(tree(results[41]), [
    "Deployment/app-041 Current",
    "  ReplicaSet/app-041-rs Current",
    "    Pod/app-041-rs-0 Current",
    "    Pod/app-041-rs-1 Current",
  ]);
  assert.ok(results.every((r) => r.status === "Current" && r.generatedResources.length === 1));
});

/**
 * The memory API answering as the API server does: LIST items without apiVersion and kind
 * (WATCH events are stripped too, though the server sends them whole).
 */
function bareItemsApi(cluster: MemoryCluster): WatchKubeApi {
  const bare = ({ apiVersion: _a, kind: _k, ...rest }: KubeObject) => rest;
  return {
    ...cluster.api,
    async list(mapping, namespace, options) {
      const { items, resourceVersion } = await cluster.api.list(mapping, namespace, options);
      return { resourceVersion, items: items.map(bare) };
    },
    async *watch(mapping, namespace, options) {
      for await (const e of cluster.api.watch(mapping, namespace, options)) {
        yield { type: e.type, object: bare(e.object) };
      }
    },
  };
}

eachReader("list items without apiVersion and kind are read as the kind listed", async (kind) => {
  const r = rig(kind, deploymentTree("web"), { api: bareItemsApi });
  const ctl = new AbortController();
  const run = record(r.engine.poll([web], { pollInterval: INTERVAL, signal: ctl.signal }));
  await until(() => run.events.length === 1, "the first poll");
  // A new pod: the watch reader learns of it from a WATCH event.
  const [, rs] = deploymentTree("web");
  r.cluster.put(pod("web-rs-1", { labels: { app: "web" }, owner: rs }));
  await r.tick();
  ctl.abort();
  await run.done;
  const [, result] = updates(run.events);
  assert.deepEqual(tree(result), [
    "Deployment/web Current",
    "  ReplicaSet/web-rs Current",
    "    Pod/web-rs-0 Current",
    "    Pod/web-rs-1 Current",
  ]);
  assert.equal(result.resource?.apiVersion, "apps/v1");
  assert.equal(result.generatedResources[0].resource?.apiVersion, "apps/v1");
  for (const p of result.generatedResources[0].generatedResources) {
    assert.equal(p.resource?.apiVersion, "v1");
    assert.equal(p.resource?.kind, "Pod");
  }
  await r.released();
});

eachReader("lists hand out copies; changing one leaves the reader as it was", async (kind) => {
  const cluster = createMemoryCluster(deploymentTree("web", { pods: 2 }));
  const { engine } = cachingEngine(cluster);
  const reader = await readerFactory(kind, cluster.api)({
    identifiers: [web],
    mapper: cluster.mapper,
    childKinds: (gk) => engine.childKinds(gk),
  });
  await reader.sync();
  const pod = { group: "", kind: "Pod" };
  if (reader.listControlledBy) {
    const byOwner = await reader.listControlledBy(pod, "ns", "uid-ns-web-rs");
    assert.equal(byOwner.length, 2);
    byOwner.length = 0;
    assert.equal((await reader.listControlledBy(pod, "ns", "uid-ns-web-rs")).length, 2);
    assert.deepEqual(await reader.listControlledBy(pod, "ns", "no-such-uid"), []);
  } else {
    assert.equal(kind, "direct", "only the direct reader has no owner index");
  }
  const all = await reader.listNamespaceScoped(pod, "ns", undefined);
  all.pop();
  assert.equal((await reader.listNamespaceScoped(pod, "ns", undefined)).length, 2);
  reader.close?.();
  await (reader as Partial<WatchClusterReader>).closed;
  assert.equal(cluster.openWatches, 0);
});
