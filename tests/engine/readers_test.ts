// The status readers (spec §6: children, escalation, errors), each run against the three
// cluster readers: the same trees and statuses whether objects come from a GET and LISTs
// (direct), one LIST per kind and namespace (caching) or a LIST kept up to date by a WATCH
// (watch-backed).

import assert from "node:assert/strict";
import {
  ComputeError,
  createManualClock,
  createMemoryCluster,
  createStatusReader,
  defaultStatusReaders,
  genericStatusReader,
  identifierOf,
  type KubeObject,
  lookupStatusReader,
  type MemoryCluster,
  NoSelectorError,
  type ObjectIdentifier,
  type ResourceStatus,
  type StatusReaderContext,
  type StatusReaderRegistry,
  type WatchClusterReader,
} from "../../mod.ts";
import {
  controllerRef,
  cronJob,
  daemonSet,
  deployment,
  forbidden,
  id,
  job,
  notFound,
  pod,
  type PodState,
  replicaSet,
  statefulSet,
  tree,
} from "./fixtures.ts";
import { eachReader, readerFactory, type ReaderKind, rig } from "./rig.ts";
import { updatesPoller } from "../support/poller.ts";

const NOW = new Date("2025-01-01T00:00:00Z");

/**
 * Reads `target` through a new `kind` cluster reader (synced for `target` and the child kinds
 * of the registry) over `cluster`, or a memory cluster holding the objects given; closes the
 * reader and checks that its watches ended.
 */
async function read(
  kind: ReaderKind,
  cluster: MemoryCluster | KubeObject[],
  target: ObjectIdentifier,
  o: { signal?: AbortSignal; registry?: StatusReaderRegistry } = {},
): Promise<ResourceStatus> {
  const memory = Array.isArray(cluster) ? createMemoryCluster(cluster) : cluster;
  const registry = o.registry ?? defaultStatusReaders();
  const engine = updatesPoller({
    mapper: memory.mapper,
    clusterReaderFactory: () => memory.reader,
    statusReaders: registry,
  });
  // A clock that never moves: the watch reader does not retry while the read lasts.
  const reader = await readerFactory(kind, memory.api, createManualClock(NOW.getTime()))({
    identifiers: [target],
    mapper: memory.mapper,
    childKinds: (gk) => engine.childKinds(gk),
  });
  try {
    await reader.sync({ signal: o.signal });
    const ctx: StatusReaderContext = {
      cluster: reader,
      mapper: memory.mapper,
      registry,
      now: () => NOW,
      signal: o.signal,
    };
    return await lookupStatusReader(registry, target, genericStatusReader).readStatus(ctx, target);
  } finally {
    reader.close?.();
    await (reader as Partial<WatchClusterReader>).closed;
    assert.equal(memory.openWatches, 0, "a WATCH was left open");
  }
}

/** `obj` as the cluster holds it (with its resourceVersion). */
function stored(cluster: MemoryCluster, obj: KubeObject): Promise<KubeObject> {
  return cluster.reader.get(identifierOf(obj));
}

const web = id("apps", "Deployment", "web");

eachReader("readers: Deployment → ReplicaSets → Pods, nested and sorted", async (kind) => {
  const d = deployment("web");
  const labels = (hash: string) => ({ app: "web", hash });
  const rsB = replicaSet("web-b", {
    labels: labels("b"),
    owner: d,
    replicas: 2,
    selector: { matchLabels: labels("b") },
  });
  const rsA = replicaSet("web-a", {
    labels: labels("a"),
    owner: d,
    selector: { matchLabels: labels("a") },
  });
  const objects = [
    pod("web-b-2", { labels: labels("b"), owner: rsB }),
    rsB,
    pod("web-a-1", { labels: labels("a"), owner: rsA }),
    d,
    pod("web-b-1", { labels: labels("b"), owner: rsB }),
    rsA,
  ];
  const result = await read(kind, objects, web);
  assert.deepEqual(tree(result), [
    "Deployment/web Current",
    "  ReplicaSet/web-a Current",
    "    Pod/web-a-1 Current",
    "  ReplicaSet/web-b Current",
    "    Pod/web-b-1 Current",
    "    Pod/web-b-2 Current",
  ], kind);
  assert.equal(result.message, "Deployment is available. Replicas: 1");
  const rs = result.generatedResources[0];
  assert.deepEqual(rs.identifier, id("apps", "ReplicaSet", "web-a"));
  assert.equal(rs.message, "ReplicaSet is available. Replicas: 1");
  assert.equal((rs.resource?.metadata as { name: string }).name, "web-a");
  assert.equal(rs.generatedResources[0].message, "Pod is Ready");
});

/** ReplicaSets near Deployment `d` (selector app=web) that are not its children. */
function strangers(d: KubeObject): KubeObject[] {
  const notController = replicaSet("not-controller", { labels: { app: "web" } });
  (notController.metadata as Record<string, unknown>).ownerReferences = [
    { ...controllerRef(d), controller: false },
  ];
  return [
    replicaSet("other-owner", { labels: { app: "web" }, owner: deployment("other") }),
    replicaSet("orphan", { labels: { app: "web" } }),
    notController,
    replicaSet("owned-other-labels", { labels: { app: "api" }, owner: d }),
    replicaSet("owned-other-namespace", { namespace: "ns2", labels: { app: "web" }, owner: d }),
  ];
}

eachReader(
  "readers: children must match the selector and be controlled by the parent",
  async (kind) => {
    const d = deployment("web");
    const owned = replicaSet("owned", { labels: { app: "web" }, owner: d });
    const result = await read(kind, [d, owned, ...strangers(d)], web);
    assert.deepEqual(tree(result), ["Deployment/web Current", "  ReplicaSet/owned Current"], kind);
  },
);

eachReader("readers: a parent without uid matches by selector only", async (kind) => {
  const d = deployment("web", { uid: undefined });
  assert.equal((d.metadata as { uid?: string }).uid, undefined);
  const owned = replicaSet("owned", { labels: { app: "web" }, owner: deployment("web") });
  const result = await read(kind, [d, owned, ...strangers(deployment("web"))], web);
  assert.deepEqual(tree(result).slice(1).map((l) => l.trim()).sort(), [
    "ReplicaSet/not-controller Current",
    "ReplicaSet/orphan Current",
    "ReplicaSet/other-owner Current",
    "ReplicaSet/owned Current",
  ]);
});

eachReader("readers: an empty selector matches every owned child", async (kind) => {
  const d = deployment("web", { selector: {} });
  const objects = [
    d,
    replicaSet("labelled", { labels: { app: "anything" }, owner: d }),
    replicaSet("unlabelled", { owner: d }),
    replicaSet("stranger", { labels: { app: "web" }, owner: deployment("other") }),
  ];
  const result = await read(kind, objects, web);
  assert.deepEqual(tree(result), [
    "Deployment/web Current",
    "  ReplicaSet/labelled Current",
    "  ReplicaSet/unlabelled Current",
  ], kind);
});

eachReader(
  "readers: a missing selector is Unknown with the resource and no children",
  async (kind) => {
    const d = deployment("web", { selector: null });
    const cluster = createMemoryCluster([
      d,
      replicaSet("web-rs", { labels: { app: "web" }, owner: d }),
    ]);
    const result = await read(kind, cluster, web);
    assert.equal(result.status, "Unknown");
    assert.equal(result.message, "");
    assert.equal(result.error?.message, "no selector found");
    assert.ok(result.error instanceof NoSelectorError);
    assert.deepEqual(result.resource, await stored(cluster, d));
    assert.deepEqual(result.generatedResources, []);
  },
);

eachReader("readers: matchExpressions In, NotIn, Exists, DoesNotExist", async (kind) => {
  const d = deployment("web", {
    selector: {
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["front", "api"] },
        { key: "env", operator: "NotIn", values: ["test"] },
        { key: "track", operator: "Exists" },
        { key: "legacy", operator: "DoesNotExist" },
      ],
    },
  });
  const candidates: Record<string, Record<string, string>> = {
    "in-1": { app: "web", tier: "front", track: "stable" },
    "in-2": { app: "web", tier: "api", env: "prod", track: "" },
    "out-tier": { app: "web", tier: "back", track: "stable" },
    "out-no-tier": { app: "web", track: "stable" },
    "out-env": { app: "web", tier: "front", env: "test", track: "stable" },
    "out-no-track": { app: "web", tier: "front" },
    "out-legacy": { app: "web", tier: "front", track: "stable", legacy: "yes" },
    "out-app": { app: "api", tier: "front", track: "stable" },
  };
  const objects = [
    d,
    ...Object.entries(candidates).map(([name, labels]) => replicaSet(name, { labels, owner: d })),
  ];
  const result = await read(kind, objects, web);
  assert.deepEqual(
    result.generatedResources.map((r) => r.identifier.name),
    ["in-1", "in-2"],
    kind,
  );
});

/** A workload `parent` with pods in the given states, all labelled and owned. */
function withPods(parent: KubeObject, states: PodState[]): KubeObject[] {
  const name = (parent.metadata as { name: string }).name;
  const labels = { app: name };
  return [
    parent,
    ...states.map((state, i) => pod(`${name}-${i}`, { labels, owner: parent, state })),
  ];
}

eachReader(
  "readers: ReplicaSet and StatefulSet escalate failed pods only when InProgress",
  async (kind) => {
    const cases: Array<[string, KubeObject, PodState[], string]> = [
      ["RS in progress, one crashing", replicaSet("rs", { ready: false, labels: { app: "rs" } }), [
        "crashing",
        "ready",
      ], "Failed 1 pods have failed"],
      ["RS in progress, two crashing", replicaSet("rs", { ready: false }), [
        "crashing",
        "crashing",
        "pending",
      ], "Failed 2 pods have failed"],
      ["RS in progress, pending pods", replicaSet("rs", { ready: false }), [
        "pending",
      ], "InProgress Labelled: 0/1"],
      ["RS current, crashing pod", replicaSet("rs"), [
        "crashing",
      ], "Current ReplicaSet is available. Replicas: 1"],
      ["StatefulSet in progress, crashing", statefulSet("sts", { ready: false }), [
        "crashing",
      ], "Failed 1 pods have failed"],
      ["StatefulSet current, crashing", statefulSet("sts"), [
        "crashing",
      ], "Current All replicas scheduled as expected. Replicas: 1"],
      ["DaemonSet in progress, crashing", daemonSet("ds", { ready: false }), [
        "crashing",
      ], "InProgress Current: 0/1"],
      ["Job not started, crashing", job("jb", { ready: false }), [
        "crashing",
      ], "InProgress Job not started"],
    ];
    for (const [label, parent, states, expected] of cases) {
      const objects = withPods(parent, states);
      if (parent.kind === "Job") {
        for (const p of objects.slice(1)) {
          (p.metadata as { labels: Record<string, string> }).labels = {
            "controller-uid": "uid-jb",
          };
        }
      }
      const result = await read(kind, objects, identifierOf(parent));
      assert.equal(`${result.status} ${result.message}`, expected, label);
      assert.equal(result.generatedResources.length, states.length, `${label}: pods shown`);
      const failedPods = result.generatedResources.filter((p) => p.status === "Failed").length;
      assert.equal(failedPods, states.filter((s) => s === "crashing").length, label);
    }
  },
);

eachReader("readers: a Deployment never takes a failed child's status", async (kind) => {
  const d = deployment("web", { ready: false });
  const rs = replicaSet("web-rs", {
    ready: false,
    labels: { app: "web" },
    owner: d,
    selector: { matchLabels: { app: "web" } },
  });
  const objects = [
    d,
    rs,
    pod("web-rs-0", { labels: { app: "web" }, owner: rs, state: "crashing" }),
  ];
  const result = await read(kind, objects, web);
  assert.deepEqual(tree(result), [
    "Deployment/web InProgress",
    "  ReplicaSet/web-rs Failed",
    "    Pod/web-rs-0 Failed",
  ]);
  assert.equal(result.message, "Replicas: 0/1");
  assert.equal(result.generatedResources[0].message, "1 pods have failed");
});

eachReader("readers: DaemonSet and Job show their own pods", async (kind) => {
  const ds = daemonSet("ds");
  const other = daemonSet("ds-other");
  const j = job("jb");
  const jobLabels = { "controller-uid": "uid-jb" };
  const objects = [
    ds,
    other,
    j,
    pod("ds-b", { labels: { app: "ds" }, owner: ds }),
    pod("ds-a", { labels: { app: "ds" }, owner: ds, state: "pending" }),
    pod("ds-stray", { labels: { app: "ds" }, owner: other }),
    pod("jb-x", { labels: jobLabels, owner: j, state: "crashing" }),
    pod("jb-stray", { labels: jobLabels }),
  ];
  assert.deepEqual(tree(await read(kind, objects, id("apps", "DaemonSet", "ds"))), [
    "DaemonSet/ds Current",
    "  Pod/ds-a InProgress",
    "  Pod/ds-b Current",
  ]);
  assert.deepEqual(tree(await read(kind, objects, id("batch", "Job", "jb"))), [
    "Job/jb Current",
    "  Pod/jb-x Failed",
  ]);
});

eachReader("readers: a CronJob shows the Jobs it controls, each with its pods", async (kind) => {
  const cj = cronJob("nightly");
  const j1 = job("nightly-1", { owner: cj });
  const j2 = job("nightly-2", { owner: cj, ready: false });
  const objects = [
    cj,
    j2,
    j1,
    job("weekly-1", { owner: cronJob("weekly") }),
    job("manual"),
    pod("nightly-2-p", { labels: { "controller-uid": "uid-nightly-2" }, owner: j2 }),
  ];
  assert.deepEqual(tree(await read(kind, objects, id("batch", "CronJob", "nightly"))), [
    "CronJob/nightly Current",
    "  Job/nightly-1 Current",
    "  Job/nightly-2 InProgress",
    "    Pod/nightly-2-p Current",
  ], kind);
  // Without a uid there is no owner to match and no selector: no children.
  const bare = cronJob("nightly", { uid: undefined });
  assert.deepEqual(tree(await read(kind, [bare, j1], id("batch", "CronJob", "nightly"))), [
    "CronJob/nightly Current",
  ]);
});

eachReader("readers: NotFound is `Resource not found`, nothing attached", async (kind) => {
  const result = await read(kind, [], web);
  assert.deepEqual(result, {
    identifier: web,
    status: "NotFound",
    message: "Resource not found",
    generatedResources: [],
  });
});

eachReader("readers: a refused read is Unknown with the error and no resource", async (kind) => {
  const cluster = createMemoryCluster([deployment("web")]);
  const refusal = forbidden('deployments.apps "web" is forbidden: User "x" cannot get');
  cluster.hook = () => {
    throw refusal;
  };
  const result = await read(kind, cluster, web);
  assert.deepEqual(result, {
    identifier: web,
    status: "Unknown",
    message: "",
    error: refusal,
    generatedResources: [],
  });
});

eachReader(
  "readers: a compute error is Unknown with the resource and the children",
  async (kind) => {
    const d = deployment("web");
    (d.metadata as Record<string, unknown>).generation = "two";
    const rs = replicaSet("web-rs", { labels: { app: "web" }, owner: d });
    const cluster = createMemoryCluster([d, rs]);
    const result = await read(kind, cluster, web);
    assert.equal(result.status, "Unknown");
    assert.equal(result.message, "");
    assert.ok(result.error instanceof ComputeError);
    assert.match(result.error.message, /metadata\.generation/);
    assert.deepEqual(result.resource, await stored(cluster, d));
    assert.deepEqual(tree(result), ["Deployment/web Unknown", "  ReplicaSet/web-rs Current"]);
  },
);

eachReader("readers: a child that cannot be computed is Unknown under its parent", async (kind) => {
  const rs = replicaSet("rs", { ready: false });
  const lost = pod("rs-0", { labels: { app: "rs" }, owner: rs });
  lost.status = { phase: "Lost" };
  const cluster = createMemoryCluster([rs, lost]);
  const result = await read(kind, cluster, id("apps", "ReplicaSet", "rs"));
  assert.equal(`${result.status} ${result.message}`, "InProgress Labelled: 0/1");
  const [child] = result.generatedResources;
  assert.equal(child.status, "Unknown");
  assert.equal(child.error?.message, "unknown phase Lost");
  assert.deepEqual(child.resource, await stored(cluster, lost));
});

// Only the children's kind is refused: the Deployment itself is read, whatever the reader.
const listingReplicaSets = (call: { verb: string; gk: { kind: string } }) =>
  call.verb === "list" && call.gk.kind === "ReplicaSet";

eachReader("readers: errors listing children", async (kind) => {
  const d = deployment("web");
  {
    // NotFound → NotFound
    const cluster = createMemoryCluster([d]);
    cluster.hook = (call) => {
      if (listingReplicaSets(call)) {
        throw notFound("the server could not find the requested resource");
      }
    };
    const result = await read(kind, cluster, web);
    assert.deepEqual(result, {
      identifier: web,
      status: "NotFound",
      message: "Resource not found",
      generatedResources: [],
    });
  }
  {
    // Forbidden → Unknown with the resource, no children
    const cluster = createMemoryCluster([d]);
    const refusal = forbidden("replicasets.apps is forbidden");
    cluster.hook = (call) => {
      if (listingReplicaSets(call)) throw refusal;
    };
    const result = await read(kind, cluster, web);
    assert.equal(result.status, "Unknown");
    assert.equal(result.error, refusal);
    assert.deepEqual(result.resource, await stored(cluster, d));
    assert.deepEqual(result.generatedResources, []);
  }
});

eachReader("readers: a kind the cluster does not serve is Unknown, not NotFound", async (kind) => {
  const widget = id("example.com", "Widget", "w");
  const result = await read(kind, [], widget);
  assert.equal(result.status, "Unknown", kind);
  assert.equal(result.error?.message, 'no matches for kind "Widget" in group "example.com"');
  assert.equal(result.resource, undefined);
});

eachReader("readers: cancellation is thrown, not turned into a status", async (kind) => {
  const ctl = new AbortController();
  const cluster = createMemoryCluster([deployment("web")]);
  cluster.hook = () => {
    ctl.abort();
    throw new DOMException("aborted", "AbortError");
  };
  await assert.rejects(read(kind, cluster, web, { signal: ctl.signal }));
  await assert.rejects(read(kind, [deployment("web")], web, { signal: AbortSignal.abort() }));
});

eachReader("readers: a custom reader in the registry finds its own children", async (kind) => {
  const widget = {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", namespace: "ns", uid: "uid-w" },
    spec: { selector: { matchLabels: { widget: "w" } } },
  };
  const registry = defaultStatusReaders();
  registry.set(
    "example.com/Widget",
    createStatusReader({
      groupKinds: [{ group: "example.com", kind: "Widget" }],
      compute: () => ({ status: "InProgress", message: "spinning", conditions: [] }),
      children: { kind: { group: "", kind: "Pod" }, selectorPath: ["spec", "selector"] },
      escalateFailedPods: true,
    }),
  );
  const r = rig(kind, [
    widget,
    pod("w-0", { labels: { widget: "w" }, owner: widget, state: "crashing" }),
  ], { registry });
  r.cluster.addKind({
    group: "example.com",
    version: "v1",
    kind: "Widget",
    resource: "widgets",
    namespaced: true,
  });
  const { engine } = r;
  assert.deepEqual(engine.childKinds({ group: "example.com", kind: "Widget" }), [
    { group: "", kind: "Pod" },
  ]);
  assert.deepEqual(engine.childKinds({ group: "batch", kind: "CronJob" }), [
    { group: "batch", kind: "Job" },
    { group: "", kind: "Pod" },
  ]);
  const gen = engine.poll([id("example.com", "Widget", "w")]);
  const first = await gen.next();
  await gen.return();
  assert.ok(!first.done && first.value.type === "ResourceUpdate");
  assert.equal(first.value.resource.message, "1 pods have failed");
  assert.deepEqual(tree(first.value.resource), ["Widget/w Failed", "  Pod/w-0 Failed"]);
  await r.released();
});

eachReader(
  "readers: a kind removed from the registry falls back to the generic reader",
  async (kind) => {
    const ds = daemonSet("ds");
    const objects = [ds, pod("ds-0", { labels: { app: "ds" }, owner: ds })];
    const registry = defaultStatusReaders();
    registry.delete("apps/DaemonSet");
    const target = id("apps", "DaemonSet", "ds");
    assert.equal(lookupStatusReader(registry, target, genericStatusReader), genericStatusReader);
    const result = await read(kind, objects, target, { registry });
    assert.deepEqual(tree(result), ["DaemonSet/ds Current"]);
    assert.equal(result.message, "All replicas scheduled as expected. Replicas: 1");
  },
);
