/**
 * Contract status rule for `apps/ReplicaSet` and `extensions/ReplicaSet`.
 *
 * @module
 */

import { current, describeCondition, findCondition, inProgress } from "../../conditions.ts";
import { goSub, intField } from "../../fields.ts";
import type { ComputeResult, KubeObject } from "../../types.ts";
import { below, type RuleContext } from "./rule.ts";

/** Computes a ReplicaSet's status; a ReplicaFailure is InProgress, not Failed. */
export function replicaSetRule(obj: KubeObject, { conditions }: RuleContext): ComputeResult {
  if (findCondition(conditions, "ReplicaFailure", "True")) {
    return inProgress(
      "ReplicaFailure",
      "Replica Failure condition. Check Pods",
      describeCondition(
        conditions.find((c) => c.type === "ReplicaFailure" && c.status === "True")!,
      ),
    );
  }
  const spec = intField(obj, ["spec", "replicas"], 1);
  const labelled = intField(obj, ["status", "fullyLabeledReplicas"], 0);
  const available = intField(obj, ["status", "availableReplicas"], 0);
  const ready = intField(obj, ["status", "readyReplicas"], 0);
  const replicas = intField(obj, ["status", "replicas"], 0);
  if (spec > labelled) {
    return inProgress(
      "LessLabelled",
      `Labelled: ${labelled}/${spec}`,
      below("fullyLabeledReplicas", labelled, spec),
    );
  }
  if (spec > available) {
    return inProgress(
      "LessAvailable",
      `Available: ${available}/${spec}`,
      below("availableReplicas", available, spec),
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
  return current(`ReplicaSet is available. Replicas: ${replicas}`);
}
