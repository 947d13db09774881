/**
 * A seeded, generated corpus of objects for the parity test: every kind with
 * rules (and the same kinds under other groups, where no rule applies), each
 * field the rules read drawn from a pool of ordinary and odd values (absent,
 * null, strings for numbers, floats, numbers Go decodes as floats, negative
 * numbers), conditions in random order with malformed entries now and then,
 * odd identities (`apiVersion`, `kind`), odd metadata and timestamps. The Go
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

type Rand = () => number;
const ABSENT = Symbol("absent");
type Pool = readonly unknown[];

/**
 * Numbers a JSON decoder may see in an integer field and that Go does not read as an integer:
 * `1e+21` (how JSON.stringify writes 1e21) and `1e-7` decode as float64, as does any number
 * with a fraction; 2^31, 2^53, 2^62 and the largest doubles below 2^63 are whole and fit int64
 * (their differences can overflow Go's int).
 */
const ODD_INTS: Pool = [
  1e21,
  -1e21,
  1e-7,
  2.5,
  -0.5,
  9007199254740992,
  2147483648,
  4611686018427387904,
  -4611686018427387904,
  9223372036854774784,
  -9223372036854774784,
  "3",
  "",
  null,
  true,
  {},
  [],
];
const INTS: Pool = [ABSENT, 0, 1, 2, 3, 5, ABSENT, 1, 2, 3, -1, 1.5, "2", null, true];
const SMALL: Pool = [ABSENT, 0, 1, 2, 3, 1, 2, 3];
const GENERATIONS: Pool = [ABSENT, 1, 2, 1, 2, 3, ABSENT];
const ODD_GENERATIONS: Pool = [null, "2", 1.5, true, 1e21, 9007199254740992, -1, 0, {}, []];
const CONDITION_STATUS: Pool = ["True", "False", "Unknown", "True", "False", "Yes", "", "true"];

/** Condition types (with reasons) each kind's rules look at, plus the standard ones. */
const CONDITIONS: Record<string, Array<[string, Pool]>> = {
  common: [
    ["Reconciling", ["", "Progressing", "Waiting"]],
    ["Stalled", ["", "Stuck", "OutOfQuota"]],
    ["Ready", ["", "NotReady", "Ok"]],
    ["ready", [""]],
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

interface KindSpec {
  apiVersion: string;
  kind: string;
  fields: Array<[string, Pool]>;
  /** Kind-specific shaping after the random fields (the Pod scheduling window). */
  extra?: (rand: Rand, obj: Record<string, unknown>, now: Date) => void;
}

/** The object kinds of the corpus, with the fields their rules read and value pools for them. */
const KINDS: KindSpec[] = [
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    fields: [
      ["spec.replicas", INTS],
      ["spec.progressDeadlineSeconds", [ABSENT, 600, 2147483647, "600", ABSENT, 2147483647.5]],
      ["status.replicas", INTS],
      ["status.updatedReplicas", INTS],
      ["status.readyReplicas", INTS],
      ["status.availableReplicas", INTS],
    ],
  },
  {
    apiVersion: "extensions/v1beta1",
    kind: "Deployment",
    fields: [
      ["spec.replicas", SMALL],
      ["status.replicas", SMALL],
      ["status.updatedReplicas", SMALL],
      ["status.availableReplicas", SMALL],
      ["status.readyReplicas", SMALL],
    ],
  },
  {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    fields: [
      ["spec.replicas", INTS],
      ["spec.updateStrategy.type", [ABSENT, "RollingUpdate", "OnDelete", ABSENT, "ondelete"]],
      ["spec.updateStrategy.rollingUpdate.partition", [ABSENT, 0, 1, 2, 5, "1", ABSENT, -1, 1.5]],
      ["status.replicas", INTS],
      ["status.readyReplicas", INTS],
      ["status.currentReplicas", INTS],
      ["status.updatedReplicas", INTS],
      ["status.currentRevision", [ABSENT, "r1", "r2", "r1", 1, null]],
      ["status.updateRevision", [ABSENT, "r1", "r2", "r1", ""]],
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
  {
    apiVersion: "extensions/v1beta1",
    kind: "DaemonSet",
    fields: [
      ["status.desiredNumberScheduled", SMALL],
      ["status.currentNumberScheduled", SMALL],
      ["status.updatedNumberScheduled", SMALL],
      ["status.numberAvailable", SMALL],
      ["status.numberReady", SMALL],
    ],
  },
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
    apiVersion: "extensions/v1beta1",
    kind: "ReplicaSet",
    fields: [
      ["spec.replicas", SMALL],
      ["status.replicas", SMALL],
      ["status.fullyLabeledReplicas", SMALL],
      ["status.availableReplicas", SMALL],
      ["status.readyReplicas", SMALL],
    ],
  },
  {
    apiVersion: "v1",
    kind: "Pod",
    fields: [
      ["status.phase", ["Running", "Pending", "Succeeded", "Failed", ABSENT, "", "Unknown", 3]],
      ["metadata.creationTimestamp", [ABSENT, "2020-01-01T00:00:00Z", "2999-01-01T00:00:00Z"]],
    ],
    extra: podExtra,
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
      ["status.startTime", [ABSENT, "2024-01-01T00:00:00Z", "", ABSENT, 5]],
    ],
  },
  { apiVersion: "batch/v1", kind: "CronJob", fields: [["spec.schedule", ["* * * * *"]]] },
  { apiVersion: "batch/v1beta1", kind: "CronJob", fields: [["spec.suspend", [true, false]]] },
  {
    apiVersion: "v1",
    kind: "Service",
    fields: [
      ["spec.type", [ABSENT, "ClusterIP", "LoadBalancer", "NodePort", 5, "LoadBalancer", null]],
      ["spec.clusterIP", [ABSENT, "", "10.0.0.1", "None", null, 5]],
    ],
  },
  {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    fields: [["status.phase", [ABSENT, "Bound", "Pending", "Lost", "", 1, "bound"]]],
  },
  {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    fields: [["status.currentHealthy", INTS], ["status.desiredHealthy", INTS]],
  },
  {
    apiVersion: "policy/v1beta1",
    kind: "PodDisruptionBudget",
    fields: [["status.disruptionsAllowed", SMALL]],
  },
  { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", fields: [] },
  { apiVersion: "apiextensions.k8s.io/v1beta1", kind: "CustomResourceDefinition", fields: [] },
  { apiVersion: "v1", kind: "ConfigMap", fields: [["data.key", ["v"]]] },
  { apiVersion: "v1", kind: "Secret", fields: [["type", ["Opaque"]]] },
  { apiVersion: "v1", kind: "Namespace", fields: [["status.phase", ["Active", "Terminating"]]] },
  { apiVersion: "example.com/v1", kind: "Widget", fields: [["spec.size", SMALL]] },
  { apiVersion: "example.com/v1alpha1", kind: "Database", fields: [["status.phase", ["Ready"]]] },
];

/**
 * Other `apiVersion`s an object of a kind above may carry: a group with no rule for the kind
 * (`example.com/v1` Pod, `v1` StatefulSet), another version of a group with rules, and values
 * the API machinery cannot parse (two slashes, not a string), where the original finds no rule.
 */
const OTHER_API_VERSIONS: Pool = [
  "example.com/v1",
  "apps/v1",
  "apps/v1beta2",
  "extensions/v1beta1",
  "batch/v1",
  "policy/v1",
  "apiextensions.k8s.io/v1",
  "v1",
  "core/v1",
  "",
  "/v1",
  "apps/",
  "apps/v1/extra",
  "a/b/c",
  5,
  null,
  ABSENT,
];
/** Other `kind`s: absent, empty, not a string, wrong case, surrounding space. */
const OTHER_KINDS: Pool = ["", ABSENT, 7, null, "pod", "deployment", "Deployment ", "Job"];
/** Replacements for the whole `metadata`. */
const ODD_METADATA: Pool = [null, "x", [], 5, {}, { generation: null }, {
  deletionTimestamp: null,
}];
/** Replacements for the whole `spec`. */
const ODD_SPEC: Pool = [null, "x", [], 5, {}];

function pick<T>(rand: Rand, pool: readonly T[]): T {
  return pool[Math.floor(rand() * pool.length)];
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let at = obj;
  for (const key of keys.slice(0, -1)) {
    if (typeof at[key] !== "object" || at[key] === null || Array.isArray(at[key])) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys.at(-1)!] = value;
}

/** An integer-field value: usually from `pool`, now and then one Go does not read as an int. */
function intValue(rand: Rand, pool: Pool): unknown {
  return pool === INTS && rand() < 0.05 ? pick(rand, ODD_INTS) : pick(rand, pool);
}

/** A random condition, now and then malformed. */
function condition(rand: Rand, types: Array<[string, Pool]>): unknown {
  const [type, reasons] = pick(rand, types);
  const c: Record<string, unknown> = { type, status: pick(rand, CONDITION_STATUS) };
  const reason = pick(rand, reasons);
  if (reason !== "" || rand() < 0.5) c.reason = reason;
  if (rand() < 0.6) c.message = pick(rand, ["", "something is off", `${type} message`]);
  if (rand() < 0.2) c.lastTransitionTime = "2020-01-01T00:00:00Z";
  if (rand() < 0.05) c.observedGeneration = pick(rand, [1, "1", null]);
  const odd = rand();
  if (odd < 0.015) c.status = pick(rand, [1, true, null, 1.5]);
  else if (odd < 0.025) c.message = pick(rand, [7, null, ["m"]]);
  else if (odd < 0.035) c.reason = pick(rand, [7, null, { r: 1 }]);
  else if (odd < 0.045) delete c.type;
  else if (odd < 0.05) c.type = pick(rand, [null, 3]);
  else if (odd < 0.055) delete c.status;
  return c;
}

/** A random condition list for `kind`, now and then malformed. */
function conditions(rand: Rand, kind: string): unknown {
  const r = rand();
  if (r < 0.02) return null;
  if (r < 0.03) return pick(rand, ["Ready", "", 0, true]);
  if (r < 0.04) return { type: "Ready", status: "True" };
  if (r < 0.045) return {};
  const types = [...(CONDITIONS[kind] ?? []), ...CONDITIONS.common];
  const out: unknown[] = [];
  const n = Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) out.push(condition(rand, types));
  if (rand() < 0.02) out.push(pick(rand, [null, "Ready", 5, []]));
  return out;
}

/** Container statuses for a pod: running, waiting (CrashLoopBackOff and others), odd entries. */
function containerStatuses(rand: Rand): unknown {
  if (rand() < 0.03) return pick(rand, ["none", null, {}, 5]);
  const out: unknown[] = [];
  const n = Math.floor(rand() * 3);
  for (let i = 0; i < n; i++) {
    const state = pick(rand, [
      { running: {} },
      { waiting: { reason: "CrashLoopBackOff" } },
      { waiting: { reason: "CrashLoopBackOff" } },
      { waiting: { reason: "ImagePullBackOff" } },
      { waiting: {} },
      { terminated: { exitCode: 1 } },
      {},
    ]);
    const entry: Record<string, unknown> = { state };
    if (rand() < 0.9) entry.name = pick(rand, [`c${i}`, `c${i}`, `c${i}`, ""]);
    // The original type-asserts every step (and panics on a wrong type): counted apart.
    const odd = rand();
    if (odd < 0.01) entry.name = 5;
    else if (odd < 0.02) entry.state = pick(rand, [null, "waiting"]);
    else if (odd < 0.03) entry.state = { waiting: pick(rand, [null, { reason: 5 }]) };
    out.push(rand() < 0.02 ? null : entry);
  }
  return out;
}

/** RFC3339 with a numeric offset: the same instant as `d`, written `offsetMinutes` east of UTC. */
function withOffset(d: Date, offsetMinutes: number): string {
  const local = new Date(d.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${local}${sign}${hh}:${mm}`;
}

/**
 * Creation timestamps for the pod scheduling window (15 s): well inside and well outside it
 * (never near the edge, so the two sides' clocks cannot disagree), in the future, with offsets
 * and fractions, and written in ways RFC3339 does not allow but a lenient date parser accepts.
 */
function creationTimestamps(now: Date): Pool {
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
  const z = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
  const recent = at(-5);
  const old = at(-120);
  return [
    ABSENT,
    z(recent),
    z(old),
    recent.toISOString(),
    withOffset(recent, 120),
    withOffset(old, -330),
    z(at(3600)),
    "2999-01-01T00:00:00Z",
    "2999-01-01",
    "2999-01-01T00:00:00",
    "2999-01-01T00:00Z",
    "2999-01-01 00:00:00Z",
    "2999-01-01t00:00:00z",
    "2999-02-30T00:00:00Z",
    "2999-01-01T00:00:00.123456789Z",
    "+002999-01-01T00:00:00Z",
    "Tue, 01 Jan 2999 00:00:00 GMT",
    "2999",
    "2020-01-01T00:00:00Z",
    "",
    "null",
    "garbage",
    null,
    5,
  ];
}

/** For pods: often Pending and Unschedulable, to reach the scheduling window. */
function podExtra(rand: Rand, obj: Record<string, unknown>, now: Date): void {
  if (rand() < 0.6 && obj.status !== null && typeof obj.status !== "string") {
    setPath(obj, "status.containerStatuses", containerStatuses(rand));
  }
  if (rand() < 0.6 && rand() < 0.5) {
    setPath(obj, "status.initContainerStatuses", [{
      name: "init",
      state: { waiting: { reason: "CrashLoopBackOff" } },
    }]);
  }
  if (rand() >= 0.35) return;
  setPath(obj, "status.phase", "Pending");
  const ts = pick(rand, creationTimestamps(now));
  if (ts === ABSENT) delete (obj.metadata as Record<string, unknown>).creationTimestamp;
  else setPath(obj, "metadata.creationTimestamp", ts);
  const list: unknown[] = [];
  if (rand() < 0.3) list.push({ type: "PodScheduled", status: "True" });
  list.push({
    type: "PodScheduled",
    status: pick(rand, ["False", "False", "Unknown"]),
    reason: pick(rand, ["Unschedulable", "Unschedulable", "SchedulerError"]),
    message: "0/3 nodes are available",
  });
  setPath(obj, "status.conditions", list);
}

/**
 * `count` objects from `seed`: the kinds in turn, each with random fields, identity, metadata
 * (generation, observedGeneration, deletion) and conditions. `now` places the timestamps the
 * pod scheduling window compares with the clock; the rest of the corpus does not depend on it.
 */
export function generateCorpus(seed: number, count: number, now = new Date(0)): KubeObject[] {
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
      const value = intValue(rand, pool);
      if (value !== ABSENT) setPath(obj, path, value);
    }
    const generation = rand() < 0.04 ? pick(rand, ODD_GENERATIONS) : pick(rand, GENERATIONS);
    if (generation !== ABSENT) setPath(obj, "metadata.generation", generation);
    const observed = rand() < 0.04 ? pick(rand, ODD_GENERATIONS) : pick(rand, GENERATIONS);
    if (observed !== ABSENT) setPath(obj, "status.observedGeneration", observed);
    const deletion = rand();
    if (deletion < 0.04) setPath(obj, "metadata.deletionTimestamp", "2024-01-01T00:00:00Z");
    else if (deletion < 0.05) {
      setPath(obj, "metadata.deletionTimestamp", pick(rand, ["", 5, null, {}]));
    }
    if (rand() < 0.8) setPath(obj, "status.conditions", conditions(rand, spec.kind));
    spec.extra?.(rand, obj, now);

    // Identity and shape: another group or version, an unparsable apiVersion, an odd kind,
    // odd metadata, spec or status.
    if (rand() < 0.08) {
      const apiVersion = pick(rand, OTHER_API_VERSIONS);
      if (apiVersion === ABSENT) delete obj.apiVersion;
      else obj.apiVersion = apiVersion;
    }
    if (rand() < 0.02) {
      const kind = pick(rand, OTHER_KINDS);
      if (kind === ABSENT) delete obj.kind;
      else obj.kind = kind;
    }
    if (rand() < 0.015) obj.metadata = structuredClone(pick(rand, ODD_METADATA));
    if (rand() < 0.015) obj.spec = structuredClone(pick(rand, ODD_SPEC));
    const odd = rand();
    if (odd < 0.01) obj.status = null;
    else if (odd < 0.015) obj.status = pick(rand, ["broken", [], 5]);
    else if (odd < 0.02) obj.status = {};
    out.push(obj as KubeObject);
  }
  return out;
}
