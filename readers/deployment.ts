/**
 * The StatusReader for Deployments: its own status from the rules, its children from the cluster.
 *
 * @module
 */

import type { StatusReader } from "../lib/status_reader.ts";
import { createStatusReader } from "./base.ts";

/**
 * Reads `apps/Deployment`s with their ReplicaSets (each with its Pods) as
 * children. Children never change the Deployment's own status.
 */
export const deploymentReader: StatusReader = createStatusReader({
  groupKinds: [{ group: "apps", kind: "Deployment" }],
  children: { kind: { group: "apps", kind: "ReplicaSet" }, selectorPath: ["spec", "selector"] },
});
