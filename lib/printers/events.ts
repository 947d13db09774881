/**
 * The `events` output: one line per status change, for logs and CI.
 *
 * @module
 */

import type { ResourceStatus } from "../types.ts";
import { displayMessage, displayStatus, resourceRef } from "./format.ts";

/**
 * One line for a status change: `deployment.apps/ns/web is InProgress: Ready: 1/3`.
 *
 * @example
 * ```ts
 * import { formatEventLine } from "./events.ts";
 * formatEventLine({
 *   identifier: { group: "apps", kind: "Deployment", namespace: "ns", name: "web" },
 *   status: "Current",
 *   message: "Deployment is available. Replicas: 3",
 *   generatedResources: [],
 * }); // "deployment.apps/ns/web is Current: Deployment is available. Replicas: 3"
 * ```
 */
export function formatEventLine(status: ResourceStatus): string {
  const message = displayMessage(status);
  return `${resourceRef(status.identifier)} is ${displayStatus(status)}${
    message ? `: ${message}` : ""
  }`;
}
