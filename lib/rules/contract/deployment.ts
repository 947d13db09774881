/**
 * Contract status rule for `apps/Deployment` and `extensions/Deployment`.
 *
 * @module
 */

import { current, describeCondition, failed, inProgress } from "../../conditions.ts";
import { goSub, intField } from "../../fields.ts";
import type { ComputeResult, KubeObject } from "../../types.ts";
import type { RuleContext } from "./rule.ts";

/** The Progressing condition is not set by the controller when the deadline is this value. */
const NO_PROGRESS_DEADLINE = 2147483647;

/** Computes a Deployment's status from its replica counters and conditions. */
export function deploymentRule(obj: KubeObject, { conditions }: RuleContext): ComputeResult {
  let progressing = intField(obj, ["spec", "progressDeadlineSeconds"], NO_PROGRESS_DEADLINE) ===
    NO_PROGRESS_DEADLINE;
  let available = false;
  for (const c of conditions) {
    if (c.type === "Progressing") {
      // The reason decides, whatever the condition's status says.
      if (c.reason === "ProgressDeadlineExceeded") {
        return {
          ...failed(c.reason, "Progress deadline exceeded", describeCondition(c)),
          conditions: [{ type: "Stalled", status: "True", reason: c.reason, message: c.message }],
        };
      }
      if (c.status === "True" && c.reason === "NewReplicaSetAvailable") progressing = true;
    } else if (c.type === "Available" && c.status === "True") {
      available = true;
    }
  }
  const spec = intField(obj, ["spec", "replicas"], 1);
  const replicas = intField(obj, ["status", "replicas"], 0);
  const updated = intField(obj, ["status", "updatedReplicas"], 0);
  const ready = intField(obj, ["status", "readyReplicas"], 0);
  const availableReplicas = intField(obj, ["status", "availableReplicas"], 0);

  if (spec > replicas) {
    return inProgress(
      "LessReplicas",
      `Replicas: ${replicas}/${spec}`,
      `status.replicas ${replicas} < spec.replicas ${spec}`,
    );
  }
  if (spec > updated) {
    return inProgress(
      "LessUpdated",
      `Updated: ${updated}/${spec}`,
      `status.updatedReplicas ${updated} < spec.replicas ${spec}`,
    );
  }
  if (replicas > spec) {
    return inProgress(
      "ExtraPods",
      `Pending termination: ${goSub(replicas, spec)}`,
      `status.replicas ${replicas} > spec.replicas ${spec}`,
    );
  }
  if (updated > availableReplicas) {
    return inProgress(
      "LessAvailable",
      `Available: ${availableReplicas}/${updated}`,
      `status.availableReplicas ${availableReplicas} < status.updatedReplicas ${updated}`,
    );
  }
  if (spec > ready) {
    return inProgress(
      "LessReady",
      `Ready: ${ready}/${spec}`,
      `status.readyReplicas ${ready} < spec.replicas ${spec}`,
    );
  }
  const progressingCondition = conditions.find((c) => c.type === "Progressing");
  if (!progressing) {
    return inProgress(
      "ReplicaSetNotAvailable",
      "ReplicaSet not Available",
      progressingCondition
        ? `${describeCondition(progressingCondition)}, not True (NewReplicaSetAvailable)`
        : "no Progressing condition",
    );
  }
  const availableCondition = conditions.find((c) => c.type === "Available");
  if (!available) {
    return inProgress(
      "DeploymentNotAvailable",
      "Deployment not Available",
      availableCondition ? describeCondition(availableCondition) : "no Available condition",
    );
  }
  return current(
    `Deployment is available. Replicas: ${replicas}`,
    `Available=True, status.replicas ${replicas} all updated, available and ready`,
  );
}
