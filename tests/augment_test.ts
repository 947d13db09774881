/**
 * Contract tests for `augmentStatus` (`/work/shared/spec/kstatus.md` §4): the computed standard
 * conditions are written into `status.conditions`, appended or updated in place, with RFC3339 UTC
 * timestamps from the `now` option; stale conditions are never removed, the input is never
 * mutated, and malformed existing entries fail with the original's three error texts.
 *
 * @module
 */

import assert from "node:assert/strict";
import { augmentStatus, ComputeError, type KubeObject } from "../mod.ts";

/** The clock every case runs at; the milliseconds must not show in the timestamps. */
const NOW = new Date("2024-05-01T12:34:56.789Z");
/** `NOW` as Go's `time.RFC3339` prints a UTC time: second precision, `Z`. */
const T = "2024-05-01T12:34:56Z";
/** An older timestamp already present on conditions. */
const OLD = "2020-01-02T03:04:05Z";

/** A Deployment that computes to InProgress LessReplicas `Replicas: 1/3`. */
function shortDeployment(conditions?: unknown[]): KubeObject {
  const status: Record<string, unknown> = { replicas: 1, updatedReplicas: 1 };
  if (conditions !== undefined) status.conditions = conditions;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: { replicas: 3 },
    status,
  };
}

/** A Deployment whose generation is not observed yet: InProgress before conditions are parsed. */
function unobservedDeployment(conditions: unknown[]): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", generation: 2 },
    spec: { replicas: 1 },
    status: { observedGeneration: 1, conditions },
  };
}
const UNOBSERVED_MSG = "Deployment generation is 2, but latest observed generation is 1";

/** A running Pod with a crash-looping container: Failed ContainerCrashLooping. */
function crashingPod(conditions?: unknown[]): KubeObject {
  const status: Record<string, unknown> = {
    phase: "Running",
    containerStatuses: [{ name: "app", state: { waiting: { reason: "CrashLoopBackOff" } } }],
  };
  if (conditions !== undefined) status.conditions = conditions;
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, status };
}

/** A fully rolled-out Deployment: Current, so no condition is computed. */
function healthyDeployment(extra: unknown[] = []): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: { replicas: 2 },
    status: {
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        { type: "Available", status: "True", reason: "MinimumReplicasAvailable" },
        { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
        ...extra,
      ],
    },
  };
}

function conditionsOf(o: KubeObject): unknown[] {
  const status = o.status as Record<string, unknown>;
  return status.conditions as unknown[];
}

/** Runs augmentStatus and checks the input came out untouched. */
function augment(o: KubeObject): KubeObject {
  const before = structuredClone(o);
  const out = augmentStatus(o, { now: NOW });
  assert.deepStrictEqual(o, before, "augmentStatus must not mutate its input");
  assert.notEqual(out, o, "augmentStatus must return a new object");
  return out;
}

Deno.test("§4 appends a Reconciling condition with all six fields when there are none", () => {
  const out = augment(shortDeployment());
  assert.deepStrictEqual(conditionsOf(out), [{
    lastTransitionTime: T,
    lastUpdateTime: T,
    message: "Replicas: 1/3",
    reason: "LessReplicas",
    status: "True",
    type: "Reconciling",
  }]);
  // The rest of the object is carried over unchanged.
  const rest = structuredClone(out);
  delete (rest.status as Record<string, unknown>).conditions;
  assert.deepStrictEqual(rest, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: { replicas: 3 },
    status: { replicas: 1, updatedReplicas: 1 },
  });
});

Deno.test("§4 creates status and status.conditions when the object has no status", () => {
  const o: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } };
  const out = augment(o);
  assert.deepStrictEqual(out, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    status: {
      conditions: [{
        lastTransitionTime: T,
        lastUpdateTime: T,
        message: "Pod phase not available",
        reason: "PodNotObserved",
        status: "True",
        type: "Reconciling",
      }],
    },
  });
});

Deno.test("§4 appends after existing conditions of other types, keeping them as they are", () => {
  const existing = [
    { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "m" },
    {
      type: "Progressing",
      status: "True",
      reason: "ReplicaSetUpdated",
      lastTransitionTime: OLD,
      lastUpdateTime: OLD,
    },
  ];
  const out = augment(shortDeployment(structuredClone(existing)));
  assert.deepStrictEqual(conditionsOf(out), [
    ...existing,
    {
      lastTransitionTime: T,
      lastUpdateTime: T,
      message: "Replicas: 1/3",
      reason: "LessReplicas",
      status: "True",
      type: "Reconciling",
    },
  ]);
});

Deno.test("§4 appends a Stalled condition for a Failed result", () => {
  const out = augment(crashingPod());
  assert.deepStrictEqual(conditionsOf(out), [{
    lastTransitionTime: T,
    lastUpdateTime: T,
    message: "Containers in CrashLoop state: app",
    reason: "ContainerCrashLooping",
    status: "True",
    type: "Stalled",
  }]);
});

Deno.test("§4 in-place update, same status: lastTransitionTime kept, the rest refreshed", () => {
  const o = unobservedDeployment([
    { type: "Available", status: "True" },
    {
      type: "Reconciling",
      status: "True",
      reason: "Old",
      message: "old message",
      lastTransitionTime: OLD,
      lastUpdateTime: OLD,
      observedGeneration: 1,
    },
  ]);
  const out = augment(o);
  assert.deepStrictEqual(conditionsOf(out), [
    { type: "Available", status: "True" },
    {
      type: "Reconciling",
      status: "True",
      reason: "LatestGenerationNotObserved",
      message: UNOBSERVED_MSG,
      lastTransitionTime: OLD,
      lastUpdateTime: T,
      // fields augment does not own stay
      observedGeneration: 1,
    },
  ]);
});

Deno.test("§4 in-place update, status changes: lastTransitionTime set to now", () => {
  const o = shortDeployment([
    {
      type: "Reconciling",
      status: "False",
      reason: "Done",
      message: "done",
      lastTransitionTime: OLD,
      lastUpdateTime: OLD,
    },
  ]);
  const out = augment(o);
  assert.deepStrictEqual(conditionsOf(out), [{
    type: "Reconciling",
    status: "True",
    reason: "LessReplicas",
    message: "Replicas: 1/3",
    lastTransitionTime: T,
    lastUpdateTime: T,
  }]);
});

Deno.test("§4 in-place update of an entry without timestamps adds lastUpdateTime only", () => {
  const o = unobservedDeployment([{ type: "Reconciling", status: "True" }]);
  const out = augment(o);
  assert.deepStrictEqual(conditionsOf(out), [{
    type: "Reconciling",
    status: "True",
    reason: "LatestGenerationNotObserved",
    message: UNOBSERVED_MSG,
    lastUpdateTime: T,
  }]);
});

Deno.test("§4 in-place update of a Stalled entry for a Failed result", () => {
  const o = crashingPod([
    { type: "Ready", status: "False", reason: "ContainersNotReady" },
    { type: "Stalled", status: "Unknown", lastTransitionTime: OLD, lastUpdateTime: OLD },
  ]);
  const out = augment(o);
  assert.deepStrictEqual(conditionsOf(out), [
    { type: "Ready", status: "False", reason: "ContainersNotReady" },
    {
      type: "Stalled",
      status: "True",
      reason: "ContainerCrashLooping",
      message: "Containers in CrashLoop state: app",
      lastTransitionTime: T,
      lastUpdateTime: T,
    },
  ]);
});

// §4 says an entry "of the same type" is updated; the Go original (status.go Augment) walks the
// whole list without stopping, so every entry of that type is updated and none is appended.
Deno.test("§4 every existing entry of the computed type is updated, none appended", () => {
  const o = unobservedDeployment([
    { type: "Reconciling", status: "False", lastTransitionTime: OLD, lastUpdateTime: OLD },
    { type: "Available", status: "False" },
    { type: "Reconciling", status: "True", lastTransitionTime: OLD, lastUpdateTime: OLD },
  ]);
  const out = augment(o);
  assert.deepStrictEqual(conditionsOf(out), [
    {
      type: "Reconciling",
      status: "True",
      reason: "LatestGenerationNotObserved",
      message: UNOBSERVED_MSG,
      lastTransitionTime: T,
      lastUpdateTime: T,
    },
    { type: "Available", status: "False" },
    {
      type: "Reconciling",
      status: "True",
      reason: "LatestGenerationNotObserved",
      message: UNOBSERVED_MSG,
      lastTransitionTime: OLD,
      lastUpdateTime: T,
    },
  ]);
});

Deno.test("§4 an InProgress result leaves an existing Stalled entry alone (no removal)", () => {
  const stalled = {
    type: "Stalled",
    status: "False",
    reason: "Fine",
    message: "was fine",
    lastTransitionTime: OLD,
    lastUpdateTime: OLD,
  };
  const out = augment(shortDeployment([structuredClone(stalled)]));
  assert.deepStrictEqual(conditionsOf(out), [
    stalled,
    {
      lastTransitionTime: T,
      lastUpdateTime: T,
      message: "Replicas: 1/3",
      reason: "LessReplicas",
      status: "True",
      type: "Reconciling",
    },
  ]);
});

Deno.test("§4 a Current result leaves the object unchanged, stale conditions included", () => {
  const o = healthyDeployment([
    { type: "Reconciling", status: "False", reason: "Done", lastTransitionTime: OLD },
    { type: "Stalled", status: "False", reason: "Fine", lastTransitionTime: OLD },
  ]);
  const out = augment(o);
  assert.deepStrictEqual(out, o);
});

Deno.test("§4 a Current result on an object without status adds no condition", () => {
  const o: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } };
  const out = augment(o);
  // Go's Augment writes back the (empty) list it read; only a missing or empty list is acceptable.
  const status = out.status as Record<string, unknown> | undefined;
  const conds = status?.conditions;
  assert.ok(conds === undefined || (Array.isArray(conds) && conds.length === 0), String(conds));
  assert.deepStrictEqual(out.metadata, { name: "c" });
});

Deno.test("§4 a Terminating result adds no condition", () => {
  const o: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", deletionTimestamp: "2024-05-01T12:00:00Z" },
    spec: { replicas: 3 },
    status: { replicas: 0, conditions: [{ type: "Available", status: "False" }] },
  };
  const out = augment(o);
  assert.deepStrictEqual(out, o);
});

Deno.test("§4 timestamps are RFC3339 UTC with second precision, whatever the input zone", () => {
  const out = augmentStatus(shortDeployment(), { now: new Date("2024-12-31T23:59:59.999-05:00") });
  const [c] = conditionsOf(out) as Record<string, string>[];
  assert.equal(c.lastTransitionTime, "2025-01-01T04:59:59Z");
  assert.equal(c.lastUpdateTime, "2025-01-01T04:59:59Z");
  assert.match(c.lastTransitionTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
});

Deno.test("§4 the result shares no mutable state with the input", () => {
  const existing = [{ type: "Available", status: "True", reason: "A", message: "a" }];
  const o = shortDeployment(existing);
  const before = structuredClone(o);
  const out = augmentStatus(o, { now: NOW });
  const conds = conditionsOf(out) as Record<string, string>[];
  conds[0].reason = "changed";
  conds.push({ type: "X", status: "True" });
  (out.spec as Record<string, unknown>).replicas = 99;
  (out.metadata as Record<string, unknown>).name = "other";
  assert.deepStrictEqual(o, before);
});

Deno.test("§4 a compute error is thrown as ComputeError", () => {
  const o: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    status: { phase: "Gone" },
  };
  assert.throws(
    () => augmentStatus(o, { now: NOW }),
    (e: unknown) => e instanceof ComputeError && e.message === "unknown phase Gone",
  );
});

/** Asserts augmentStatus fails with exactly `message` and leaves the input alone. */
function assertAugmentError(o: KubeObject, message: string) {
  const before = structuredClone(o);
  assert.throws(
    () => augmentStatus(o, { now: NOW }),
    (e: unknown) => {
      assert.ok(e instanceof Error, `expected an Error, got ${e}`);
      assert.equal(e.message, message);
      return true;
    },
  );
  assert.deepStrictEqual(o, before);
}

// Computing must succeed for Augment to look at the entries: a generation mismatch is decided
// before conditions are parsed (§2 step 2), so a non-object entry only trips Augment.
Deno.test("§4 error: a non-object condition entry", () => {
  assertAugmentError(
    unobservedDeployment([{ type: "Available", status: "True" }, "Reconciling"]),
    "condition does not have the expected structure",
  );
});

// A null entry passes Compute (it reads as an empty condition) but is not an object for Augment.
Deno.test("§4 error: a null condition entry", () => {
  assertAugmentError(shortDeployment([null]), "condition does not have the expected structure");
});

Deno.test("§4 error: a condition entry without a type", () => {
  assertAugmentError(
    shortDeployment([{ status: "True", reason: "NoType" }]),
    "condition type does not have the expected type",
  );
});

Deno.test("§4 error: a condition entry with a non-string type", () => {
  assertAugmentError(
    unobservedDeployment([{ type: 7, status: "True" }]),
    "condition type does not have the expected type",
  );
});

Deno.test("§4 error: an entry of the computed type without a status", () => {
  assertAugmentError(
    shortDeployment([{ type: "Reconciling", reason: "NoStatus" }]),
    "condition status does not have the expected type",
  );
});

Deno.test("§4 error: an entry of the computed type with a non-string status", () => {
  assertAugmentError(
    unobservedDeployment([{ type: "Reconciling", status: true }]),
    "condition status does not have the expected type",
  );
});

// The status of an entry is only read when its type matches a computed condition (Go Augment).
Deno.test("§4 an entry of another type without a status is not an error", () => {
  const out = augment(shortDeployment([{ type: "Available" }]));
  assert.deepStrictEqual(conditionsOf(out), [
    { type: "Available" },
    {
      lastTransitionTime: T,
      lastUpdateTime: T,
      message: "Replicas: 1/3",
      reason: "LessReplicas",
      status: "True",
      type: "Reconciling",
    },
  ]);
});

// With a Current result there is nothing to write, so existing entries are never inspected.
Deno.test("§4 a Current result does not inspect malformed entries", () => {
  const o: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "c" },
    status: { conditions: [{ status: "True" }] },
  };
  const out = augment(o);
  assert.deepStrictEqual(out, o);
});

// §4 is silent on these; the Go original reads the list with unstructured.NestedSlice (a present
// null is "not a list": error) and writes it back with SetNestedSlice (a null status is "not a
// map": error), so both fail there instead of creating the list.
Deno.test("§4 (Go) status.conditions: null fails instead of being treated as absent", () => {
  const o = shortDeployment();
  (o.status as Record<string, unknown>).conditions = null;
  const before = structuredClone(o);
  assert.throws(() => augmentStatus(o, { now: NOW }), Error);
  assert.deepStrictEqual(o, before);
});

Deno.test("§4 (Go) status: null fails instead of a status being created", () => {
  const o: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, status: null };
  const before = structuredClone(o);
  assert.throws(() => augmentStatus(o, { now: NOW }), Error);
  assert.deepStrictEqual(o, before);
});

// Found by the parity test against the Go original: a result without conditions (Terminating
// is reached before the status is parsed) still has Augment read status.conditions, and a status
// that is not an object fails that read (`.status.conditions accessor error: ...`).
for (const status of ["broken", [], 5]) {
  Deno.test(`§4 (Go) a Terminating object whose status is ${JSON.stringify(status)} fails`, () => {
    const o: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c", deletionTimestamp: "2024-01-01T00:00:00Z" },
      status,
    };
    const before = structuredClone(o);
    assert.throws(() => augmentStatus(o, { now: NOW }), ComputeError);
    assert.deepStrictEqual(o, before);
  });
}
