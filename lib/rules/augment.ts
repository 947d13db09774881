/**
 * `augmentStatus`: an object with the computed standard conditions merged
 * into its `status.conditions`, as the Go original's `status.Augment`.
 *
 * @module
 */

import { computeStatus } from "./compute.ts";
import { ComputeError } from "../errors.ts";
import { isObject } from "../fields.ts";
import type { ComputeOptions, KubeObject } from "../types.ts";

/**
 * Returns a copy of `obj` whose `status.conditions` carry the computed
 * `Reconciling`/`Stalled` condition: an entry of the same type is updated
 * (its `lastTransitionTime` only when the status changes), otherwise one is
 * appended. Stale conditions are never removed. The input is not mutated.
 *
 * @throws {ComputeError} when the status cannot be computed or an existing
 *   condition entry is malformed.
 *
 * @example
 * ```ts
 * import { augmentStatus } from "@kstatus/kstatus";
 * const out = augmentStatus({
 *   apiVersion: "v1",
 *   kind: "Pod",
 *   metadata: { name: "p" },
 *   status: { phase: "Pending" },
 * });
 * console.log((out.status as { conditions: unknown[] }).conditions.length); // 1
 * ```
 */
export function augmentStatus(obj: KubeObject, options: ComputeOptions = {}): KubeObject {
  const result = computeStatus(obj, options);
  const copy = structuredClone(obj);
  // As the original's field helpers: a present but null list is not a list, and a null
  // status cannot be written into.
  if (copy.status === null) {
    throw new ComputeError("value cannot be set because .status is null, not an object");
  }
  // A status that is there but not an object (a string, a list) cannot be read for its
  // conditions: the original fails even when the result has no condition to write (Terminating).
  if (copy.status !== undefined && !isObject(copy.status)) {
    throw new ComputeError(
      `.status.conditions accessor error: .status is ${JSON.stringify(copy.status)}, not an object`,
    );
  }
  const status = isObject(copy.status) ? copy.status : {};
  const existing = status.conditions;
  if (existing !== undefined && !Array.isArray(existing)) {
    throw new ComputeError(
      `.status.conditions accessor error: ${existing === null ? "null" : typeof existing} ` +
        "is not a list",
    );
  }
  const conditions: unknown[] = Array.isArray(existing) ? existing : [];
  // Whole seconds, as Go's RFC3339 formatting of time.Now().UTC().
  const now = (options.now ?? new Date()).toISOString().replace(/\.\d+Z$/, "Z");

  for (const computed of result.conditions) {
    let present = false;
    for (const entry of conditions) {
      if (!isObject(entry)) {
        throw new ComputeError("condition does not have the expected structure");
      }
      if (typeof entry.type !== "string") {
        throw new ComputeError("condition type does not have the expected type");
      }
      if (entry.type !== computed.type) continue;
      if (typeof entry.status !== "string") {
        throw new ComputeError("condition status does not have the expected type");
      }
      if (entry.status !== computed.status) entry.lastTransitionTime = now;
      entry.status = computed.status;
      entry.lastUpdateTime = now;
      entry.reason = computed.reason;
      entry.message = computed.message;
      present = true;
    }
    if (!present) {
      conditions.push({
        lastTransitionTime: now,
        lastUpdateTime: now,
        message: computed.message,
        reason: computed.reason,
        status: computed.status,
        type: computed.type,
      });
    }
  }
  // Like the original, the list is written back even when nothing was added.
  copy.status = { ...status, conditions };
  return copy;
}
