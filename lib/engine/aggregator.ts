/**
 * Aggregation of many statuses into one, as the Go original's aggregator.
 *
 * @module
 */

import type { Status } from "../types.ts";

/**
 * The status of a set of resources measured against a desired status:
 * empty → `desired`; any Failed → Failed; else any Unknown → Unknown; else
 * all equal to `desired` → `desired`; else InProgress.
 *
 * @example
 * ```ts
 * import { aggregateStatus } from "@kstatus/kstatus";
 * aggregateStatus(["Current", "InProgress"], "Current"); // "InProgress"
 * aggregateStatus(["NotFound", "NotFound"], "NotFound"); // "NotFound"
 * ```
 */
export function aggregateStatus(statuses: readonly Status[], desired: Status): Status {
  if (statuses.length === 0) return desired;
  if (statuses.includes("Failed")) return "Failed";
  if (statuses.includes("Unknown")) return "Unknown";
  if (statuses.every((s) => s === desired)) return desired;
  return "InProgress";
}
