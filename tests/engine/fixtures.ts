/**
 * Builders of Kubernetes objects and small helpers shared by the engine tests.
 * Objects are plain JSON as the API server would return them; each builder
 * makes a ready object unless told otherwise.
 *
 * @module
 */

import type {
  Event,
  KubeObject,
  MemoryCall,
  ObjectIdentifier,
  ResourceStatus,
  Status,
} from "../../mod.ts";

/** An ownerReference naming `owner` as the controller. */
export function controllerRef(owner: KubeObject): Record<string, unknown> {
  const meta = owner.metadata as { name: string; uid: string };
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: meta.name,
    uid: meta.uid,
    controller: true,
  };
}

interface Common {
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  owner?: KubeObject;
  generation?: number;
}

function metadata(name: string, o: Common): Record<string, unknown> {
  const meta: Record<string, unknown> = { name, namespace: o.namespace ?? "ns" };
  if (o.uid !== undefined) meta.uid = o.uid;
  if (o.labels) meta.labels = o.labels;
  if (o.owner) meta.ownerReferences = [controllerRef(o.owner)];
  if (o.generation !== undefined) meta.generation = o.generation;
  return meta;
}

/** A Deployment; `ready: false` makes it InProgress (`Replicas: 0/1`). */
export function deployment(
  name: string,
  o: Common & { selector?: unknown; ready?: boolean; replicas?: number } = {},
): KubeObject {
  const replicas = o.replicas ?? 1;
  const have = o.ready === false ? 0 : replicas;
  const spec: Record<string, unknown> = { replicas };
  if (o.selector !== null) spec.selector = o.selector ?? { matchLabels: { app: name } };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(name, { uid: `uid-${name}`, generation: 1, ...o }),
    spec,
    status: {
      observedGeneration: o.generation ?? 1,
      replicas: have,
      updatedReplicas: have,
      readyReplicas: have,
      availableReplicas: have,
      conditions: [
        { type: "Available", status: "True" },
        { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
      ],
    },
  };
}

/** A ReplicaSet; `ready: false` makes it InProgress (`Labelled: 0/1`). */
export function replicaSet(
  name: string,
  o: Common & { selector?: unknown; ready?: boolean; replicas?: number } = {},
): KubeObject {
  const replicas = o.replicas ?? 1;
  const have = o.ready === false ? 0 : replicas;
  const spec: Record<string, unknown> = { replicas };
  if (o.selector !== null) spec.selector = o.selector ?? { matchLabels: { app: name } };
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: metadata(name, { uid: `uid-${name}`, ...o }),
    spec,
    status: {
      replicas: have,
      fullyLabeledReplicas: have,
      availableReplicas: have,
      readyReplicas: have,
    },
  };
}

/** A StatefulSet; `ready: false` makes it InProgress (`Replicas: 0/1`). */
export function statefulSet(
  name: string,
  o: Common & { selector?: unknown; ready?: boolean } = {},
): KubeObject {
  const have = o.ready === false ? 0 : 1;
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: metadata(name, { uid: `uid-${name}`, ...o }),
    spec: { replicas: 1, selector: o.selector ?? { matchLabels: { app: name } } },
    status: {
      replicas: have,
      readyReplicas: have,
      currentReplicas: have,
      updatedReplicas: have,
      currentRevision: "r1",
      updateRevision: "r1",
    },
  };
}

/** A DaemonSet; `ready: false` makes it InProgress (`Current: 0/1`). */
export function daemonSet(
  name: string,
  o: Common & { selector?: unknown; ready?: boolean } = {},
): KubeObject {
  const have = o.ready === false ? 0 : 1;
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: metadata(name, { uid: `uid-${name}`, generation: 1, ...o }),
    spec: { selector: o.selector ?? { matchLabels: { app: name } } },
    status: {
      observedGeneration: 1,
      desiredNumberScheduled: 1,
      currentNumberScheduled: have,
      updatedNumberScheduled: have,
      numberAvailable: have,
      numberReady: have,
    },
  };
}

/** A Job; complete unless `ready: false` (then `Job not started`). */
export function job(name: string, o: Common & { ready?: boolean } = {}): KubeObject {
  const uid = o.uid ?? `uid-${name}`;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: metadata(name, { uid, ...o }),
    spec: { selector: { matchLabels: { "controller-uid": uid } } },
    status: o.ready === false
      ? {}
      : { succeeded: 1, conditions: [{ type: "Complete", status: "True" }] },
  };
}

/** A CronJob (its own status is always Current). */
export function cronJob(name: string, o: Common = {}): KubeObject {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: metadata(name, { uid: `uid-${name}`, ...o }),
    spec: { schedule: "* * * * *" },
  };
}

/** How a pod is doing: Current, InProgress (pending) or Failed (crash-looping). */
export type PodState = "ready" | "pending" | "crashing";

/** A Pod in the given state. */
export function pod(name: string, o: Common & { state?: PodState } = {}): KubeObject {
  const state = o.state ?? "ready";
  const status = state === "ready"
    ? { phase: "Running", conditions: [{ type: "Ready", status: "True" }] }
    : state === "pending"
    ? { phase: "Pending" }
    : {
      phase: "Running",
      conditions: [{ type: "Ready", status: "False" }],
      containerStatuses: [{ name: "app", state: { waiting: { reason: "CrashLoopBackOff" } } }],
    };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: metadata(name, { uid: `uid-${name}`, ...o }),
    status,
  };
}

/** A ConfigMap (always Current). */
export function configMap(name: string, o: Common & { data?: Record<string, string> } = {}) {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: metadata(name, o),
    data: o.data ?? {},
  };
}

/** A Deployment `name` with one ReplicaSet `name-rs` and `pods` pods, all owned and labelled. */
export function deploymentTree(
  name: string,
  o: { namespace?: string; pods?: number; podState?: PodState } = {},
): KubeObject[] {
  const namespace = o.namespace ?? "ns";
  const labels = { app: name };
  const d = deployment(name, { namespace, uid: `uid-${namespace}-${name}` });
  const rs = replicaSet(`${name}-rs`, {
    namespace,
    uid: `uid-${namespace}-${name}-rs`,
    labels,
    owner: d,
    selector: { matchLabels: labels },
    replicas: o.pods ?? 1,
  });
  const pods = Array.from({ length: o.pods ?? 1 }, (_, i) =>
    pod(`${name}-rs-${i}`, {
      namespace,
      uid: `uid-${namespace}-${name}-pod-${i}`,
      labels,
      owner: rs,
      state: o.podState,
    }));
  return [d, rs, ...pods];
}

/** The identifier of a namespaced object of the given kind. */
export function id(group: string, kind: string, name: string, namespace = "ns"): ObjectIdentifier {
  return { group, kind, namespace, name };
}

/** A status with no resource, for equality and collector tests. */
export function status(
  identifier: ObjectIdentifier,
  s: Status,
  extra: Partial<ResourceStatus> = {},
): ResourceStatus {
  return { identifier, status: s, message: "", generatedResources: [], ...extra };
}

/** `kind/name` of every status, children indented by their depth, for compact assertions. */
export function tree(r: ResourceStatus, depth = 0): string[] {
  const line = `${"  ".repeat(depth)}${r.identifier.kind}/${r.identifier.name} ${r.status}`;
  return [line, ...r.generatedResources.flatMap((c) => tree(c, depth + 1))];
}

/** The ResourceUpdate payloads of `events` (Sync events skipped), failing on an Error event. */
export function updates(events: readonly Event[]): ResourceStatus[] {
  return events.filter((e) => e.type !== "Sync").map((e) => {
    if (e.type !== "ResourceUpdate") throw new Error(`expected ResourceUpdate, got ${e.type}`);
    return e.resource;
  });
}

/** `verb kind namespace` of each call, for compact assertions on the memory cluster's log. */
export function callLines(calls: readonly MemoryCall[]): string[] {
  return calls.map((c) => `${c.verb} ${c.gk.kind} ${c.namespace}`);
}

/** Lets every pending promise chain and zero-delay timer run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
}

/**
 * Consumes an event stream in the background, recording every event, until
 * it ends. `done` resolves when the stream has ended.
 */
export function record(stream: AsyncIterable<Event>): { events: Event[]; done: Promise<void> } {
  const events: Event[] = [];
  const done = (async () => {
    for await (const e of stream) events.push(e);
  })();
  return { events, done };
}

/** A promise with its resolve function exposed. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/**
 * Waits for `promise` or the abort of `signal`, rejecting with the signal's
 * reason: how a hook delays a call the way a slow server would.
 */
export function untilAborted(signal: AbortSignal | undefined, promise?: Promise<void>) {
  return new Promise<void>((resolve, reject) => {
    if (!signal) throw new Error("call made without a signal");
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise?.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

/** An error shaped like the Kubernetes client's 403. */
export function forbidden(message: string): Error {
  return Object.assign(new Error(message), { name: "ForbiddenError", code: 403 });
}

/** An error shaped like the Kubernetes client's 404. */
export function notFound(message: string): Error {
  return Object.assign(new Error(message), { name: "NotFoundError", code: 404 });
}

/**
 * `Deno.test` with the ops and resources sanitizers switched on: Deno 2.9 leaves
 * them off unless asked, and these tests are about leaving no timer or request behind.
 */
export function test(name: string, fn: (t: Deno.TestContext) => void | Promise<void>): void {
  Deno.test({ name, fn, sanitizeOps: true, sanitizeResources: true, sanitizeExit: true });
}
