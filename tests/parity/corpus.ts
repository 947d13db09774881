/**
 * A seeded, generated corpus of objects for the parity test: every kind with
 * rules, each field the rules read drawn from a pool of ordinary and odd
 * values (absent, null, strings for numbers, floats, negative numbers),
 * conditions in random order with malformed entries now and then. The Go
 * original is the oracle, so nothing here says what the status should be.
 *
 * @module
 */

import type { KubeObject } from "../../mod.ts";

/** A small, fast PRNG (mulberry32): the same seed gives the same corpus. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ABSENT = Symbol("absent");
type Pool = readonly unknown[];

const INTS: Pool = [ABSENT, 0, 1, 2, 3, 5, ABSENT, 1, 2, 3, -1, 1.5, "2", null, true];
const SMALL: Pool = [ABSENT, 0, 1, 2, 3, 1, 2, 3];
const GENERATIONS: Pool = [ABSENT, 1, 2, 1, 2, 3, ABSENT];
const ODD_GENERATIONS: Pool = [null, "2", 1.5, true];
const CONDITION_STATUS: Pool = ["True", "False", "Unknown", "True", "False", "Yes", ""];

/** Condition types (with reasons) each kind's rules look at, plus the standard ones. */
const CONDITIONS: Record<string, Array<[string, Pool]>> = {
  common: [
    ["Reconciling", ["", "Progressing", "Waiting"]],
    ["Stalled", ["", "Stuck", "OutOfQuota"]],
    ["Ready", ["", "NotReady", "Ok"]],
  ],
  Deployment: [
    ["Progressing", ["NewReplicaSetAvailable", "ReplicaSetUpdated", "ProgressDeadlineExceeded"]],
    ["Available", ["MinimumReplicasAvailable", "MinimumReplicasUnavailable"]],
    ["ReplicaFailure", ["FailedCreate"]],
  ],
  ReplicaSet: [["ReplicaFailure", ["FailedCreate", ""]]],
  Pod: [
    ["Ready", ["", "ContainersNotReady"]],
    ["PodScheduled", ["Unschedulable", "", "SchedulerError"]],
    ["ContainersReady", [""]],
  ],
  Job: [
    ["Complete", ["", "CompletionsReached"]],
    ["Failed", ["BackoffLimitExceeded", ""]],
    ["Suspended", ["JobSuspended"]],
  ],
  CustomResourceDefinition: [
    ["NamesAccepted", ["NoConflicts", "MultipleNamesConflict"]],
    ["Established", ["InitialNamesAccepted", "Installing", "NotAccepted"]],
  ],
};

/** The object kinds of the corpus, with the fields their rules read and value pools for them. */
const KINDS: Array<{ apiVersion: string; kind: string; fields: Array<[string, Pool]> }> = [
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    fields: [
      ["spec.replicas", INTS],
      ["spec.progressDeadlineSeconds", [ABSENT, 600, 2147483647, "600", ABSENT]],
      ["status.replicas", INTS],
      ["status.updatedReplicas", INTS],
      ["status.readyReplicas", INTS],
      ["status.availableReplicas", INTS],
    ],
  },
  {
    apiVersion: "extensions/v1beta1",
    kind: "Deployment",
    fields: [["spec.replicas", SMALL], ["status.replicas", SMALL], [
      "status.updatedReplicas",
      SMALL,
    ]],
  },
  {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    fields: [
      ["spec.replicas", INTS],
      ["spec.updateStrategy.type", [ABSENT, "RollingUpdate", "OnDelete", ABSENT]],
      ["spec.updateStrategy.rollingUpdate.partition", [ABSENT, 0, 1, 2, 5, "1", ABSENT, ABSENT]],
      ["status.replicas", INTS],
      ["status.readyReplicas", INTS],
      ["status.currentReplicas", INTS],
      ["status.updatedReplicas", INTS],
      ["status.currentRevision", [ABSENT, "r1", "r2", "r1"]],
      ["status.updateRevision", [ABSENT, "r1", "r2", "r1"]],
    ],
  },
  {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    fields: [
      ["status.desiredNumberScheduled", INTS],
      ["status.currentNumberScheduled", INTS],
      ["status.updatedNumberScheduled", INTS],
      ["status.numberAvailable", INTS],
      ["status.numberReady", INTS],
    ],
  },
  { apiVersion: "extensions/v1beta1", kind: "DaemonSet", fields: [["status.numberReady", SMALL]] },
  {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    fields: [
      ["spec.replicas", INTS],
      ["status.replicas", INTS],
      ["status.fullyLabeledReplicas", INTS],
      ["status.availableReplicas", INTS],
      ["status.readyReplicas", INTS],
    ],
  },
  {
    apiVersion: "v1",
    kind: "Pod",
    fields: [
      ["status.phase", ["Running", "Pending", "Succeeded", "Failed", ABSENT, "", "Unknown", 3]],
      ["metadata.creationTimestamp", [ABSENT, "2020-01-01T00:00:00Z", "2999-01-01T00:00:00Z"]],
    ],
  },
  {
    apiVersion: "batch/v1",
    kind: "Job",
    fields: [
      ["spec.parallelism", INTS],
      ["spec.completions", INTS],
      ["spec.suspend", [ABSENT, true, false, "true"]],
      ["status.succeeded", INTS],
      ["status.active", INTS],
      ["status.failed", INTS],
      ["status.startTime", [ABSENT, "2024-01-01T00:00:00Z", "", ABSENT]],
    ],
  },
  { apiVersion: "batch/v1", kind: "CronJob", fields: [["spec.schedule", ["* * * * *"]]] },
  {
    apiVersion: "v1",
    kind: "Service",
    fields: [
      ["spec.type", [ABSENT, "ClusterIP", "LoadBalancer", "NodePort", 5]],
      ["spec.clusterIP", [ABSENT, "", "10.0.0.1", "None"]],
    ],
  },
  {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    fields: [["status.phase", [ABSENT, "Bound", "Pending", "Lost", "", 1]]],
  },
  {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    fields: [["status.currentHealthy", INTS]],
  },
  { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", fields: [] },
  { apiVersion: "v1", kind: "ConfigMap", fields: [["data.key", ["v"]]] },
  { apiVersion: "v1", kind: "Secret", fields: [["type", ["Opaque"]]] },
  { apiVersion: "v1", kind: "Namespace", fields: [["status.phase", ["Active", "Terminating"]]] },
  { apiVersion: "example.com/v1", kind: "Widget", fields: [["spec.size", SMALL]] },
];

function pick<T>(rand: () => number, pool: readonly T[]): T {
  return pool[Math.floor(rand() * pool.length)];
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let at = obj;
  for (const key of keys.slice(0, -1)) {
    if (typeof at[key] !== "object" || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys.at(-1)!] = value;
}

/** A random condition list for `kind`, now and then malformed. */
function conditions(rand: () => number, kind: string): unknown {
  const r = rand();
  if (r < 0.02) return null;
  if (r < 0.03) return "Ready";
  if (r < 0.04) return { type: "Ready", status: "True" };
  const types = [...(CONDITIONS[kind] ?? []), ...CONDITIONS.common];
  const out: unknown[] = [];
  const n = Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    const [type, reasons] = pick(rand, types);
    const c: Record<string, unknown> = { type, status: pick(rand, CONDITION_STATUS) };
    const reason = pick(rand, reasons);
    if (reason !== "" || rand() < 0.5) c.reason = reason;
    if (rand() < 0.6) c.message = pick(rand, ["", "something is off", `${type} message`]);
    const odd = rand();
    if (odd < 0.02) c.status = 1;
    else if (odd < 0.03) c.message = 7;
    else if (odd < 0.04) delete c.type;
    out.push(c);
  }
  if (rand() < 0.02) out.push(rand() < 0.5 ? null : "Ready");
  return out;
}

/** Container statuses for a pod: running, waiting (CrashLoopBackOff and others), odd entries. */
function containerStatuses(rand: () => number): unknown {
  if (rand() < 0.03) return "none";
  const out: unknown[] = [];
  const n = Math.floor(rand() * 3);
  for (let i = 0; i < n; i++) {
    const state = pick(rand, [
      { running: {} },
      { waiting: { reason: "CrashLoopBackOff" } },
      { waiting: { reason: "ImagePullBackOff" } },
      { waiting: {} },
      { terminated: { exitCode: 1 } },
      {},
    ]);
    const entry: Record<string, unknown> = { state };
    if (rand() < 0.9) entry.name = `c${i}`;
    out.push(rand() < 0.03 ? null : entry);
  }
  return out;
}

/**
 * `count` objects from `seed`: the kinds in turn, each with random fields,
 * metadata (generation, observedGeneration, deletion) and conditions.
 */
export function generateCorpus(seed: number, count: number): KubeObject[] {
  const rand = prng(seed);
  const out: KubeObject[] = [];
  for (let i = 0; i < count; i++) {
    const spec = KINDS[i % KINDS.length];
    const obj: Record<string, unknown> = {
      apiVersion: spec.apiVersion,
      kind: spec.kind,
      metadata: { name: `o${i}`, namespace: "ns" },
    };
    for (const [path, pool] of spec.fields) {
      const value = pick(rand, pool);
      if (value !== ABSENT) setPath(obj, path, value);
    }
    const generation = rand() < 0.03 ? pick(rand, ODD_GENERATIONS) : pick(rand, GENERATIONS);
    if (generation !== ABSENT) setPath(obj, "metadata.generation", generation);
    const observed = rand() < 0.03 ? pick(rand, ODD_GENERATIONS) : pick(rand, GENERATIONS);
    if (observed !== ABSENT) setPath(obj, "status.observedGeneration", observed);
    const deletion = rand();
    if (deletion < 0.04) setPath(obj, "metadata.deletionTimestamp", "2024-01-01T00:00:00Z");
    else if (deletion < 0.05) setPath(obj, "metadata.deletionTimestamp", pick(rand, ["", 5, null]));
    if (rand() < 0.8) setPath(obj, "status.conditions", conditions(rand, spec.kind));
    if (spec.kind === "Pod" && rand() < 0.6) {
      setPath(obj, "status.containerStatuses", containerStatuses(rand));
    }
    const odd = rand();
    if (odd < 0.01) obj.status = null;
    else if (odd < 0.015) obj.status = "broken";
    out.push(obj as KubeObject);
  }
  return out;
}
