/**
 * The StatusReader for ReplicaSets: its own status from the rules, its children from the cluster.
 *
 * @module
 */

import type { StatusReader } from "../lib/status_reader.ts";
import { createStatusReader } from "./base.ts";

/**
 * Reads `apps/ReplicaSet`s with their Pods; an InProgress ReplicaSet with a
 * Failed pod is Failed (`N pods have failed`).
 */
export const replicaSetReader: StatusReader = createStatusReader({
  groupKinds: [{ group: "apps", kind: "ReplicaSet" }],
  children: { kind: { group: "", kind: "Pod" }, selectorPath: ["spec", "selector"] },
  escalateFailedPods: true,
});
