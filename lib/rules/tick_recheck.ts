/**
 * Which statuses a tick must read again when the cluster reader reports every change (the
 * watch reader): the engine's `tickRecheck` for the built-in rules.
 *
 * @module
 */

import type { ResourceStatus } from "../types.ts";
import { podVerdictMayExpire } from "./contract/pod.ts";

/**
 * Whether a resource's status may change without a change to any object it was computed from,
 * so that only a tick can notice: a read that failed or found nothing (retried on every tick,
 * as the Go original does), or a tree holding a verdict that expires with time (a pod waiting
 * to be scheduled, until it was judged Failed when its window passed; see
 * {@linkcode podVerdictMayExpire}). Rule sets (CEL) do not read the clock.
 *
 * @example
 * ```ts
 * import { tickRecheck } from "@kstatus/kstatus";
 * const id = { group: "", kind: "ConfigMap", namespace: "ns", name: "cfg" };
 * console.log(tickRecheck({ identifier: id, status: "Current", message: "", generatedResources: [] })); // false
 * console.log(tickRecheck({ identifier: id, status: "NotFound", message: "", generatedResources: [] })); // true
 * ```
 */
export function tickRecheck(status: ResourceStatus): boolean {
  if (status.status === "Unknown" || status.status === "NotFound" || status.error) return true;
  return expires(status);
}

/** A pod in the tree judged InProgress by a verdict that turns Failed when its window passes. */
function expires(status: ResourceStatus): boolean {
  const { identifier, resource } = status;
  if (
    identifier.group === "" && identifier.kind === "Pod" && resource &&
    status.status !== "Failed" && podVerdictMayExpire(resource)
  ) {
    return true;
  }
  return status.generatedResources.some(expires);
}
