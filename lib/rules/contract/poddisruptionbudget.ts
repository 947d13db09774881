/**
 * Status rule for `policy/PodDisruptionBudget`.
 *
 * @module
 */

import { current } from "../../conditions.ts";
import type { ComputeResult } from "../../types.ts";

/** A PodDisruptionBudget is Current once its generation is observed (checked before). */
export function pdbRule(): ComputeResult {
  return current("AllowedDisruptions has been computed.");
}
