/**
 * The watch reader's cluster-wide mode: a kind needed in many namespaces is
 * listed and watched once for all of them (when the server allows it),
 * keeping only the wanted namespaces' objects; refused (403), it falls back
 * to one pair per namespace. Over the memory cluster and a scripted API.
 */

import assert from "node:assert/strict";
import {
  createMemoryCluster,
  createWatchClusterReader,
  type GroupKind,
  identifierKey,
  type KubeObject,
  type MemoryCluster,
  type ObjectIdentifier,
  type WatchClusterReader,
  type WatchReaderOptions,
} from "../../mod.ts";
import { ForbiddenError } from "../../lib/kube/errors.ts";
import { startInformer } from "../../lib/cluster/informer.ts";
import { DEPLOYMENTS, obj, scriptedApi } from "./scripted_api.ts";
import {
  deployment,
  eventually,
  id,
  requestsOf,
  startRun,
  update,
  withCluster,
} from "./helpers.ts";

const DEPLOY: GroupKind = { group: "apps", kind: "Deployment" };
const RS: GroupKind = { group: "apps", kind: "ReplicaSet" };
const POD: GroupKind = { group: "", kind: "Pod" };

function childKinds(gk: GroupKind): GroupKind[] {
  if (gk.kind === "Deployment") return [RS, POD];
  if (gk.kind === "ReplicaSet") return [POD];
  return [];
}

const nsName = (i: number) => `team-${i}`;

/** A Deployment `web` with one ReplicaSet and one Pod in `namespace`; the owner uid is shared. */
function app(namespace: string, version = "1"): KubeObject[] {
  return [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace, uid: `web-${namespace}`, labels: { v: version } },
    },
    {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: "web-1",
        namespace,
        // The same controller uid in every namespace: reads must still keep namespaces apart.
        ownerReferences: [{ kind: "Deployment", name: "web", uid: "same-uid", controller: true }],
      },
    },
    { apiVersion: "v1", kind: "Pod", metadata: { name: "web-1-a", namespace } },
  ];
}

const web = (namespace: string): ObjectIdentifier => ({ ...DEPLOY, namespace, name: "web" });

/** A memory cluster with the app in `n` wanted namespaces and in `others` not waited on. */
function cluster(n: number, others = 3): { cluster: MemoryCluster; ids: ObjectIdentifier[] } {
  const objects: KubeObject[] = [];
  for (let i = 0; i < n; i++) objects.push(...app(nsName(i)));
  for (let i = 0; i < others; i++) objects.push(...app(`elsewhere-${i}`));
  const ids = Array.from({ length: n }, (_, i) => web(nsName(i)));
  return { cluster: createMemoryCluster(objects), ids };
}

function reader(
  c: MemoryCluster,
  ids: ObjectIdentifier[],
  options: WatchReaderOptions = {},
): WatchClusterReader {
  return createWatchClusterReader(c.api, { identifiers: ids, mapper: c.mapper, childKinds }, {
    backoff: { initialMs: 5, maxMs: 20 },
    ...options,
  });
}

/** `verb kind namespace` of every LIST and WATCH, sorted and counted. */
function requests(c: MemoryCluster): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of c.calls) {
    if (call.verb === "get") continue;
    const key = `${call.verb} ${call.gk.kind} ${call.namespace === "" ? "*" : "ns"}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** `verbs` of the three kinds, each `n` times, in `scope` (`*`: cluster-wide, `ns`: one). */
function each(verbs: string[], scope: "*" | "ns", n: number): Record<string, number> {
  return Object.fromEntries(
    verbs.flatMap((v) => ["Deployment", "ReplicaSet", "Pod"].map((k) => [`${v} ${k} ${scope}`, n])),
  );
}

async function shut(r: WatchClusterReader, c: MemoryCluster) {
  r.close();
  await r.closed;
  assert.equal(c.openWatches, 0, "every watch closed");
}

/** Waits until every kind's watch is open (a change is seen only by an open watch). */
async function watching(c: MemoryCluster, n: number) {
  await eventually(() => c.openWatches >= n, 5_000);
}

const forbidden = (what: string) =>
  new ForbiddenError(`${what} is forbidden: cannot list at the cluster scope`, {
    code: 403,
    reason: "Forbidden",
  });

Deno.test("cluster-wide: 150 namespaces cost one LIST and one WATCH per kind", async () => {
  const { cluster: c, ids } = cluster(150);
  const r = reader(c, ids);
  try {
    await r.sync();
    await watching(c, 3);
    assert.deepEqual(requests(c), each(["list", "watch"], "*", 1));
    assert.deepEqual(r.clusterWide().sort(), ["Pod", "apps/Deployment", "apps/ReplicaSet"]);
    const s = r.stats();
    assert.equal(s.lists, 3);
    assert.equal(s.watches, 3);
  } finally {
    await shut(r, c);
  }
});

Deno.test("cluster-wide: reads per namespace, other namespaces neither read nor reported", async () => {
  const { cluster: c, ids } = cluster(12);
  const r = reader(c, ids);
  try {
    await r.sync();
    await watching(c, 3);
    const got = await r.get(web("team-7"));
    assert.equal((got.metadata as { namespace: string }).namespace, "team-7");
    await assert.rejects(r.get({ ...web("team-7"), name: "nope" }), { name: "NotFoundError" });
    // Waited on nowhere: not held, so not answered either.
    await assert.rejects(r.get(web("elsewhere-0")), /not found in cache/);
    const owned = await r.listControlledBy!(RS, "team-3", "same-uid");
    assert.deepEqual(owned.map((o) => (o.metadata as { namespace: string }).namespace), [
      "team-3",
    ]);
    const pods = await r.listNamespaceScoped(POD, "team-5", undefined);
    assert.deepEqual(pods.map((p) => (p.metadata as { name: string }).name), ["web-1-a"]);

    // A change elsewhere is dropped; one in a wanted namespace is reported by its identifier.
    c.put(app("elsewhere-1", "2")[0]);
    c.put(app("team-4", "2")[0]);
    assert.deepEqual((await r.nextChange()).map(identifierKey), [identifierKey(web("team-4"))]);
    const now = await r.get(web("team-4"));
    assert.equal((now.metadata as { labels: { v: string } }).labels.v, "2");
    c.remove(web("team-9"));
    assert.deepEqual((await r.nextChange()).map(identifierKey), [identifierKey(web("team-9"))]);
    await assert.rejects(r.get(web("team-9")), { name: "NotFoundError" });
  } finally {
    await shut(r, c);
  }
});

Deno.test("cluster-wide: below the threshold, or with 0, one pair per namespace", async () => {
  for (const [n, threshold] of [[9, undefined], [12, 0]] as const) {
    const { cluster: c, ids } = cluster(n);
    const r = reader(c, ids, { clusterWideThreshold: threshold });
    try {
      await r.sync();
      await watching(c, 3 * n);
      assert.deepEqual(requests(c), each(["list", "watch"], "ns", n));
      assert.equal(r.stats().lists, 3 * n);
      assert.deepEqual(r.clusterWide(), []);
    } finally {
      await shut(r, c);
    }
  }
});

Deno.test("cluster-wide: a refused cluster-wide LIST falls back to one pair per namespace", async () => {
  const { cluster: c, ids } = cluster(12);
  c.hook = (call) => {
    if (call.namespace === "") throw forbidden(call.gk.kind);
  };
  const r = reader(c, ids);
  try {
    await r.sync();
    await watching(c, 36);
    // One refused LIST per kind, then a LIST and a WATCH per kind and namespace.
    assert.deepEqual(requests(c), {
      ...each(["list"], "*", 1),
      ...each(["list", "watch"], "ns", 12),
    });
    assert.deepEqual(r.clusterWide(), []);
    const got = await r.get(web("team-11"));
    assert.equal((got.metadata as { namespace: string }).namespace, "team-11");
    c.put(app("team-2", "2")[0]);
    assert.deepEqual((await r.nextChange()).map(identifierKey), [identifierKey(web("team-2"))]);
  } finally {
    await shut(r, c);
  }
});

Deno.test("cluster-wide: a refused cluster-wide WATCH falls back too; the pairs then re-report", async () => {
  const { cluster: c, ids } = cluster(10);
  c.hook = (call) => {
    if (call.verb === "watch" && call.namespace === "" && call.gk.kind === "Deployment") {
      throw forbidden("deployments.apps");
    }
  };
  const r = reader(c, ids);
  try {
    await r.sync();
    // Listed cluster-wide, then refused the watch: the ten pairs list and watch, and the engine
    // is told to re-read what each concerns.
    const reported = new Set<string>();
    const signal = AbortSignal.timeout(5_000);
    while (reported.size < 10) {
      for (const id of await r.nextChange({ signal })) reported.add(identifierKey(id));
    }
    assert.deepEqual([...reported].sort(), ids.map(identifierKey).sort());
    await watching(c, 12);
    const counts = requests(c);
    assert.equal(counts["list Deployment *"], 1);
    assert.equal(counts["watch Deployment *"], 1);
    assert.equal(counts["list Deployment ns"], 10);
    assert.equal(counts["watch Deployment ns"], 10);
    assert.equal(counts["watch Pod *"], 1, "other kinds stay cluster-wide");
    assert.deepEqual(r.clusterWide().sort(), ["Pod", "apps/ReplicaSet"]);
    const got = await r.get(web("team-3"));
    assert.equal((got.metadata as { namespace: string }).namespace, "team-3");
  } finally {
    await shut(r, c);
  }
});

Deno.test("cluster-wide informer: other namespaces' objects are dropped from LIST and WATCH", async () => {
  const api = scriptedApi([DEPLOYMENTS]);
  api.listVersion = "5";
  // The scripted API ignores `keep`: the informer must drop them itself too.
  api.objects.set("deployments/", [
    obj("Deployment", "web", "1", { namespace: "a" }),
    obj("Deployment", "web", "2", { namespace: "b" }),
    obj("Deployment", "web", "3", { namespace: "other" }),
    obj("Deployment", "lost", "4", {}),
  ]);
  delete (api.objects.get("deployments/")![3].metadata as Record<string, unknown>).namespace;
  const lifetime = new AbortController();
  const changes: unknown[] = [];
  const informer = startInformer(api, DEPLOY, "", {
    signal: lifetime.signal,
    namespaces: new Set(["a", "b"]),
    onChange: (changed) => changes.push(changed),
  });
  try {
    await informer.firstSync;
    assert.deepEqual(api.calls.filter((call) => call.startsWith("list")), ["list deployments "]);
    assert.deepEqual(api.listKeeps, [true], "a keep filter is passed to the LIST");
    const names = (ns: string) =>
      informer.list(ns).map((o) => `${(o.metadata as { namespace?: string }).namespace}/web`);
    assert.deepEqual(names("a"), ["a/web"]);
    assert.deepEqual(names("b"), ["b/web"]);
    assert.deepEqual(informer.list("other"), []);
    assert.deepEqual(informer.list(""), [], "an object without namespace is not kept");
    assert.equal(
      (informer.get("web", "a")?.metadata as { resourceVersion?: string }).resourceVersion,
      "1",
    );

    const stream = await api.nthStream(1);
    assert.equal(stream.namespace, "");
    stream.push("MODIFIED", obj("Deployment", "web", "6", { namespace: "other" }));
    stream.push("ADDED", obj("Deployment", "new", "7", { namespace: "other" }));
    stream.push("MODIFIED", obj("Deployment", "web", "8", { namespace: "b" }));
    await eventually(() => changes.length > 0, 2_000);
    assert.deepEqual(changes, [[{ namespace: "b", name: "web" }]]);
    assert.deepEqual(informer.list("other"), []);
    // The resourceVersion moved on with every event, dropped ones included.
    assert.equal(informer.resourceVersion(), "8");
  } finally {
    lifetime.abort();
    await informer.done;
  }
});

Deno.test("cluster-wide: the engine over the HTTPS client follows 12 namespaces through 3 watches", async () => {
  await withCluster(async (api, client) => {
    const namespaces = Array.from({ length: 12 }, (_, i) => nsName(i));
    for (const ns of namespaces) api.put(deployment("web", 0, 2, ns));
    api.put(deployment("web", 0, 2, "elsewhere"));
    const run = startRun(client, namespaces.map((ns) => id("apps", "Deployment", "web", ns)));
    try {
      await run.waitFor(update("web", (r) => r.status === "InProgress"));
      await api.waitForWatches(3);
      const from = run.events.length;
      for (const ns of namespaces) api.put(deployment("web", 2, 2, ns));
      const current = new Set<string>();
      await run.waitFor(
        (e) => {
          if (e.type === "ResourceUpdate" && e.resource.status === "Current") {
            current.add(e.resource.identifier.namespace);
          }
          return current.size === namespaces.length;
        },
        5_000,
        from,
      );
      const sent = requestsOf(api, ["list", "watch"]);
      assert.equal(
        sent.length,
        6,
        sent.map((r) => `${r.verb} ${r.resource} ${r.namespace}`).join(),
      );
      assert.ok(sent.every((r) => r.namespace === ""), "every LIST and WATCH cluster-wide");
      assert.equal(run.syncs(), 1, "the changes came from the watches, not from ticks");
    } finally {
      await run.stop();
    }
  });
});
