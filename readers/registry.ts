/**
 * The default registry of status readers: a `Map` keyed by `group/Kind`.
 * Kinds without an entry use the generic reader.
 *
 * @module
 */

import { groupKindKey } from "../lib/groupkind.ts";
import type { StatusReaderRegistry } from "../lib/status_reader.ts";
import { cronJobReader } from "./cronjob.ts";
import { daemonSetReader } from "./daemonset.ts";
import { deploymentReader } from "./deployment.ts";
import { jobReader } from "./job.ts";
import { replicaSetReader } from "./replicaset.ts";
import { statefulSetReader } from "./statefulset.ts";

/**
 * A new registry holding the built-in readers (kinds with children). Add or
 * replace entries to teach kstatus about your own kinds.
 *
 * @example
 * ```ts
 * import { createStatusReader, defaultStatusReaders } from "@kstatus/kstatus";
 * const registry = defaultStatusReaders();
 * registry.delete("apps/DaemonSet"); // DaemonSets without their pods
 * ```
 */
export function defaultStatusReaders(): StatusReaderRegistry {
  return new Map([
    [groupKindKey({ group: "apps", kind: "Deployment" }), deploymentReader],
    [groupKindKey({ group: "apps", kind: "ReplicaSet" }), replicaSetReader],
    [groupKindKey({ group: "apps", kind: "StatefulSet" }), statefulSetReader],
    [groupKindKey({ group: "apps", kind: "DaemonSet" }), daemonSetReader],
    [groupKindKey({ group: "batch", kind: "Job" }), jobReader],
    [groupKindKey({ group: "batch", kind: "CronJob" }), cronJobReader],
  ]);
}
