/**
 * Status rule for core `PersistentVolumeClaim`.
 *
 * @module
 */

import { current, inProgress } from "../../conditions.ts";
import { stringField } from "../../fields.ts";
import type { ComputeResult, KubeObject } from "../../types.ts";

/** A PersistentVolumeClaim is Current once Bound. */
export function pvcRule(obj: KubeObject): ComputeResult {
  const phase = stringField(obj, ["status", "phase"], "unknown");
  if (phase !== "Bound") {
    return inProgress("NotBound", `PVC is not Bound. phase: ${phase}`, `status.phase ${phase}`);
  }
  return current("PVC is Bound", "status.phase Bound");
}
