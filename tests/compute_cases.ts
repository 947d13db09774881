/**
 * The contract cases of `computeStatus`: one per rule branch and per message of
 * `/work/shared/spec/kstatus.md` sections 1-4 and 14, each with the whole expected result
 * (status, message and the exact `conditions` list), so a change in a string, a reason or the
 * order of the rules fails. `compute_test.ts` runs them; the parity test
 * (`tests/parity/parity_test.ts`) also hands their objects to the Go original.
 *
 * Where the spec leaves a detail open, the case follows the Go original
 * (sigs.k8s.io/cli-utils pkg/kstatus/status at 5895ad6c) and says so in a comment.
 *
 * @module
 */

import { type ComputeResult, type KubeObject, Status } from "../mod.ts";

/** Fixed clock for every case: the Pod scheduling window depends on it. */
export const NOW = new Date("2024-05-01T12:00:00Z");

/** RFC3339 timestamp `seconds` before {@link NOW}, second precision as the API server writes it. */
function ago(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

interface Parts {
  metadata?: Record<string, unknown>;
  spec?: Record<string, unknown>;
  status?: unknown;
}

/** Builds an object; `status` is left out entirely when not given. */
export function obj(apiVersion: string, kind: string, parts: Parts = {}): KubeObject {
  const o: KubeObject = {
    apiVersion,
    kind,
    metadata: { name: "x", namespace: "default", ...parts.metadata },
  };
  if (parts.spec !== undefined) o.spec = parts.spec;
  if ("status" in parts) o.status = parts.status;
  return o;
}

/** InProgress result: exactly one Reconciling=True condition carrying the reason and message. */
export function ip(reason: string, message: string): ComputeResult {
  return {
    status: Status.InProgress,
    message,
    conditions: [{ type: "Reconciling", status: "True", reason, message }],
  };
}

/**
 * Failed result: exactly one Stalled=True condition. `condMessage` differs from `message` only
 * where the spec says the condition copies a source condition (Deployment deadline).
 */
function failed(reason: string, message: string, condMessage = message): ComputeResult {
  return {
    status: Status.Failed,
    message,
    conditions: [{ type: "Stalled", status: "True", reason, message: condMessage }],
  };
}

/** Current result: no conditions. */
export function current(message: string): ComputeResult {
  return { status: Status.Current, message, conditions: [] };
}

/** Terminating result: no conditions (§2 step 1). */
const TERMINATING: ComputeResult = {
  status: Status.Terminating,
  message: "Resource scheduled for deletion",
  conditions: [],
};

export interface Case {
  /** Test name; starts with the spec section it comes from. */
  name: string;
  obj: KubeObject;
  /** The expected result, or `{ error }` for a ComputeError (message checked when a string). */
  want: ComputeResult | { error: string | true };
  now?: Date;
}

/** Every contract case, in the order of the spec. */
export const cases: Case[] = [];
function add(name: string, o: KubeObject, want: Case["want"], now: Date = NOW) {
  cases.push({ name, obj: o, want, now });
}

/** A copy of `o` without `key` (absent, not `undefined`: JSON has no undefined). */
function omit(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...o };
  delete copy[key];
  return copy;
}

/** A condition record as found in `status.conditions`. */
function cond(type: string, status: string, reason = "", message = ""): Record<string, string> {
  const c: Record<string, string> = { type, status };
  if (reason !== "") c.reason = reason;
  if (message !== "") c.message = message;
  return c;
}

// ---------------------------------------------------------------------------------------------
// §2 step 1: Terminating
// ---------------------------------------------------------------------------------------------

const DELETED_AT = "2024-05-01T11:59:00Z";

add(
  "§2.1 Terminating: deletionTimestamp set on a generic object",
  obj("example.com/v1", "Widget", { metadata: { deletionTimestamp: DELETED_AT } }),
  TERMINATING,
);
add(
  "§2.1 Terminating wins over a generation mismatch",
  obj("apps/v1", "Deployment", {
    metadata: { deletionTimestamp: DELETED_AT, generation: 3 },
    status: { observedGeneration: 2 },
  }),
  TERMINATING,
);
add(
  "§2.1 Terminating wins over Stalled=True",
  obj("example.com/v1", "Widget", {
    metadata: { deletionTimestamp: DELETED_AT },
    status: { conditions: [cond("Stalled", "True", "Boom", "it broke")] },
  }),
  TERMINATING,
);
add(
  "§2.1 Terminating wins over an unknown pod phase (no error)",
  obj("v1", "Pod", { metadata: { deletionTimestamp: DELETED_AT }, status: { phase: "Unknown" } }),
  TERMINATING,
);
add(
  "§2.1 Terminating wins over malformed conditions (checked later)",
  obj("v1", "ConfigMap", {
    metadata: { deletionTimestamp: DELETED_AT },
    status: { conditions: "nope" },
  }),
  TERMINATING,
);
add(
  "§2.1 empty deletionTimestamp is not Terminating",
  obj("v1", "ConfigMap", { metadata: { deletionTimestamp: "" } }),
  current("Resource is always ready"),
);
add(
  "§2.1 non-string deletionTimestamp (number) is a compute error",
  obj("v1", "ConfigMap", { metadata: { deletionTimestamp: 1714564740 } }),
  { error: true },
);
add(
  "§2.1/§2.1-fields null deletionTimestamp (null final value) is a compute error",
  obj("v1", "ConfigMap", { metadata: { deletionTimestamp: null } }),
  { error: true },
);
add(
  "§2.1-fields metadata: null is 'not found' for deletionTimestamp and generation (no error)",
  { apiVersion: "v1", kind: "ConfigMap", metadata: null },
  current("Resource is always ready"),
);

// Go reads these with unstructured.NestedString/NestedInt64, whose path walk fails on a non-map
// intermediate ("accessor error"); only a null intermediate counts as "not found" (§2.1).
add(
  "§2.1-fields metadata that is not an object (number) is a compute error (Go accessor error)",
  { apiVersion: "v1", kind: "ConfigMap", metadata: 5 },
  { error: true },
);

// ---------------------------------------------------------------------------------------------
// §2 step 2: generation check
// ---------------------------------------------------------------------------------------------

add(
  "§2.2 generation mismatch on a Deployment: message names the Kind",
  obj("apps/v1", "Deployment", {
    metadata: { generation: 5 },
    spec: { replicas: 1 },
    status: { observedGeneration: 4 },
  }),
  ip(
    "LatestGenerationNotObserved",
    "Deployment generation is 5, but latest observed generation is 4",
  ),
);
add(
  "§2.2 generation mismatch on a DaemonSet (spec example)",
  obj("apps/v1", "DaemonSet", { metadata: { generation: 2 }, status: { observedGeneration: 1 } }),
  ip(
    "LatestGenerationNotObserved",
    "DaemonSet generation is 2, but latest observed generation is 1",
  ),
);
add(
  "§2.2 generation mismatch on a custom resource uses its Kind",
  obj("example.com/v1", "Widget", {
    metadata: { generation: 12 },
    status: { observedGeneration: 7, conditions: [cond("Ready", "True")] },
  }),
  ip("LatestGenerationNotObserved", "Widget generation is 12, but latest observed generation is 7"),
);
add(
  "§2.2 observedGeneration ahead of generation is also a mismatch",
  obj("example.com/v1", "Widget", {
    metadata: { generation: 1 },
    status: { observedGeneration: 2 },
  }),
  ip("LatestGenerationNotObserved", "Widget generation is 1, but latest observed generation is 2"),
);
add(
  "§2.2 generation mismatch wins over Stalled=True and Reconciling=True",
  obj("example.com/v1", "Widget", {
    metadata: { generation: 2 },
    status: {
      observedGeneration: 1,
      conditions: [cond("Stalled", "True", "Boom", "it broke"), cond("Reconciling", "True")],
    },
  }),
  ip("LatestGenerationNotObserved", "Widget generation is 2, but latest observed generation is 1"),
);
add(
  "§2.2 generation mismatch wins over the kind rule (unknown pod phase: no error)",
  obj("v1", "Pod", {
    metadata: { generation: 2 },
    status: { observedGeneration: 1, phase: "Unknown" },
  }),
  ip("LatestGenerationNotObserved", "Pod generation is 2, but latest observed generation is 1"),
);
add(
  "§2.2 generation equal to observedGeneration: check passes, kind rule decides",
  obj("apps/v1", "Deployment", {
    metadata: { generation: 3 },
    spec: { replicas: 2 },
    status: { observedGeneration: 3, replicas: 1 },
  }),
  ip("LessReplicas", "Replicas: 1/2"),
);
add(
  "§2.2 generation present, observedGeneration absent: check skipped",
  obj("example.com/v1", "Widget", { metadata: { generation: 4 }, status: {} }),
  current("Resource is current"),
);
add(
  "§2.2 generation absent, observedGeneration present: check skipped",
  obj("example.com/v1", "Widget", { status: { observedGeneration: 9 } }),
  current("Resource is current"),
);
add(
  "§2.2/§2.1-fields status: null with a generation: observedGeneration 'not found', skipped",
  obj("example.com/v1", "Widget", { metadata: { generation: 4 }, status: null }),
  current("Resource is current"),
);
add(
  "§2.2 non-integer generation (1.5) is a compute error",
  obj("example.com/v1", "Widget", {
    metadata: { generation: 1.5 },
    status: { observedGeneration: 1 },
  }),
  { error: true },
);
add(
  '§2.2 string generation ("3") is a compute error',
  obj("example.com/v1", "Widget", {
    metadata: { generation: "3" },
    status: { observedGeneration: 3 },
  }),
  { error: true },
);
add(
  "§2.2/§14.7 null generation is a compute error",
  obj("example.com/v1", "Widget", { metadata: { generation: null } }),
  { error: true },
);
add(
  "§2.2 non-integer generation is an error even without observedGeneration",
  obj("example.com/v1", "Widget", { metadata: { generation: "2" } }),
  { error: true },
);
add(
  "§2.2 non-integer observedGeneration (2.5) with a generation is a compute error",
  obj("example.com/v1", "Widget", {
    metadata: { generation: 2 },
    status: { observedGeneration: 2.5 },
  }),
  { error: true },
);
add(
  "§2.2 null observedGeneration with a generation is a compute error",
  obj("example.com/v1", "Widget", {
    metadata: { generation: 2 },
    status: { observedGeneration: null },
  }),
  { error: true },
);
// §2.2: "If either field is absent the check is skipped". The Go original reads
// observedGeneration only after finding generation (generic.go checkGeneration), so a malformed
// observedGeneration without a generation is never looked at and is not an error.
add(
  "§2.2 generation absent: a malformed observedGeneration is never read (Go behaviour)",
  obj("example.com/v1", "Widget", { status: { observedGeneration: "7" } }),
  current("Resource is current"),
);

// ---------------------------------------------------------------------------------------------
// §2 step 3: Reconciling / Stalled, array order, every kind
// ---------------------------------------------------------------------------------------------

add(
  "§2.3 Reconciling=True → InProgress with the condition's reason and message",
  obj("example.com/v1", "Widget", {
    status: { conditions: [cond("Reconciling", "True", "Progressing", "rolling out 2 of 3")] },
  }),
  ip("Progressing", "rolling out 2 of 3"),
);
add(
  "§2.3 Reconciling=True without reason/message → empty reason and message",
  obj("example.com/v1", "Widget", { status: { conditions: [cond("Reconciling", "True")] } }),
  ip("", ""),
);
add(
  "§2.3 Stalled=True → Failed, message and Stalled condition copied from it",
  obj("example.com/v1", "Widget", {
    status: { conditions: [cond("Stalled", "True", "ImageMissing", "image foo:1 not found")] },
  }),
  failed("ImageMissing", "image foo:1 not found"),
);
add(
  "§2.3 Stalled=True without reason/message → Failed with empty strings",
  obj("example.com/v1", "Widget", { status: { conditions: [cond("Stalled", "True")] } }),
  failed("", ""),
);
add(
  "§2.3 array order: Stalled before Reconciling → Failed",
  obj("example.com/v1", "Widget", {
    status: {
      conditions: [
        cond("Stalled", "True", "S", "stalled"),
        cond("Reconciling", "True", "R", "rec"),
      ],
    },
  }),
  failed("S", "stalled"),
);
add(
  "§2.3 array order: Reconciling before Stalled → InProgress",
  obj("example.com/v1", "Widget", {
    status: {
      conditions: [
        cond("Reconciling", "True", "R", "rec"),
        cond("Stalled", "True", "S", "stalled"),
      ],
    },
  }),
  ip("R", "rec"),
);
add(
  "§2.3 first Reconciling=True wins among several",
  obj("example.com/v1", "Widget", {
    status: {
      conditions: [
        cond("Reconciling", "False", "R0", "zero"),
        cond("Reconciling", "True", "R1", "one"),
        cond("Reconciling", "True", "R2", "two"),
      ],
    },
  }),
  ip("R1", "one"),
);
add(
  "§2.3 Reconciling=False and Stalled=False/Unknown are ignored",
  obj("example.com/v1", "Widget", {
    status: {
      conditions: [
        cond("Reconciling", "False", "Done", "done"),
        cond("Stalled", "False", "Fine", "fine"),
        cond("Stalled", "Unknown"),
      ],
    },
  }),
  current("Resource is current"),
);
add(
  '§2.3 status strings are case-sensitive: Stalled="true" is ignored',
  obj("example.com/v1", "Widget", { status: { conditions: [cond("Stalled", "true", "S", "s")] } }),
  current("Resource is current"),
);
add(
  "§2.3 Stalled=True applies to a healthy Deployment before its kind rule",
  obj("apps/v1", "Deployment", {
    spec: { replicas: 1 },
    status: {
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [
        cond("Available", "True"),
        cond("Progressing", "True", "NewReplicaSetAvailable"),
        cond("Stalled", "True", "Quota", "quota exceeded"),
      ],
    },
  }),
  failed("Quota", "quota exceeded"),
);
add(
  "§2.3 Reconciling=True applies to a ConfigMap (always-ready kind)",
  obj("v1", "ConfigMap", { status: { conditions: [cond("Reconciling", "True", "R", "wait")] } }),
  ip("R", "wait"),
);
add(
  "§2.3 Reconciling=True applies to a Pod before the phase rule (unknown phase: no error)",
  obj("v1", "Pod", {
    status: { phase: "Unknown", conditions: [cond("Reconciling", "True", "R", "wait")] },
  }),
  ip("R", "wait"),
);
add(
  "§2.3 Stalled=True applies to a StatefulSet (kind rule never reads conditions)",
  obj("apps/v1", "StatefulSet", {
    spec: { replicas: 0 },
    status: { conditions: [cond("Stalled", "True", "S", "stuck")] },
  }),
  failed("S", "stuck"),
);

// Condition parsing (§2, "Condition parsing")
add(
  "§2 conditions: non-map status is a compute error",
  obj("example.com/v1", "Widget", { status: "Ready" }),
  { error: true },
);
add(
  "§2 conditions: list as status is a compute error",
  obj("example.com/v1", "Widget", { status: [cond("Ready", "True")] }),
  { error: true },
);
add(
  "§2 conditions: non-list conditions (object) is a compute error",
  obj("example.com/v1", "Widget", { status: { conditions: { type: "Ready", status: "True" } } }),
  { error: true },
);
add(
  "§2 conditions: non-list conditions (string) is a compute error",
  obj("example.com/v1", "Widget", { status: { conditions: "Ready" } }),
  { error: true },
);
add(
  "§2 conditions: a non-object entry is a compute error",
  obj("example.com/v1", "Widget", { status: { conditions: [cond("Ready", "True"), "Ready"] } }),
  { error: true },
);
add(
  "§2 conditions: a non-string type is a compute error",
  obj("example.com/v1", "Widget", { status: { conditions: [{ type: 5, status: "True" }] } }),
  { error: true },
);
add(
  "§2 conditions: a non-string status (bool) is a compute error",
  obj("example.com/v1", "Widget", { status: { conditions: [{ type: "Ready", status: true }] } }),
  { error: true },
);
add(
  "§2 conditions: a non-string reason is a compute error",
  obj("example.com/v1", "Widget", {
    status: { conditions: [{ type: "Ready", status: "True", reason: 3 }] },
  }),
  { error: true },
);
add(
  "§2 conditions: a non-string message is a compute error",
  obj("example.com/v1", "Widget", {
    status: { conditions: [{ type: "Ready", status: "True", message: ["a"] }] },
  }),
  { error: true },
);
add(
  "§2 conditions: malformed conditions fail for built-in kinds too (ConfigMap)",
  obj("v1", "ConfigMap", { status: { conditions: [42] } }),
  { error: true },
);
// Only type/status/reason/message are typed; other fields (metav1.Condition's integer
// observedGeneration, timestamps) are not part of the typed record and must not fail parsing
// (Go converts into a struct with just those four fields).
add(
  "§2 conditions: extra fields such as an integer observedGeneration are ignored",
  obj("example.com/v1", "Widget", {
    status: {
      conditions: [{
        type: "Ready",
        status: "False",
        reason: "Waiting",
        message: "waiting for x",
        observedGeneration: 3,
        lastTransitionTime: "2024-05-01T11:00:00Z",
      }],
    },
  }),
  ip("Waiting", "waiting for x"),
);
add(
  "§2 conditions: missing status → no conditions",
  obj("example.com/v1", "Widget"),
  current("Resource is current"),
);
add(
  "§2 conditions: status: null → no conditions",
  obj("example.com/v1", "Widget", { status: null }),
  current("Resource is current"),
);
add(
  "§2 conditions: status without conditions → no conditions",
  obj("example.com/v1", "Widget", { status: { phase: "Whatever" } }),
  current("Resource is current"),
);

// ---------------------------------------------------------------------------------------------
// §3.1 Deployment
// ---------------------------------------------------------------------------------------------

const PROGRESSING_OK = cond(
  "Progressing",
  "True",
  "NewReplicaSetAvailable",
  'ReplicaSet "web-5d9" has successfully progressed.',
);
const AVAILABLE_OK = cond(
  "Available",
  "True",
  "MinimumReplicasAvailable",
  "Deployment has minimum availability.",
);

function deploy(
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  apiVersion = "apps/v1",
): KubeObject {
  return obj(apiVersion, "Deployment", { spec: { progressDeadlineSeconds: 600, ...spec }, status });
}
const DEPLOY_HEALTHY = {
  replicas: 3,
  updatedReplicas: 3,
  readyReplicas: 3,
  availableReplicas: 3,
  conditions: [PROGRESSING_OK, AVAILABLE_OK],
};

add(
  "§3.1 Deployment step 8: Current `Deployment is available. Replicas: %d`",
  deploy({ replicas: 3 }, DEPLOY_HEALTHY),
  current("Deployment is available. Replicas: 3"),
);
add(
  "§3.1 Deployment ProgressDeadlineExceeded → Failed, Stalled carries the source reason/message",
  deploy({ replicas: 3 }, {
    replicas: 3,
    updatedReplicas: 1,
    conditions: [
      AVAILABLE_OK,
      cond(
        "Progressing",
        "False",
        "ProgressDeadlineExceeded",
        'ReplicaSet "web-7f8" has timed out progressing.',
      ),
    ],
  }),
  failed(
    "ProgressDeadlineExceeded",
    "Progress deadline exceeded",
    'ReplicaSet "web-7f8" has timed out progressing.',
  ),
);
add(
  "§3.1/§14.4 Deployment ProgressDeadlineExceeded ignores the condition status (True)",
  deploy({ replicas: 3 }, {
    ...DEPLOY_HEALTHY,
    conditions: [cond("Progressing", "True", "ProgressDeadlineExceeded", "timed out")],
  }),
  failed("ProgressDeadlineExceeded", "Progress deadline exceeded", "timed out"),
);
add(
  "§3.1 Deployment ProgressDeadlineExceeded with empty message: Stalled message is empty",
  deploy({ replicas: 3 }, {
    ...DEPLOY_HEALTHY,
    conditions: [cond("Progressing", "Unknown", "ProgressDeadlineExceeded")],
  }),
  failed("ProgressDeadlineExceeded", "Progress deadline exceeded", ""),
);
add(
  "§3.1 Deployment ProgressDeadlineExceeded is found after a NewReplicaSetAvailable entry",
  deploy({ replicas: 3 }, {
    ...DEPLOY_HEALTHY,
    conditions: [
      PROGRESSING_OK,
      AVAILABLE_OK,
      cond("Progressing", "False", "ProgressDeadlineExceeded", "late"),
    ],
  }),
  failed("ProgressDeadlineExceeded", "Progress deadline exceeded", "late"),
);
add(
  "§3.1 Deployment: ProgressDeadlineExceeded on a non-Progressing condition is not a failure",
  deploy({ replicas: 3 }, {
    ...DEPLOY_HEALTHY,
    conditions: [PROGRESSING_OK, cond("Available", "True", "ProgressDeadlineExceeded", "odd")],
  }),
  current("Deployment is available. Replicas: 3"),
);
add(
  "§3.1 Deployment step 1: LessReplicas `Replicas: %d/%d` (replicas, spec)",
  deploy({ replicas: 3 }, { ...DEPLOY_HEALTHY, replicas: 1 }),
  ip("LessReplicas", "Replicas: 1/3"),
);
add(
  "§3.1 Deployment step 1: spec.replicas defaults to 1, status counters to 0",
  deploy({}, {}),
  ip("LessReplicas", "Replicas: 0/1"),
);
add(
  "§3.1/§2.1-fields Deployment: spec.replicas 1.5 reads as the default 1",
  deploy({ replicas: 1.5 }, {
    replicas: 1,
    updatedReplicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
    conditions: [PROGRESSING_OK, AVAILABLE_OK],
  }),
  current("Deployment is available. Replicas: 1"),
);
add(
  '§3.1/§2.1-fields Deployment: spec.replicas "3" reads as the default 1',
  deploy({ replicas: "3" }, {
    replicas: 1,
    updatedReplicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
    conditions: [PROGRESSING_OK, AVAILABLE_OK],
  }),
  current("Deployment is available. Replicas: 1"),
);
add(
  '§3.1/§2.1-fields Deployment: status.replicas "3" reads as the default 0',
  deploy({ replicas: 3 }, { ...DEPLOY_HEALTHY, replicas: "3" }),
  ip("LessReplicas", "Replicas: 0/3"),
);
add(
  "§3.1/§2.1-fields Deployment: status.readyReplicas 2.5 reads as the default 0",
  deploy({ replicas: 3 }, { ...DEPLOY_HEALTHY, readyReplicas: 2.5 }),
  ip("LessReady", "Ready: 0/3"),
);
add(
  "§3.1 Deployment step 2: LessUpdated `Updated: %d/%d` (updated, spec)",
  deploy({ replicas: 3 }, { ...DEPLOY_HEALTHY, updatedReplicas: 1 }),
  ip("LessUpdated", "Updated: 1/3"),
);
add(
  "§3.1 Deployment step 3: ExtraPods `Pending termination: %d` (replicas−spec)",
  deploy({ replicas: 3 }, { ...DEPLOY_HEALTHY, replicas: 5 }),
  ip("ExtraPods", "Pending termination: 2"),
);
add(
  "§3.1/§14.5 Deployment step 4: LessAvailable compares available to updated, not spec",
  deploy({ replicas: 3 }, { ...DEPLOY_HEALTHY, updatedReplicas: 4, availableReplicas: 3 }),
  ip("LessAvailable", "Available: 3/4"),
);
add(
  "§3.1 Deployment step 4: LessAvailable `Available: %d/%d`",
  deploy({ replicas: 3 }, { ...DEPLOY_HEALTHY, availableReplicas: 2 }),
  ip("LessAvailable", "Available: 2/3"),
);
add(
  "§3.1 Deployment step 4: availableReplicas defaults to 0",
  deploy({ replicas: 1 }, { replicas: 1, updatedReplicas: 1, readyReplicas: 1 }),
  ip("LessAvailable", "Available: 0/1"),
);
add(
  "§3.1 Deployment step 5: LessReady `Ready: %d/%d` (ready, spec)",
  deploy({ replicas: 3 }, { ...DEPLOY_HEALTHY, readyReplicas: 2 }),
  ip("LessReady", "Ready: 2/3"),
);
add(
  "§3.1 Deployment step 6: Progressing=True with another reason → ReplicaSetNotAvailable",
  deploy({ replicas: 3 }, {
    ...DEPLOY_HEALTHY,
    conditions: [cond("Progressing", "True", "ReplicaSetUpdated", "rolling"), AVAILABLE_OK],
  }),
  ip("ReplicaSetNotAvailable", "ReplicaSet not Available"),
);
add(
  "§3.1 Deployment step 6: Progressing=False/NewReplicaSetAvailable does not count",
  deploy({ replicas: 3 }, {
    ...DEPLOY_HEALTHY,
    conditions: [cond("Progressing", "False", "NewReplicaSetAvailable"), AVAILABLE_OK],
  }),
  ip("ReplicaSetNotAvailable", "ReplicaSet not Available"),
);
add(
  "§3.1 Deployment step 6: no Progressing condition with a deadline set",
  deploy({ replicas: 3 }, { ...DEPLOY_HEALTHY, conditions: [AVAILABLE_OK] }),
  ip("ReplicaSetNotAvailable", "ReplicaSet not Available"),
);
add(
  "§3.1 Deployment: progressDeadlineSeconds absent → progressing without a Progressing condition",
  obj("apps/v1", "Deployment", {
    spec: { replicas: 3 },
    status: { ...DEPLOY_HEALTHY, conditions: [AVAILABLE_OK] },
  }),
  current("Deployment is available. Replicas: 3"),
);
add(
  "§3.1 Deployment: progressDeadlineSeconds 2147483647 → progressing",
  deploy({ replicas: 3, progressDeadlineSeconds: 2147483647 }, {
    ...DEPLOY_HEALTHY,
    conditions: [AVAILABLE_OK],
  }),
  current("Deployment is available. Replicas: 3"),
);
add(
  "§3.1 Deployment: progressDeadlineSeconds 2147483646 is an ordinary deadline",
  deploy({ replicas: 3, progressDeadlineSeconds: 2147483646 }, {
    ...DEPLOY_HEALTHY,
    conditions: [AVAILABLE_OK],
  }),
  ip("ReplicaSetNotAvailable", "ReplicaSet not Available"),
);
add(
  '§3.1/§2.1-fields Deployment: progressDeadlineSeconds "600" (non-integer) → progressing',
  deploy({ replicas: 3, progressDeadlineSeconds: "600" }, {
    ...DEPLOY_HEALTHY,
    conditions: [AVAILABLE_OK],
  }),
  current("Deployment is available. Replicas: 3"),
);
add(
  "§3.1/§2.1-fields Deployment: progressDeadlineSeconds 600.5 (float) → progressing",
  deploy({ replicas: 3, progressDeadlineSeconds: 600.5 }, {
    ...DEPLOY_HEALTHY,
    conditions: [AVAILABLE_OK],
  }),
  current("Deployment is available. Replicas: 3"),
);
add(
  "§3.1 Deployment step 7: Available=False → DeploymentNotAvailable",
  deploy({ replicas: 3 }, {
    ...DEPLOY_HEALTHY,
    conditions: [PROGRESSING_OK, cond("Available", "False", "MinimumReplicasUnavailable", "no")],
  }),
  ip("DeploymentNotAvailable", "Deployment not Available"),
);
add(
  "§3.1 Deployment step 7: no Available condition → DeploymentNotAvailable",
  deploy({ replicas: 3 }, { ...DEPLOY_HEALTHY, conditions: [PROGRESSING_OK] }),
  ip("DeploymentNotAvailable", "Deployment not Available"),
);
add(
  "§3.1 Deployment: zero replicas still need Available=True",
  deploy({ replicas: 0 }, { conditions: [PROGRESSING_OK] }),
  ip("DeploymentNotAvailable", "Deployment not Available"),
);
add(
  "§3.1 Deployment: zero replicas with Available=True → Current `Replicas: 0`",
  deploy({ replicas: 0 }, { conditions: [PROGRESSING_OK, AVAILABLE_OK] }),
  current("Deployment is available. Replicas: 0"),
);
add(
  "§3.1 Deployment: a Ready=False condition is not consulted (kind rule is final)",
  deploy({ replicas: 3 }, {
    ...DEPLOY_HEALTHY,
    conditions: [PROGRESSING_OK, AVAILABLE_OK, cond("Ready", "False", "Nope", "nope")],
  }),
  current("Deployment is available. Replicas: 3"),
);
add(
  "§2.4 extensions/Deployment uses the Deployment rule",
  deploy({ replicas: 3 }, { ...DEPLOY_HEALTHY, replicas: 2 }, "extensions/v1beta1"),
  ip("LessReplicas", "Replicas: 2/3"),
);
add(
  "§2.4 extensions/Deployment: ProgressDeadlineExceeded → Failed",
  deploy({ replicas: 3 }, {
    conditions: [cond("Progressing", "False", "ProgressDeadlineExceeded", "timed out")],
  }, "extensions/v1beta1"),
  failed("ProgressDeadlineExceeded", "Progress deadline exceeded", "timed out"),
);
add(
  "§2.4 apps/v1beta2 Deployment: version is ignored",
  deploy({ replicas: 3 }, { ...DEPLOY_HEALTHY, updatedReplicas: 0 }, "apps/v1beta2"),
  ip("LessUpdated", "Updated: 0/3"),
);
add(
  "§2.4/§3.12 Deployment in another group is generic",
  deploy({ replicas: 3 }, { replicas: 0 }, "example.com/v1"),
  current("Resource is current"),
);

// ---------------------------------------------------------------------------------------------
// §3.2 StatefulSet
// ---------------------------------------------------------------------------------------------

function sts(
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  apiVersion = "apps/v1",
) {
  return obj(apiVersion, "StatefulSet", { spec, status });
}
const STS_HEALTHY = {
  replicas: 3,
  readyReplicas: 3,
  currentReplicas: 3,
  updatedReplicas: 3,
  currentRevision: "web-6b7c",
  updateRevision: "web-6b7c",
};
const ROLLING = { type: "RollingUpdate" };

add(
  "§3.2 StatefulSet step 7: Current `All replicas scheduled as expected. Replicas: %d`",
  sts({ replicas: 3, updateStrategy: ROLLING }, STS_HEALTHY),
  current("All replicas scheduled as expected. Replicas: 3"),
);
add(
  "§3.2 StatefulSet step 0: OnDelete → Current before any other check",
  sts({ replicas: 3, updateStrategy: { type: "OnDelete" } }, { replicas: 0 }),
  current("StatefulSet is using the ondelete update strategy"),
);
add(
  "§3.2 StatefulSet step 1: LessReplicas `Replicas: %d/%d`",
  sts({ replicas: 3, updateStrategy: ROLLING }, { ...STS_HEALTHY, replicas: 1 }),
  ip("LessReplicas", "Replicas: 1/3"),
);
add(
  "§3.2 StatefulSet step 1: spec.replicas defaults to 1",
  sts({}, {}),
  ip("LessReplicas", "Replicas: 0/1"),
);
add(
  '§3.2/§2.1-fields StatefulSet: spec.replicas "3" reads as the default 1',
  sts({ replicas: "3" }, {
    replicas: 1,
    readyReplicas: 1,
    currentReplicas: 1,
    updatedReplicas: 1,
  }),
  current("All replicas scheduled as expected. Replicas: 1"),
);
add(
  "§3.2 StatefulSet: readyReplicas defaults to 0",
  sts({ replicas: 2 }, { replicas: 2 }),
  ip("LessReady", "Ready: 0/2"),
);
add(
  "§3.2 StatefulSet: currentReplicas defaults to 0",
  sts({ replicas: 2 }, { replicas: 2, readyReplicas: 2 }),
  ip("LessCurrent", "current: 0/2"),
);
add(
  "§3.2 StatefulSet: updatedReplicas defaults to 0 (partition rollout)",
  sts({ replicas: 2, updateStrategy: { rollingUpdate: { partition: 0 } } }, {
    replicas: 2,
    readyReplicas: 2,
  }),
  ip("PartitionRollout", "updated: 0/2"),
);
add(
  "§3.2 StatefulSet step 2: LessReady `Ready: %d/%d`",
  sts({ replicas: 3, updateStrategy: ROLLING }, { ...STS_HEALTHY, readyReplicas: 2 }),
  ip("LessReady", "Ready: 2/3"),
);
add(
  "§3.2 StatefulSet step 3: ExtraPods `Pending termination: %d`",
  sts({ replicas: 3, updateStrategy: ROLLING }, { ...STS_HEALTHY, replicas: 4, readyReplicas: 4 }),
  ip("ExtraPods", "Pending termination: 1"),
);
add(
  "§3.2/§14.6 StatefulSet step 4: PartitionRollout, lowercase `updated: %d/%d` (spec−partition)",
  sts(
    { replicas: 3, updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } },
    { ...STS_HEALTHY, updatedReplicas: 1 },
  ),
  ip("PartitionRollout", "updated: 1/2"),
);
add(
  "§3.2 StatefulSet step 4: partition 0 is a partition (`updated: %d/%d` against spec)",
  sts(
    { replicas: 3, updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } } },
    { ...STS_HEALTHY, updatedReplicas: 2 },
  ),
  ip("PartitionRollout", "updated: 2/3"),
);
add(
  "§3.2 StatefulSet step 4: partition complete skips current/revision checks",
  sts(
    { replicas: 3, updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } },
    { ...STS_HEALTHY, updatedReplicas: 2, currentReplicas: 1, updateRevision: "web-new" },
  ),
  current("Partition rollout complete. updated: 2"),
);
add(
  "§3.2 StatefulSet step 4: partition larger than replicas → complete",
  sts(
    { replicas: 3, updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 5 } } },
    { ...STS_HEALTHY, updatedReplicas: 0 },
  ),
  current("Partition rollout complete. updated: 0"),
);
add(
  "§3.2 StatefulSet step 4: partition -1 means unset",
  sts(
    { replicas: 3, updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: -1 } } },
    { ...STS_HEALTHY, currentReplicas: 2 },
  ),
  ip("LessCurrent", "current: 2/3"),
);
add(
  '§3.2/§2.1-fields StatefulSet step 4: non-integer partition ("1") means unset',
  sts(
    { replicas: 3, updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: "1" } } },
    { ...STS_HEALTHY, updatedReplicas: 1, currentReplicas: 2 },
  ),
  ip("LessCurrent", "current: 2/3"),
);
add(
  "§3.2 StatefulSet: partition checks come after ExtraPods",
  sts(
    { replicas: 3, updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } },
    { ...STS_HEALTHY, replicas: 5, readyReplicas: 5, updatedReplicas: 0 },
  ),
  ip("ExtraPods", "Pending termination: 2"),
);
add(
  "§3.2/§14.6 StatefulSet step 5: LessCurrent, lowercase `current: %d/%d`",
  sts({ replicas: 3, updateStrategy: ROLLING }, { ...STS_HEALTHY, currentReplicas: 2 }),
  ip("LessCurrent", "current: 2/3"),
);
add(
  "§3.2 StatefulSet step 6: RevisionMismatch",
  sts({ replicas: 3, updateStrategy: ROLLING }, { ...STS_HEALTHY, updateRevision: "web-9f0a" }),
  ip("RevisionMismatch", "Waiting for updated revision to match current"),
);
add(
  '§3.2 StatefulSet step 6: missing updateRevision counts as "" (mismatch)',
  sts({ replicas: 3, updateStrategy: ROLLING }, {
    replicas: 3,
    readyReplicas: 3,
    currentReplicas: 3,
    currentRevision: "web-6b7c",
  }),
  ip("RevisionMismatch", "Waiting for updated revision to match current"),
);
add(
  "§3.2 StatefulSet step 6: both revisions missing → equal",
  sts({ replicas: 2 }, { replicas: 2, readyReplicas: 2, currentReplicas: 2 }),
  current("All replicas scheduled as expected. Replicas: 2"),
);
add(
  "§3.2 StatefulSet: conditions are never inspected (Ready=False ignored)",
  sts({ replicas: 3, updateStrategy: ROLLING }, {
    ...STS_HEALTHY,
    conditions: [cond("Ready", "False", "NotYet", "not yet")],
  }),
  current("All replicas scheduled as expected. Replicas: 3"),
);
add(
  "§2.4 extensions/StatefulSet has no rule: generic",
  sts({ replicas: 3 }, { replicas: 0 }, "extensions/v1beta1"),
  current("Resource is current"),
);
add(
  "§2.4 apps/v1beta1 StatefulSet uses the rule (version ignored)",
  sts({ replicas: 3 }, { replicas: 0 }, "apps/v1beta1"),
  ip("LessReplicas", "Replicas: 0/3"),
);

// ---------------------------------------------------------------------------------------------
// §3.3 DaemonSet
// ---------------------------------------------------------------------------------------------

function ds(
  metadata: Record<string, unknown>,
  status: Record<string, unknown>,
  apiVersion = "apps/v1",
): KubeObject {
  return obj(apiVersion, "DaemonSet", { metadata, spec: {}, status });
}
const DS_HEALTHY = {
  observedGeneration: 2,
  desiredNumberScheduled: 3,
  currentNumberScheduled: 3,
  updatedNumberScheduled: 3,
  numberAvailable: 3,
  numberReady: 3,
};
const GEN2 = { generation: 2 };

add(
  "§3.3 DaemonSet step 8: Current `All replicas scheduled as expected. Replicas: %d` (desired)",
  ds(GEN2, DS_HEALTHY),
  current("All replicas scheduled as expected. Replicas: 3"),
);
add(
  "§3.3 DaemonSet step 1: NoGeneration `%s metadata.generation not found`",
  ds({}, DS_HEALTHY),
  ip("NoGeneration", "DaemonSet metadata.generation not found"),
);
add(
  "§3.3 DaemonSet step 2: NoObservedGeneration `%s status.observedGeneration not found`",
  ds(GEN2, omit(DS_HEALTHY, "observedGeneration")),
  ip("NoObservedGeneration", "DaemonSet status.observedGeneration not found"),
);
add(
  "§3.3 DaemonSet step 2: no status at all → NoObservedGeneration",
  obj("apps/v1", "DaemonSet", { metadata: GEN2 }),
  ip("NoObservedGeneration", "DaemonSet status.observedGeneration not found"),
);
add(
  "§3.3 DaemonSet step 3: NoDesiredNumber when desiredNumberScheduled is missing",
  ds(GEN2, omit(DS_HEALTHY, "desiredNumberScheduled")),
  ip("NoDesiredNumber", "Missing .status.desiredNumberScheduled"),
);
add(
  '§3.3/§2.1-fields DaemonSet step 3: NoDesiredNumber when desiredNumberScheduled is "3"',
  ds(GEN2, { ...DS_HEALTHY, desiredNumberScheduled: "3" }),
  ip("NoDesiredNumber", "Missing .status.desiredNumberScheduled"),
);
add(
  "§3.3/§2.1-fields DaemonSet step 3: NoDesiredNumber when desiredNumberScheduled is 1.5",
  ds(GEN2, { ...DS_HEALTHY, desiredNumberScheduled: 1.5 }),
  ip("NoDesiredNumber", "Missing .status.desiredNumberScheduled"),
);
add(
  "§3.3 DaemonSet step 4: LessCurrent `Current: %d/%d`",
  ds(GEN2, { ...DS_HEALTHY, currentNumberScheduled: 2 }),
  ip("LessCurrent", "Current: 2/3"),
);
add(
  "§3.3 DaemonSet step 5: LessUpdated `Updated: %d/%d`",
  ds(GEN2, { ...DS_HEALTHY, updatedNumberScheduled: 1 }),
  ip("LessUpdated", "Updated: 1/3"),
);
add(
  "§3.3 DaemonSet step 6: LessAvailable `Available: %d/%d`",
  ds(GEN2, { ...DS_HEALTHY, numberAvailable: 2 }),
  ip("LessAvailable", "Available: 2/3"),
);
add(
  "§3.3 DaemonSet step 7: LessReady `Ready: %d/%d`",
  ds(GEN2, { ...DS_HEALTHY, numberReady: 0 }),
  ip("LessReady", "Ready: 0/3"),
);
add(
  "§3.3 DaemonSet: desired 0 → Current `Replicas: 0`",
  ds(GEN2, { observedGeneration: 2, desiredNumberScheduled: 0 }),
  current("All replicas scheduled as expected. Replicas: 0"),
);
add(
  "§3.3 DaemonSet: counters default to 0",
  ds(GEN2, { observedGeneration: 2, desiredNumberScheduled: 2 }),
  ip("LessCurrent", "Current: 0/2"),
);
add(
  "§3.3 DaemonSet: updatedNumberScheduled defaults to 0",
  ds(GEN2, { observedGeneration: 2, desiredNumberScheduled: 2, currentNumberScheduled: 2 }),
  ip("LessUpdated", "Updated: 0/2"),
);
add(
  "§3.3 DaemonSet: numberAvailable defaults to 0",
  ds(GEN2, {
    observedGeneration: 2,
    desiredNumberScheduled: 2,
    currentNumberScheduled: 2,
    updatedNumberScheduled: 2,
  }),
  ip("LessAvailable", "Available: 0/2"),
);
add(
  "§3.3 DaemonSet: numberReady defaults to 0",
  ds(GEN2, {
    observedGeneration: 2,
    desiredNumberScheduled: 2,
    currentNumberScheduled: 2,
    updatedNumberScheduled: 2,
    numberAvailable: 2,
  }),
  ip("LessReady", "Ready: 0/2"),
);
// Go's generic check and checkGenerationSet both stop at a missing generation before reading
// observedGeneration, so a malformed observedGeneration is never looked at here.
add(
  "§3.3 DaemonSet: no generation → NoGeneration even with a malformed observedGeneration",
  ds({}, { ...DS_HEALTHY, observedGeneration: "2" }),
  ip("NoGeneration", "DaemonSet metadata.generation not found"),
);
add(
  "§2 conditions: a null entry reads as an empty condition (no error, Go converter)",
  obj("example.com/v1", "Widget", {
    status: { conditions: [null, cond("Ready", "False", "W", "w")] },
  }),
  ip("W", "w"),
);
add(
  "§2.4 extensions/DaemonSet uses the DaemonSet rule (NoGeneration)",
  ds({}, DS_HEALTHY, "extensions/v1beta1"),
  ip("NoGeneration", "DaemonSet metadata.generation not found"),
);
add(
  "§2.4 extensions/DaemonSet uses the DaemonSet rule (LessReady)",
  ds(GEN2, { ...DS_HEALTHY, numberReady: 1 }, "extensions/v1beta1"),
  ip("LessReady", "Ready: 1/3"),
);

// ---------------------------------------------------------------------------------------------
// §3.4 ReplicaSet
// ---------------------------------------------------------------------------------------------

function rs(
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  apiVersion = "apps/v1",
) {
  return obj(apiVersion, "ReplicaSet", { spec, status });
}
const RS_HEALTHY = { replicas: 3, fullyLabeledReplicas: 3, availableReplicas: 3, readyReplicas: 3 };

add(
  "§3.4 ReplicaSet step 6: Current `ReplicaSet is available. Replicas: %d`",
  rs({ replicas: 3 }, RS_HEALTHY),
  current("ReplicaSet is available. Replicas: 3"),
);
add(
  "§3.4/§14.4 ReplicaSet step 1: ReplicaFailure=True is InProgress, not Failed",
  rs({ replicas: 3 }, {
    ...RS_HEALTHY,
    conditions: [cond("ReplicaFailure", "True", "FailedCreate", 'pods "web" is forbidden')],
  }),
  ip("ReplicaFailure", "Replica Failure condition. Check Pods"),
);
add(
  "§3.4 ReplicaSet: ReplicaFailure=False is ignored",
  rs({ replicas: 3 }, { ...RS_HEALTHY, conditions: [cond("ReplicaFailure", "False")] }),
  current("ReplicaSet is available. Replicas: 3"),
);
add(
  "§3.4 ReplicaSet: ReplicaFailure=True found after other conditions",
  rs({ replicas: 3 }, {
    ...RS_HEALTHY,
    conditions: [cond("Other", "True"), cond("ReplicaFailure", "True")],
  }),
  ip("ReplicaFailure", "Replica Failure condition. Check Pods"),
);
add(
  "§3.4 ReplicaSet step 2: LessLabelled `Labelled: %d/%d`",
  rs({ replicas: 3 }, { ...RS_HEALTHY, fullyLabeledReplicas: 2 }),
  ip("LessLabelled", "Labelled: 2/3"),
);
add(
  "§3.4 ReplicaSet step 2: spec.replicas defaults to 1",
  rs({}, {}),
  ip("LessLabelled", "Labelled: 0/1"),
);
add(
  "§3.4/§2.1-fields ReplicaSet: spec.replicas 1.5 reads as the default 1",
  rs({ replicas: 1.5 }, {
    replicas: 1,
    fullyLabeledReplicas: 1,
    availableReplicas: 1,
    readyReplicas: 1,
  }),
  current("ReplicaSet is available. Replicas: 1"),
);
add(
  "§3.4 ReplicaSet step 3: LessAvailable `Available: %d/%d`",
  rs({ replicas: 3 }, { ...RS_HEALTHY, availableReplicas: 1 }),
  ip("LessAvailable", "Available: 1/3"),
);
add(
  "§3.4 ReplicaSet step 4: LessReady `Ready: %d/%d`",
  rs({ replicas: 3 }, { ...RS_HEALTHY, readyReplicas: 2 }),
  ip("LessReady", "Ready: 2/3"),
);
add(
  "§3.4 ReplicaSet step 5: ExtraPods `Pending termination: %d`",
  rs({ replicas: 3 }, { ...RS_HEALTHY, replicas: 5 }),
  ip("ExtraPods", "Pending termination: 2"),
);
add(
  "§3.4 ReplicaSet: availableReplicas defaults to 0",
  rs({ replicas: 2 }, { fullyLabeledReplicas: 2 }),
  ip("LessAvailable", "Available: 0/2"),
);
add(
  "§3.4 ReplicaSet: readyReplicas defaults to 0",
  rs({ replicas: 2 }, { fullyLabeledReplicas: 2, availableReplicas: 2 }),
  ip("LessReady", "Ready: 0/2"),
);
add(
  "§3.4 ReplicaSet: zero replicas with an empty status → Current `Replicas: 0`",
  rs({ replicas: 0 }, {}),
  current("ReplicaSet is available. Replicas: 0"),
);
add(
  "§2.4 extensions/ReplicaSet uses the ReplicaSet rule",
  rs({ replicas: 3 }, { ...RS_HEALTHY, fullyLabeledReplicas: 0 }, "extensions/v1beta1"),
  ip("LessLabelled", "Labelled: 0/3"),
);

// ---------------------------------------------------------------------------------------------
// §3.5 Pod
// ---------------------------------------------------------------------------------------------

export function pod(status: unknown, metadata: Record<string, unknown> = {}): KubeObject {
  return obj("v1", "Pod", {
    metadata,
    spec: { containers: [{ name: "app", image: "app:1" }] },
    status,
  });
}
function waiting(name: string, reason: string) {
  return { name, ready: false, state: { waiting: { reason, message: "back-off" } } };
}
function running(name: string) {
  return { name, ready: true, state: { running: { startedAt: "2024-05-01T11:00:00Z" } } };
}
const UNSCHEDULABLE = cond("PodScheduled", "False", "Unschedulable", "0/3 nodes are available");

add(
  "§3.5 Pod Succeeded → Current `Pod has completed successfully`",
  pod({ phase: "Succeeded" }),
  current("Pod has completed successfully"),
);
add(
  "§3.5/§14.3 Pod Failed → Current `Pod has completed, but not successfully`",
  pod({ phase: "Failed", containerStatuses: [waiting("app", "CrashLoopBackOff")] }),
  current("Pod has completed, but not successfully"),
);
add(
  "§3.5 Pod Running + Ready=True → Current `Pod is Ready`",
  pod({ phase: "Running", conditions: [cond("Ready", "True")] }),
  current("Pod is Ready"),
);
add(
  "§3.5 Pod Running: any Ready=True counts, not only the first Ready entry",
  pod({ phase: "Running", conditions: [cond("Ready", "False"), cond("Ready", "True")] }),
  current("Pod is Ready"),
);
add(
  "§3.5 Pod Running: Ready=True wins over a crash-looping container",
  pod({
    phase: "Running",
    conditions: [cond("Ready", "True")],
    containerStatuses: [waiting("app", "CrashLoopBackOff")],
  }),
  current("Pod is Ready"),
);
add(
  "§3.5 Pod Running + CrashLoopBackOff → Failed ContainerCrashLooping",
  pod({
    phase: "Running",
    conditions: [cond("Ready", "False", "ContainersNotReady")],
    containerStatuses: [waiting("app", "CrashLoopBackOff")],
  }),
  failed("ContainerCrashLooping", "Containers in CrashLoop state: app"),
);
add(
  '§3.5 Pod crash loop: names joined with "," (no space) in array order',
  pod({
    phase: "Running",
    containerStatuses: [
      waiting("zeta", "CrashLoopBackOff"),
      running("web"),
      waiting("sidecar", "ImagePullBackOff"),
      waiting("alpha", "CrashLoopBackOff"),
    ],
  }),
  failed("ContainerCrashLooping", "Containers in CrashLoop state: zeta,alpha"),
);
add(
  "§3.5 Pod crash loop: entries without name/state/waiting/reason are skipped",
  pod({
    phase: "Running",
    containerStatuses: [
      { state: { waiting: { reason: "CrashLoopBackOff" } } },
      { name: "nostate" },
      { name: "nowaiting", state: { terminated: { reason: "Error", exitCode: 1 } } },
      { name: "noreason", state: { waiting: { message: "hmm" } } },
      waiting("db", "CrashLoopBackOff"),
    ],
  }),
  failed("ContainerCrashLooping", "Containers in CrashLoop state: db"),
);
add(
  "§3.5 Pod crash loop: initContainerStatuses are ignored",
  pod({
    phase: "Running",
    initContainerStatuses: [waiting("init", "CrashLoopBackOff")],
    containerStatuses: [running("app")],
  }),
  ip("PodRunningNotReady", "Pod is running but is not Ready"),
);
// §3.5 reads containerStatuses with unstructured.NestedSlice in Go: a present value that is not a
// list (null included) is an error there, returned by Compute.
add(
  "§3.5 Pod Running: containerStatuses that is not a list is a compute error (Go NestedSlice)",
  pod({ phase: "Running", containerStatuses: { name: "app" } }),
  { error: true },
);
add(
  "§3.5 Pod Running: containerStatuses: null is a compute error (Go NestedSlice)",
  pod({ phase: "Running", containerStatuses: null }),
  { error: true },
);
add(
  "§3.5 Pod Running + Ready=True: containerStatuses are not read at all",
  pod({ phase: "Running", conditions: [cond("Ready", "True")], containerStatuses: null }),
  current("Pod is Ready"),
);
add(
  "§3.5 Pod Running, not Ready, no crash loop → PodRunningNotReady",
  pod({
    phase: "Running",
    conditions: [cond("Ready", "False", "ContainersNotReady", "containers with unready status")],
    containerStatuses: [waiting("app", "ImagePullBackOff")],
  }),
  ip("PodRunningNotReady", "Pod is running but is not Ready"),
);
add(
  "§3.5 Pod Running without conditions or containerStatuses → PodRunningNotReady",
  pod({ phase: "Running" }),
  ip("PodRunningNotReady", "Pod is running but is not Ready"),
);
add(
  "§3.5 Pod Pending + Unschedulable, created 10 s ago → PodNotScheduled",
  pod({ phase: "Pending", conditions: [UNSCHEDULABLE] }, { creationTimestamp: ago(10) }),
  ip("PodNotScheduled", "Pod has not been scheduled"),
);
add(
  "§3.5 Pod Pending + Unschedulable, created 14 s ago → still within the window",
  pod({ phase: "Pending", conditions: [UNSCHEDULABLE] }, { creationTimestamp: ago(14) }),
  ip("PodNotScheduled", "Pod has not been scheduled"),
);
// now − 15 s < creationTimestamp is false when they are equal (Go: time.Before is strict).
add(
  "§3.5 Pod Pending + Unschedulable, created exactly 15 s ago → Failed PodUnschedulable",
  pod({ phase: "Pending", conditions: [UNSCHEDULABLE] }, { creationTimestamp: ago(15) }),
  failed("PodUnschedulable", "Pod could not be scheduled"),
);
add(
  "§3.5 Pod Pending + Unschedulable, created 60 s ago → Failed PodUnschedulable",
  pod({ phase: "Pending", conditions: [UNSCHEDULABLE] }, { creationTimestamp: ago(60) }),
  failed("PodUnschedulable", "Pod could not be scheduled"),
);
add(
  "§3.5 Pod Pending + Unschedulable: the window follows the `now` option",
  pod({ phase: "Pending", conditions: [UNSCHEDULABLE] }, { creationTimestamp: ago(60) }),
  ip("PodNotScheduled", "Pod has not been scheduled"),
  new Date(NOW.getTime() - 50_000),
);
add(
  "§3.5 Pod Pending + Unschedulable without creationTimestamp → Failed (year 1)",
  pod({ phase: "Pending", conditions: [UNSCHEDULABLE] }),
  failed("PodUnschedulable", "Pod could not be scheduled"),
);
add(
  "§3.5 Pod Pending: first PodScheduled=False decides (another reason → PodPending)",
  pod(
    {
      phase: "Pending",
      conditions: [cond("PodScheduled", "False", "SchedulerError", "x"), UNSCHEDULABLE],
    },
    { creationTimestamp: ago(60) },
  ),
  ip("PodPending", "Pod is in the Pending phase"),
);
add(
  "§3.5 Pod Pending: a PodScheduled=True entry before the False one is passed over",
  pod(
    { phase: "Pending", conditions: [cond("PodScheduled", "True"), UNSCHEDULABLE] },
    { creationTimestamp: ago(60) },
  ),
  failed("PodUnschedulable", "Pod could not be scheduled"),
);
add(
  "§3.5 Pod Pending without conditions → PodPending",
  pod({ phase: "Pending" }),
  ip("PodPending", "Pod is in the Pending phase"),
);
add(
  "§3.5 Pod Pending, scheduled, containers creating → PodPending",
  pod({
    phase: "Pending",
    conditions: [cond("PodScheduled", "True")],
    containerStatuses: [waiting("app", "ContainerCreating")],
  }),
  ip("PodPending", "Pod is in the Pending phase"),
);
add(
  "§3.5 Pod missing phase → PodNotObserved",
  pod({}),
  ip("PodNotObserved", "Pod phase not available"),
);
add(
  "§3.5 Pod without status → PodNotObserved",
  obj("v1", "Pod"),
  ip("PodNotObserved", "Pod phase not available"),
);
add(
  "§3.5 Pod empty phase → PodNotObserved",
  pod({ phase: "" }),
  ip("PodNotObserved", "Pod phase not available"),
);
add(
  '§3.5/§2.1-fields Pod non-string phase reads as "" → PodNotObserved',
  pod({ phase: 3 }),
  ip("PodNotObserved", "Pod phase not available"),
);
add(
  "§3.5/§14.3 Pod phase Unknown → compute error `unknown phase Unknown`",
  pod({ phase: "Unknown" }),
  { error: "unknown phase Unknown" },
);
add(
  '§3.5 Pod phase with other case ("running") → compute error `unknown phase running`',
  pod({ phase: "running" }),
  { error: "unknown phase running" },
);
add(
  "§2.4 Pod without apiVersion: empty group → core `Pod` rule",
  { kind: "Pod", metadata: { name: "p" }, status: { phase: "Pending" } },
  ip("PodPending", "Pod is in the Pending phase"),
);
add(
  "§2.4 Pod in a non-core group is generic",
  obj("example.com/v1", "Pod", { status: { phase: "Unknown" } }),
  current("Resource is current"),
);

// ---------------------------------------------------------------------------------------------
// §3.6 PersistentVolumeClaim
// ---------------------------------------------------------------------------------------------

add(
  "§3.6 PVC Bound → Current `PVC is Bound`",
  obj("v1", "PersistentVolumeClaim", { status: { phase: "Bound" } }),
  current("PVC is Bound"),
);
add(
  "§3.6 PVC Pending → NotBound `PVC is not Bound. phase: Pending`",
  obj("v1", "PersistentVolumeClaim", { status: { phase: "Pending" } }),
  ip("NotBound", "PVC is not Bound. phase: Pending"),
);
add(
  "§3.6 PVC Lost → NotBound `PVC is not Bound. phase: Lost`",
  obj("v1", "PersistentVolumeClaim", { status: { phase: "Lost" } }),
  ip("NotBound", "PVC is not Bound. phase: Lost"),
);
add(
  "§3.6 PVC missing phase → `phase: unknown`",
  obj("v1", "PersistentVolumeClaim", { spec: {} }),
  ip("NotBound", "PVC is not Bound. phase: unknown"),
);
add(
  "§3.6/§2.1-fields PVC non-string phase → `phase: unknown`",
  obj("v1", "PersistentVolumeClaim", { status: { phase: true } }),
  ip("NotBound", "PVC is not Bound. phase: unknown"),
);

// ---------------------------------------------------------------------------------------------
// §3.7 Service
// ---------------------------------------------------------------------------------------------

add(
  "§3.7 Service default type ClusterIP → Current `Service is ready`",
  obj("v1", "Service", { spec: { ports: [{ port: 80 }] } }),
  current("Service is ready"),
);
add(
  "§3.7 Service LoadBalancer without clusterIP → NoIPAssigned",
  obj("v1", "Service", { spec: { type: "LoadBalancer" } }),
  ip("NoIPAssigned", "ClusterIP not set. Service type: LoadBalancer"),
);
add(
  "§3.7 Service LoadBalancer with empty clusterIP → NoIPAssigned",
  obj("v1", "Service", { spec: { type: "LoadBalancer", clusterIP: "" } }),
  ip("NoIPAssigned", "ClusterIP not set. Service type: LoadBalancer"),
);
add(
  "§3.7 Service LoadBalancer with clusterIP, no ingress → Current (ingress not looked at)",
  obj("v1", "Service", {
    spec: { type: "LoadBalancer", clusterIP: "10.96.0.12" },
    status: { loadBalancer: {} },
  }),
  current("Service is ready"),
);
add(
  "§3.7 Service NodePort without clusterIP → Current",
  obj("v1", "Service", { spec: { type: "NodePort" } }),
  current("Service is ready"),
);

// ---------------------------------------------------------------------------------------------
// §3.8 Job
// ---------------------------------------------------------------------------------------------

function job(spec: Record<string, unknown>, status: Record<string, unknown>) {
  return obj("batch/v1", "Job", { spec, status });
}
const STARTED = "2024-05-01T11:58:00Z";

add(
  "§3.8 Job Complete=True → Current `Job Completed. succeeded: %d/%d`",
  job({ parallelism: 2, completions: 4 }, {
    startTime: STARTED,
    succeeded: 4,
    conditions: [cond("Complete", "True")],
  }),
  current("Job Completed. succeeded: 4/4"),
);
add(
  "§3.8 Job: completions default to parallelism",
  job({ parallelism: 3 }, {
    startTime: STARTED,
    succeeded: 3,
    conditions: [cond("Complete", "True")],
  }),
  current("Job Completed. succeeded: 3/3"),
);
add(
  "§3.8 Job: parallelism defaults to 1, completions to parallelism",
  job({}, { startTime: STARTED, succeeded: 1, conditions: [cond("Complete", "True")] }),
  current("Job Completed. succeeded: 1/1"),
);
add(
  '§3.8/§2.1-fields Job: non-integer completions ("4") default to parallelism',
  job({ parallelism: 2, completions: "4" }, {
    startTime: STARTED,
    succeeded: 2,
    conditions: [cond("Complete", "True")],
  }),
  current("Job Completed. succeeded: 2/2"),
);
add(
  "§3.8/§2.1-fields Job: non-integer parallelism (1.5) defaults to 1",
  job({ parallelism: 1.5 }, {
    startTime: STARTED,
    succeeded: 1,
    conditions: [cond("Complete", "True")],
  }),
  current("Job Completed. succeeded: 1/1"),
);
add(
  "§3.8 Job Failed=True → Failed, fixed reason JobFailed, `Job Failed. failed: %d/%d`",
  job({ parallelism: 2, completions: 4 }, {
    startTime: STARTED,
    failed: 2,
    conditions: [
      cond("Failed", "True", "BackoffLimitExceeded", "Job has reached the backoff limit"),
    ],
  }),
  failed("JobFailed", "Job Failed. failed: 2/4"),
);
add(
  "§3.8 Job: conditions in order, Failed before Complete → Failed",
  job({ completions: 1 }, {
    startTime: STARTED,
    failed: 1,
    succeeded: 1,
    conditions: [cond("Failed", "True"), cond("Complete", "True")],
  }),
  failed("JobFailed", "Job Failed. failed: 1/1"),
);
add(
  "§3.8 Job: conditions in order, Complete before Failed → Current",
  job({ completions: 1 }, {
    startTime: STARTED,
    failed: 1,
    succeeded: 1,
    conditions: [cond("Complete", "True"), cond("Failed", "True")],
  }),
  current("Job Completed. succeeded: 1/1"),
);
add(
  "§3.8 Job: Complete=False and Failed=False are skipped",
  job({}, {
    startTime: STARTED,
    active: 1,
    conditions: [cond("Complete", "False"), cond("Failed", "False")],
  }),
  current("Job in progress. success:0, active: 1, failed: 0"),
);
add(
  "§3.8 Job Suspended=True with spec.suspend true → Current `Job is suspended`",
  job({ suspend: true }, {
    conditions: [cond("Suspended", "True", "JobSuspended", "Job suspended")],
  }),
  current("Job is suspended"),
);
add(
  "§3.8 Job Suspended=True with spec.suspend false → not suspended",
  job({ suspend: false }, { conditions: [cond("Suspended", "True")] }),
  ip("JobNotStarted", "Job not started"),
);
add(
  '§3.8/§2.1-fields Job Suspended=True with spec.suspend "true" (non-bool) → not suspended',
  job({ suspend: "true" }, { conditions: [cond("Suspended", "True")] }),
  ip("JobNotStarted", "Job not started"),
);
add(
  "§3.8 Job spec.suspend true without a Suspended=True condition → not suspended",
  job({ suspend: true }, { conditions: [cond("Suspended", "False")] }),
  ip("JobNotStarted", "Job not started"),
);
add(
  "§3.8 Job without startTime → JobNotStarted",
  job({}, {}),
  ip("JobNotStarted", "Job not started"),
);
add(
  "§3.8 Job with empty startTime → JobNotStarted",
  job({}, { startTime: "" }),
  ip("JobNotStarted", "Job not started"),
);
add(
  "§3.8/§14.6 Job running → Current `Job in progress. success:%d, active: %d, failed: %d`",
  job({ parallelism: 3, completions: 5 }, {
    startTime: STARTED,
    succeeded: 1,
    active: 3,
    failed: 2,
  }),
  current("Job in progress. success:1, active: 3, failed: 2"),
);
add(
  "§3.8 Job running: succeeded/active/failed default to 0",
  job({}, { startTime: STARTED }),
  current("Job in progress. success:0, active: 0, failed: 0"),
);
add(
  "§2.4 Job in batch/v1beta1 uses the Job rule (version ignored)",
  obj("batch/v1beta1", "Job", { spec: {}, status: {} }),
  ip("JobNotStarted", "Job not started"),
);

// ---------------------------------------------------------------------------------------------
// §3.9 CronJob, ConfigMap, Secret; §3.10 PodDisruptionBudget
// ---------------------------------------------------------------------------------------------

add(
  "§3.9 CronJob (batch/v1) → Current `Resource is always ready`",
  obj("batch/v1", "CronJob", { spec: { schedule: "*/5 * * * *" }, status: { active: [] } }),
  current("Resource is always ready"),
);
add(
  "§3.9 CronJob (batch/v1beta1) → Current `Resource is always ready`",
  obj("batch/v1beta1", "CronJob", { spec: { schedule: "@daily" } }),
  current("Resource is always ready"),
);
add(
  "§3.9 ConfigMap → Current `Resource is always ready`",
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "b" } },
  current("Resource is always ready"),
);
add(
  "§3.9 Secret → Current `Resource is always ready`",
  { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, type: "Opaque" },
  current("Resource is always ready"),
);
add(
  "§3.9 ConfigMap: a Ready=False condition is not consulted (kind rule is final)",
  obj("v1", "ConfigMap", { status: { conditions: [cond("Ready", "False", "No", "no")] } }),
  current("Resource is always ready"),
);
add(
  "§3.9 CronJob: generic Stalled=True still applies first",
  obj("batch/v1", "CronJob", { status: { conditions: [cond("Stalled", "True", "Bad", "bad")] } }),
  failed("Bad", "bad"),
);
add(
  "§3.9 Secret: generation mismatch still applies first",
  obj("v1", "Secret", { metadata: { generation: 2 }, status: { observedGeneration: 1 } }),
  ip("LatestGenerationNotObserved", "Secret generation is 2, but latest observed generation is 1"),
);
add(
  "§2.4 Secret in a non-core group is generic (Ready fallback applies)",
  obj("example.com/v1", "Secret", { status: { conditions: [cond("Ready", "False", "R", "m")] } }),
  ip("R", "m"),
);
add(
  "§2.4 CronJob in the core group is generic",
  obj("v1", "CronJob", { status: { conditions: [cond("Ready", "False", "R", "m")] } }),
  ip("R", "m"),
);
add(
  "§3.10/§14.6 PodDisruptionBudget → Current with trailing period",
  obj("policy/v1", "PodDisruptionBudget", {
    metadata: { generation: 1 },
    spec: { minAvailable: 1 },
    status: { observedGeneration: 1, disruptionsAllowed: 0 },
  }),
  current("AllowedDisruptions has been computed."),
);
add(
  "§3.10 PodDisruptionBudget policy/v1beta1 → same rule",
  obj("policy/v1beta1", "PodDisruptionBudget", { spec: {} }),
  current("AllowedDisruptions has been computed."),
);
add(
  "§3.10 PodDisruptionBudget with a generation mismatch → LatestGenerationNotObserved",
  obj("policy/v1", "PodDisruptionBudget", {
    metadata: { generation: 3 },
    status: { observedGeneration: 2 },
  }),
  ip(
    "LatestGenerationNotObserved",
    "PodDisruptionBudget generation is 3, but latest observed generation is 2",
  ),
);

// ---------------------------------------------------------------------------------------------
// §3.11 CustomResourceDefinition
// ---------------------------------------------------------------------------------------------

function crd(conditions: unknown[] | undefined, apiVersion = "apiextensions.k8s.io/v1") {
  return obj(apiVersion, "CustomResourceDefinition", {
    spec: { group: "example.com" },
    status: conditions === undefined ? {} : { conditions },
  });
}

add(
  "§3.11 CRD Established=True → Current `CRD is established`",
  crd([
    cond("NamesAccepted", "True", "NoConflicts"),
    cond("Established", "True", "InitialNamesAccepted"),
  ]),
  current("CRD is established"),
);
add(
  "§3.11 CRD NamesAccepted=False → Failed with the condition's reason and message",
  crd([
    cond("NamesAccepted", "False", "MultipleNameConflict", '"widgets" is already in use'),
    cond("Established", "False", "NotAccepted", "not all names are accepted"),
  ]),
  failed("MultipleNameConflict", '"widgets" is already in use'),
);
add(
  "§3.11 CRD Established=False (reason != Installing) → Failed with its reason and message",
  crd([
    cond("NamesAccepted", "True"),
    cond("Established", "False", "NotAccepted", "names not accepted"),
  ]),
  failed("NotAccepted", "names not accepted"),
);
add(
  "§3.11 CRD Established=False with empty reason → Failed with empty reason",
  crd([cond("Established", "False")]),
  failed("", ""),
);
add(
  "§3.11 CRD Established=False/Installing is passed over → Installing",
  crd([
    cond("NamesAccepted", "True"),
    cond("Established", "False", "Installing", "the CRD is installing"),
  ]),
  ip("Installing", "Install in progress"),
);
add(
  "§3.11 CRD Established=False/Installing, then Established=True → Current",
  crd([cond("Established", "False", "Installing"), cond("Established", "True")]),
  current("CRD is established"),
);
add(
  "§3.11 CRD scan order: Established=True before NamesAccepted=False → Current",
  crd([cond("Established", "True"), cond("NamesAccepted", "False", "Conflict", "taken")]),
  current("CRD is established"),
);
add(
  "§3.11 CRD Established=Unknown → Installing",
  crd([cond("Established", "Unknown")]),
  ip("Installing", "Install in progress"),
);
add(
  "§3.11 CRD without conditions → Installing `Install in progress`",
  crd(undefined),
  ip("Installing", "Install in progress"),
);
add(
  "§3.11 CRD v1beta1 → same rule",
  crd([cond("Established", "True")], "apiextensions.k8s.io/v1beta1"),
  current("CRD is established"),
);
add(
  "§2.4 CustomResourceDefinition in another group is generic",
  crd(undefined, "example.com/v1"),
  current("Resource is current"),
);

// ---------------------------------------------------------------------------------------------
// §2 steps 5-6 / §3.12: Ready fallback and default
// ---------------------------------------------------------------------------------------------

function widget(conditions: unknown[]): KubeObject {
  return obj("example.com/v1", "Widget", { status: { conditions } });
}

add(
  "§2.5 Ready=True → Current `Resource is Ready`",
  widget([cond("Ready", "True", "Succeeded", "all good")]),
  current("Resource is Ready"),
);
add(
  "§2.5 Ready=False → InProgress with the condition's reason and message",
  widget([cond("Ready", "False", "DependencyNotReady", "waiting for db")]),
  ip("DependencyNotReady", "waiting for db"),
);
add(
  "§2.5 Ready=Unknown → InProgress with the condition's reason and message",
  widget([cond("Ready", "Unknown", "Pending", "not checked yet")]),
  ip("Pending", "not checked yet"),
);
add(
  "§2.5 Ready=False without reason/message → InProgress with empty strings",
  widget([cond("Ready", "False")]),
  ip("", ""),
);
add(
  "§2.5 the first decisive Ready entry wins",
  widget([cond("Ready", "False", "A", "first"), cond("Ready", "True")]),
  ip("A", "first"),
);
add(
  "§2.5 a Ready entry with an odd status string is skipped, scanning continues",
  widget([cond("Ready", "Maybe", "Odd", "odd"), cond("Ready", "True")]),
  current("Resource is Ready"),
);
add(
  "§2.5 a Ready entry with a lowercase status is skipped, then Ready=False decides",
  widget([cond("Ready", "true"), cond("Ready", "False", "B", "second")]),
  ip("B", "second"),
);
add(
  "§2.5/§2.6 only odd Ready entries → `Resource is current`",
  widget([cond("Ready", "Maybe"), { type: "Ready" }]),
  current("Resource is current"),
);
add(
  "§2.5 other condition types are not Ready",
  widget([cond("Available", "False", "X", "x"), cond("ready", "False", "Y", "y")]),
  current("Resource is current"),
);
add(
  "§2.6 no conditions → Current `Resource is current`",
  widget([]),
  current("Resource is current"),
);
add(
  "§3.12 Namespace (core, no rule) → `Resource is current`",
  obj("v1", "Namespace", { status: { phase: "Active" } }),
  current("Resource is current"),
);
add(
  "§3.12 Ingress → Ready fallback applies",
  obj("networking.k8s.io/v1", "Ingress", {
    status: { conditions: [cond("Ready", "False", "NoLB", "no lb")] },
  }),
  ip("NoLB", "no lb"),
);
add(
  "§3.12 the Ready fallback does not apply to a kind with a rule (Service)",
  obj("v1", "Service", {
    spec: { type: "LoadBalancer" },
    status: { conditions: [cond("Ready", "True")] },
  }),
  ip("NoIPAssigned", "ClusterIP not set. Service type: LoadBalancer"),
);

// ---------------------------------------------------------------------------------------------
// Found by the parity test (tests/parity) against the Go original's status.Compute: each case
// below gave another result here before, and its expected result is what cli-utils returned.
// ---------------------------------------------------------------------------------------------

// §2.1 Whole numbers Go decodes as floats: JSON writes 1e21 and up with an exponent (`1e+21`),
// and 2^63 and up do not fit int64, so the original reads them as float64, not as integers.
add(
  "§2.1 metadata.generation 1e21 (JSON `1e+21`, a float to Go) → compute error",
  obj("v1", "ConfigMap", { metadata: { generation: 1e21 }, status: { observedGeneration: 1 } }),
  { error: true },
);
add(
  "§2.1 status.observedGeneration -1e21 → compute error",
  obj("v1", "ConfigMap", { metadata: { generation: 1 }, status: { observedGeneration: -1e21 } }),
  { error: true },
);
add(
  "§2.1 metadata.generation 2^63 (out of int64 range) → compute error",
  obj("v1", "ConfigMap", { metadata: { generation: 2 ** 63 }, status: { observedGeneration: 1 } }),
  { error: true },
);
add(
  "§2.1 the largest double below 2^63 is still an int64 (printed as JSON writes it)",
  obj("v1", "ConfigMap", {
    metadata: { generation: 9223372036854774784 },
    status: { observedGeneration: 1 },
  }),
  ip(
    "LatestGenerationNotObserved",
    "ConfigMap generation is 9223372036854775000, but latest observed generation is 1",
  ),
);
add(
  "§2.1 spec.replicas 1e21 is not an integer: the default 1 applies",
  rs({ replicas: 1e21 }, {
    replicas: 1,
    fullyLabeledReplicas: 1,
    availableReplicas: 1,
    readyReplicas: 1,
  }),
  current("ReplicaSet is available. Replicas: 1"),
);
add(
  "§2.1 status.replicas 2^63 is not an integer: the default 0 applies",
  rs({ replicas: 1 }, {
    replicas: 2 ** 63,
    fullyLabeledReplicas: 1,
    availableReplicas: 1,
    readyReplicas: 1,
  }),
  current("ReplicaSet is available. Replicas: 0"),
);
// Differences of counters are Go int arithmetic: exact beyond 2^53, wrapping on overflow.
add(
  "§3.4 ExtraPods beyond 2^53 is exact (Go int arithmetic)",
  rs({ replicas: 1 }, {
    replicas: 2 ** 62,
    fullyLabeledReplicas: 1,
    availableReplicas: 1,
    readyReplicas: 1,
  }),
  ip("ExtraPods", "Pending termination: 4611686018427387999"),
);
add(
  "§3.1 ExtraPods wraps around on int64 overflow, as in Go",
  deploy({ replicas: -9223372036854774784 }, {
    replicas: 9223372036854774784,
    updatedReplicas: 9223372036854774784,
  }),
  ip("ExtraPods", "Pending termination: -1616"),
);
add(
  "§3.2 partition rollout target beyond 2^53 is exact",
  sts({ replicas: 2 ** 53, updateStrategy: { rollingUpdate: { partition: -3 } } }, {
    replicas: 2 ** 53,
    readyReplicas: 2 ** 53,
    updatedReplicas: 2 ** 53,
  }),
  ip("PartitionRollout", "updated: 9007199254740992/9007199254740995"),
);

// §2 step 4: an apiVersion with more than one `/` does not parse; the original then sees no
// group and no kind, so no kind rule applies (the generation check still names the kind).
add(
  "§2 step 4 apiVersion `apps/v1/extra`: no Deployment rule → `Resource is current`",
  obj("apps/v1/extra", "Deployment", { spec: { replicas: 3 }, status: {} }),
  current("Resource is current"),
);
add(
  "§2 step 4 apiVersion `apps/v1/extra`: the Ready fallback applies",
  obj("apps/v1/extra", "Deployment", {
    spec: { replicas: 3 },
    status: { conditions: [cond("Ready", "False", "NotYet", "wait")] },
  }),
  ip("NotYet", "wait"),
);
add(
  "§2 step 4 apiVersion `a/b/c`: no Pod rule, so an unknown phase is no error",
  obj("a/b/c", "Pod", { status: { phase: "Unknown" } }),
  current("Resource is current"),
);
add(
  "§2 step 4 apiVersion `a/b/c`: the generation message still names the kind",
  obj("a/b/c", "Pod", { metadata: { generation: 2 }, status: { observedGeneration: 1 } }),
  ip("LatestGenerationNotObserved", "Pod generation is 2, but latest observed generation is 1"),
);

// §3.5 creationTimestamp is read with Go's time.Parse(time.RFC3339): a future date the original
// cannot parse is the zero time, so an unschedulable pod is Failed, not within the window.
for (
  const ts of [
    "2999-01-01",
    "2999-01-01T00:00:00",
    "Tue, 01 Jan 2999 00:00:00 GMT",
    "2999-02-30T00:00:00Z",
    "2999-01-01t00:00:00z",
    "+002999-01-01T00:00:00Z",
    "2999-01-01 00:00:00Z",
    "2999-01-01T24:00:00Z",
    "2999-01-01T00:00Z",
    "2999-01-01T00:00:00+0200",
    "2999-01-01T00:00:00+25:00",
    "2999-01-01T00:00:00Z ",
  ]
) {
  add(
    `§3.5 creationTimestamp ${JSON.stringify(ts)} is not RFC3339 to Go → PodUnschedulable`,
    pod({ phase: "Pending", conditions: [UNSCHEDULABLE] }, { creationTimestamp: ts }),
    failed("PodUnschedulable", "Pod could not be scheduled"),
  );
}
// ... and what Go's parser does accept beyond the strict form keeps a future pod in the window.
for (
  const ts of [
    "2999-01-01T9:00:00Z",
    "2999-01-01T00:00:00,5Z",
    "2999-01-01T00:00:00+24:00",
    "2999-01-01T00:00:00-23:60",
    "2999-01-01T00:00:00.123456789123Z",
    "2996-02-29T00:00:00Z",
  ]
) {
  add(
    `§3.5 creationTimestamp ${JSON.stringify(ts)} parses in Go → PodNotScheduled`,
    pod({ phase: "Pending", conditions: [UNSCHEDULABLE] }, { creationTimestamp: ts }),
    ip("PodNotScheduled", "Pod has not been scheduled"),
  );
}
