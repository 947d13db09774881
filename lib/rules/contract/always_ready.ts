/**
 * Status rule for the kinds with nothing to wait for: `ConfigMap`, `Secret` and `batch/CronJob`.
 *
 * @module
 */

import { current } from "../../conditions.ts";
import type { ComputeResult } from "../../types.ts";

/** ConfigMap, Secret and CronJob have no status to wait for. */
export function alwaysReadyRule(): ComputeResult {
  return current("Resource is always ready");
}
