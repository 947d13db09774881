/**
 * The StatusReader for DaemonSets: its own status from the rules, its children from the cluster.
 *
 * @module
 */

import type { StatusReader } from "../lib/status_reader.ts";
import { createStatusReader } from "./base.ts";

/** Reads `apps/DaemonSet`s with their Pods as children (shown, not escalated). */
export const daemonSetReader: StatusReader = createStatusReader({
  groupKinds: [{ group: "apps", kind: "DaemonSet" }],
  children: { kind: { group: "", kind: "Pod" }, selectorPath: ["spec", "selector"] },
});
