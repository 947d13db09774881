/**
 * `decidedBy`: the condition or field that gave a verdict, as the contract rules and the generic
 * checks say it.
 *
 * @module
 */

import assert from "node:assert/strict";
import { computeStatus } from "../../mod.ts";
import { NOW, obj, pod } from "../compute_cases.ts";

const decided = (o: Record<string, unknown>) => computeStatus(o, { now: NOW }).decidedBy;

Deno.test("decidedBy: a Deployment's replica counters name the fields and values", () => {
  const d = obj("apps/v1", "Deployment", {
    spec: { replicas: 2 },
    status: { replicas: 2, updatedReplicas: 1 },
  });
  assert.equal(decided(d), "status.updatedReplicas 1 < spec.replicas 2");
});

Deno.test("decidedBy: a Deployment waiting on Available names the condition and reason", () => {
  const d = obj("apps/v1", "Deployment", {
    spec: { replicas: 1 },
    status: {
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [
        { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
        { type: "Available", status: "False", reason: "MinimumReplicasUnavailable" },
      ],
    },
  });
  assert.equal(decided(d), "Available=False (MinimumReplicasUnavailable)");
});

Deno.test("decidedBy: a crash-looping pod names the container", () => {
  const p = pod({
    phase: "Running",
    containerStatuses: [{ name: "app", state: { waiting: { reason: "CrashLoopBackOff" } } }],
  });
  assert.equal(decided(p), "container app waiting: CrashLoopBackOff");
});

Deno.test("decidedBy: an unschedulable pod carries the scheduler's message", () => {
  const p = pod({
    phase: "Pending",
    conditions: [{
      type: "PodScheduled",
      status: "False",
      reason: "Unschedulable",
      message: "0/1 nodes are available: 1 Insufficient cpu.",
    }],
  });
  assert.equal(
    decided(p),
    "PodScheduled=False (Unschedulable): 0/1 nodes are available: 1 Insufficient cpu.",
  );
});

Deno.test("decidedBy: the generic checks name generation, standard and Ready conditions", () => {
  assert.equal(
    decided(obj("example.com/v1", "Widget", {
      metadata: { name: "w", generation: 3 },
      status: { observedGeneration: 2 },
    })),
    "status.observedGeneration 2 != metadata.generation 3",
  );
  assert.equal(
    decided(obj("example.com/v1", "Widget", {
      status: { conditions: [{ type: "Stalled", status: "True", reason: "Broken" }] },
    })),
    "Stalled=True (Broken)",
  );
  assert.equal(
    decided(obj("example.com/v1", "Widget", {
      status: { conditions: [{ type: "Ready", status: "False", reason: "Waiting" }] },
    })),
    "Ready=False (Waiting)",
  );
  // Nothing in particular decided "no conditions at all": no decidedBy.
  assert.equal(decided(obj("example.com/v1", "Widget")), undefined);
});
