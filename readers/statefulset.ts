/**
 * The StatusReader for StatefulSets: its own status from the rules, its children from the cluster.
 *
 * @module
 */

import type { StatusReader } from "../lib/status_reader.ts";
import { createStatusReader } from "./base.ts";

/**
 * Reads `apps/StatefulSet`s with their Pods; an InProgress StatefulSet with a
 * Failed pod is Failed (`N pods have failed`).
 */
export const statefulSetReader: StatusReader = createStatusReader({
  groupKinds: [{ group: "apps", kind: "StatefulSet" }],
  children: { kind: { group: "", kind: "Pod" }, selectorPath: ["spec", "selector"] },
  escalateFailedPods: true,
});
