/**
 * The StatusReader for Jobs: its own status from the rules, its children from the cluster.
 *
 * @module
 */

import type { StatusReader } from "../lib/status_reader.ts";
import { createStatusReader } from "./base.ts";

/** Reads `batch/Job`s with their Pods as children (shown, not escalated). */
export const jobReader: StatusReader = createStatusReader({
  groupKinds: [{ group: "batch", kind: "Job" }],
  children: { kind: { group: "", kind: "Pod" }, selectorPath: ["spec", "selector"] },
});
