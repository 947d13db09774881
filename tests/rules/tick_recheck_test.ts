import assert from "node:assert/strict";
import {
  computeStatus,
  type KubeObject,
  podVerdictMayExpire,
  type ResourceStatus,
  SCHEDULE_WINDOW_MS,
  tickRecheck,
} from "../../mod.ts";

const CREATED = "2026-01-01T00:00:00Z";

function pod(status: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "ns", creationTimestamp: CREATED },
    status,
  };
}

const unschedulable = pod({
  phase: "Pending",
  conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }],
});

function node(
  kind: string,
  status: ResourceStatus["status"],
  o: Partial<ResourceStatus> = {},
): ResourceStatus {
  return {
    identifier: { group: kind === "Pod" ? "" : "apps", kind, namespace: "ns", name: "x" },
    status,
    message: "",
    generatedResources: [],
    ...o,
  };
}

Deno.test("podVerdictMayExpire: exactly the pods whose verdict reads the clock", () => {
  // The verdict it predicts: InProgress inside the window, Failed after it, nothing written.
  const at = (ms: number) =>
    computeStatus(unschedulable, { now: new Date(Date.parse(CREATED) + ms) });
  assert.equal(at(SCHEDULE_WINDOW_MS - 1).status, "InProgress");
  assert.equal(at(SCHEDULE_WINDOW_MS + 1).status, "Failed");
  assert.equal(podVerdictMayExpire(unschedulable), true);

  for (
    const settled of [
      pod({ phase: "Pending" }),
      pod({
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulerError" }],
      }),
      pod({ phase: "Running", conditions: [{ type: "Ready", status: "True" }] }),
      pod({ phase: "Succeeded" }),
    ]
  ) {
    const a = computeStatus(settled, { now: new Date(Date.parse(CREATED)) });
    const b = computeStatus(settled, {
      now: new Date(Date.parse(CREATED) + 10 * SCHEDULE_WINDOW_MS),
    });
    assert.deepEqual(a, b, "no clock in this verdict");
    assert.equal(podVerdictMayExpire(settled), false);
  }
  // Malformed: no telling, so it is rechecked.
  assert.equal(podVerdictMayExpire(pod({ phase: "Pending", conditions: 42 })), true);
});

Deno.test("tickRecheck: failed reads, missing objects and expiring pods anywhere in the tree", () => {
  assert.equal(tickRecheck(node("Deployment", "Current")), false);
  assert.equal(tickRecheck(node("Deployment", "InProgress")), false);
  assert.equal(tickRecheck(node("Deployment", "Unknown")), true);
  assert.equal(tickRecheck(node("Deployment", "NotFound")), true);
  assert.equal(tickRecheck(node("Deployment", "Current", { error: new Error("x") })), true);
  const tree = (p: KubeObject) =>
    node("Deployment", "Current", {
      generatedResources: [
        node("ReplicaSet", "Current", {
          generatedResources: [node("Pod", "InProgress", { resource: p })],
        }),
      ],
    });
  assert.equal(tickRecheck(tree(unschedulable)), true);
  assert.equal(tickRecheck(tree(pod({ phase: "Pending" }))), false);
  assert.equal(tickRecheck(node("Pod", "InProgress", { resource: unschedulable })), true);
  // Judged Failed once its window passed: settled for good.
  assert.equal(tickRecheck(node("Pod", "Failed", { resource: unschedulable })), false);
});
