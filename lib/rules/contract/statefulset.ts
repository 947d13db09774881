/**
 * Contract status rule for `apps/StatefulSet`.
 *
 * @module
 */

import { current, inProgress } from "../../conditions.ts";
import { goSub, intField, stringField } from "../../fields.ts";
import type { ComputeResult, KubeObject } from "../../types.ts";
import { below } from "./rule.ts";

/** Computes a StatefulSet's status; the controller sets no conditions, so counters decide. */
export function statefulSetRule(obj: KubeObject): ComputeResult {
  if (stringField(obj, ["spec", "updateStrategy", "type"], "") === "OnDelete") {
    return current("StatefulSet is using the ondelete update strategy");
  }
  const spec = intField(obj, ["spec", "replicas"], 1);
  const replicas = intField(obj, ["status", "replicas"], 0);
  const ready = intField(obj, ["status", "readyReplicas"], 0);
  const currentReplicas = intField(obj, ["status", "currentReplicas"], 0);
  const updated = intField(obj, ["status", "updatedReplicas"], 0);

  if (spec > replicas) {
    return inProgress(
      "LessReplicas",
      `Replicas: ${replicas}/${spec}`,
      below("replicas", replicas, spec),
    );
  }
  if (spec > ready) {
    return inProgress("LessReady", `Ready: ${ready}/${spec}`, below("readyReplicas", ready, spec));
  }
  if (replicas > spec) {
    return inProgress(
      "ExtraPods",
      `Pending termination: ${goSub(replicas, spec)}`,
      `status.replicas ${replicas} > spec.replicas ${spec}`,
    );
  }

  const partition = intField(obj, ["spec", "updateStrategy", "rollingUpdate", "partition"], -1);
  if (partition !== -1) {
    const wanted = goSub(spec, partition);
    if (BigInt(String(updated)) < wanted) {
      return inProgress(
        "PartitionRollout",
        `updated: ${updated}/${wanted}`,
        `status.updatedReplicas ${updated} < ${wanted} above spec.updateStrategy.rollingUpdate.partition`,
      );
    }
    return current(`Partition rollout complete. updated: ${updated}`);
  }
  if (spec > currentReplicas) {
    return inProgress(
      "LessCurrent",
      `current: ${currentReplicas}/${spec}`,
      below("currentReplicas", currentReplicas, spec),
    );
  }
  if (
    stringField(obj, ["status", "currentRevision"], "") !==
      stringField(obj, ["status", "updateRevision"], "")
  ) {
    return inProgress(
      "RevisionMismatch",
      "Waiting for updated revision to match current",
      "status.currentRevision != status.updateRevision",
    );
  }
  return current(`All replicas scheduled as expected. Replicas: ${replicas}`);
}
