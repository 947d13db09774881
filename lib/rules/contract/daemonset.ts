/**
 * Contract status rule for `apps/DaemonSet` and `extensions/DaemonSet`.
 *
 * @module
 */

import { current, inProgress } from "../../conditions.ts";
import { intField, strictInt } from "../../fields.ts";
import type { ComputeResult, KubeObject } from "../../types.ts";
import { kindOf } from "./rule.ts";

/** Computes a DaemonSet's status; both generations must be present. */
export function daemonSetRule(obj: KubeObject): ComputeResult {
  const kind = kindOf(obj);
  // The generic check skips a missing generation; a DaemonSet needs both.
  if (strictInt(obj, ["metadata", "generation"]) === undefined) {
    return inProgress("NoGeneration", `${kind} metadata.generation not found`);
  }
  if (strictInt(obj, ["status", "observedGeneration"]) === undefined) {
    return inProgress("NoObservedGeneration", `${kind} status.observedGeneration not found`);
  }
  const desired = intField(obj, ["status", "desiredNumberScheduled"], -1);
  if (desired === -1) {
    return inProgress("NoDesiredNumber", "Missing .status.desiredNumberScheduled");
  }
  const scheduled = intField(obj, ["status", "currentNumberScheduled"], 0);
  const updated = intField(obj, ["status", "updatedNumberScheduled"], 0);
  const available = intField(obj, ["status", "numberAvailable"], 0);
  const ready = intField(obj, ["status", "numberReady"], 0);
  const short = (field: string, have: number) =>
    `status.${field} ${have} < status.desiredNumberScheduled ${desired}`;
  if (desired > scheduled) {
    return inProgress(
      "LessCurrent",
      `Current: ${scheduled}/${desired}`,
      short("currentNumberScheduled", scheduled),
    );
  }
  if (desired > updated) {
    return inProgress(
      "LessUpdated",
      `Updated: ${updated}/${desired}`,
      short("updatedNumberScheduled", updated),
    );
  }
  if (desired > available) {
    return inProgress(
      "LessAvailable",
      `Available: ${available}/${desired}`,
      short("numberAvailable", available),
    );
  }
  if (desired > ready) {
    return inProgress("LessReady", `Ready: ${ready}/${desired}`, short("numberReady", ready));
  }
  return current(`All replicas scheduled as expected. Replicas: ${desired}`);
}
