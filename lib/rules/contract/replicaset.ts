/**
 * Contract status rule for `apps/ReplicaSet` and `extensions/ReplicaSet`.
 *
 * @module
 */

import { current, findCondition, inProgress } from "../../conditions.ts";
import { goSub, intField } from "../../fields.ts";
import type { ComputeResult, KubeObject } from "../../types.ts";
import type { RuleContext } from "./rule.ts";

/** Computes a ReplicaSet's status; a ReplicaFailure is InProgress, not Failed. */
export function replicaSetRule(obj: KubeObject, { conditions }: RuleContext): ComputeResult {
  if (findCondition(conditions, "ReplicaFailure", "True")) {
    return inProgress("ReplicaFailure", "Replica Failure condition. Check Pods");
  }
  const spec = intField(obj, ["spec", "replicas"], 1);
  const labelled = intField(obj, ["status", "fullyLabeledReplicas"], 0);
  const available = intField(obj, ["status", "availableReplicas"], 0);
  const ready = intField(obj, ["status", "readyReplicas"], 0);
  const replicas = intField(obj, ["status", "replicas"], 0);
  if (spec > labelled) return inProgress("LessLabelled", `Labelled: ${labelled}/${spec}`);
  if (spec > available) return inProgress("LessAvailable", `Available: ${available}/${spec}`);
  if (spec > ready) return inProgress("LessReady", `Ready: ${ready}/${spec}`);
  if (replicas > spec) {
    return inProgress("ExtraPods", `Pending termination: ${goSub(replicas, spec)}`);
  }
  return current(`ReplicaSet is available. Replicas: ${replicas}`);
}
