/**
 * Reader for `batch/CronJob`: its own status is always ready (the rule in
 * `always_ready.ts`); the Jobs it owns are shown as children.
 *
 * @module
 */

import type { StatusReader } from "../lib/status_reader.ts";
import { createStatusReader } from "./base.ts";

/** Reads `batch/CronJob`s with the Jobs they control (found by ownerReference). */
export const cronJobReader: StatusReader = createStatusReader({
  groupKinds: [{ group: "batch", kind: "CronJob" }],
  // A CronJob has no selector: its Jobs are found by ownerReference alone.
  children: { kind: { group: "batch", kind: "Job" } },
});
