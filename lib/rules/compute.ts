/**
 * `computeStatus`: the status of one object from its own content, exactly as
 * the Go original's `status.Compute`. It never talks to a cluster.
 *
 * @module
 */

import { KIND_RULES } from "./contract/kind_rules.ts";
import {
  current,
  describeCondition,
  inProgress,
  readConditions,
  withDecidedBy,
} from "../conditions.ts";
import { ComputeError } from "../errors.ts";
import { isObject, strictInt, strictString } from "../fields.ts";
import { groupKindKey, groupKindOf, identifierOf } from "../groupkind.ts";
import type { ComputeOptions, ComputeResult, Condition, KubeObject } from "../types.ts";

/**
 * Computes the status of a Kubernetes object: Terminating, then the
 * generation check, then the standard `Reconciling`/`Stalled` conditions, then
 * the rule of its kind, then its `Ready` condition, else Current.
 *
 * @throws {ComputeError} where the Go original fails: an unknown pod phase,
 *   a `null` or non-integer generation, malformed conditions.
 *
 * @example
 * ```ts
 * import { computeStatus } from "@kstatus/kstatus";
 * const result = computeStatus({
 *   apiVersion: "apps/v1",
 *   kind: "Deployment",
 *   metadata: { name: "web", generation: 2 },
 *   spec: { replicas: 3 },
 *   status: { observedGeneration: 1 },
 * });
 * console.log(result.status, result.message);
 * // InProgress Deployment generation is 2, but latest observed generation is 1
 * ```
 */
export function computeStatus(obj: KubeObject, options: ComputeOptions = {}): ComputeResult {
  if (!isObject(obj)) throw new ComputeError("object is not a JSON object");
  try {
    return compute(obj, options.now ?? new Date());
  } catch (e) {
    if (e instanceof ComputeError) e.resource ??= identifierOf(obj);
    throw e;
  }
}

function compute(obj: KubeObject, now: Date): ComputeResult {
  const deletion = withContext(
    "metadata.deletionTimestamp",
    () => strictString(obj, ["metadata", "deletionTimestamp"]),
  );
  if (deletion) {
    return {
      status: "Terminating",
      message: "Resource scheduled for deletion",
      conditions: [],
      decidedBy: `metadata.deletionTimestamp ${deletion}`,
    };
  }
  const generationResult = checkGeneration(obj);
  if (generationResult) return generationResult;

  const conditions = readConditions(obj);
  const standard = standardConditionResult(conditions);
  if (standard) return standard;

  const rule = KIND_RULES.get(ruleKey(obj));
  if (rule) return rule(obj, { conditions, now });

  return readyConditionResult(conditions) ?? current("Resource is current");
}

/**
 * The key of the kind's rule, from the group and kind as the original reads them: an
 * `apiVersion` with more than one `/` does not parse, and the original then sees no group and
 * no kind at all, so no rule applies.
 */
function ruleKey(obj: KubeObject): string {
  if (typeof obj.apiVersion === "string" && obj.apiVersion.split("/").length > 2) return "";
  return groupKindKey(groupKindOf(obj));
}

function checkGeneration(obj: KubeObject): ComputeResult | undefined {
  const generation = withContext(
    "metadata.generation",
    () => strictInt(obj, ["metadata", "generation"]),
  );
  if (generation === undefined) return undefined;
  const observed = withContext(
    "status.observedGeneration",
    () => strictInt(obj, ["status", "observedGeneration"]),
  );
  if (observed === undefined || observed === generation) return undefined;
  const kind = typeof obj.kind === "string" ? obj.kind : "";
  return inProgress(
    "LatestGenerationNotObserved",
    `${kind} generation is ${generation}, but latest observed generation is ${observed}`,
    `status.observedGeneration ${observed} != metadata.generation ${generation}`,
  );
}

/** The first `Reconciling=True` or `Stalled=True`, in array order, decides. */
function standardConditionResult(conditions: readonly Condition[]): ComputeResult | undefined {
  for (const c of conditions) {
    if (c.status !== "True") continue;
    if (c.type === "Reconciling") return inProgress(c.reason, c.message, describeCondition(c));
    if (c.type === "Stalled") {
      return withDecidedBy({
        status: "Failed",
        message: c.message,
        conditions: [{ type: "Stalled", status: "True", reason: c.reason, message: c.message }],
      }, describeCondition(c));
    }
  }
  return undefined;
}

/** For kinds without a rule: the first `Ready` condition with a known status decides. */
function readyConditionResult(conditions: readonly Condition[]): ComputeResult | undefined {
  for (const c of conditions) {
    if (c.type !== "Ready") continue;
    if (c.status === "True") return current("Resource is Ready", describeCondition(c));
    if (c.status === "False" || c.status === "Unknown") {
      return inProgress(c.reason, c.message, describeCondition(c));
    }
  }
  return undefined;
}

function withContext<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new ComputeError(`looking up ${field} from resource: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
