/**
 * The kind rules `computeStatus` applies, keyed by `group/Kind` (core group:
 * `Kind`). The version is ignored. This table is the contract with the Go
 * original; the engine's reader registry is separate and user-extensible.
 *
 * @module
 */

import { alwaysReadyRule } from "./always_ready.ts";
import { crdRule } from "./customresourcedefinition.ts";
import { daemonSetRule } from "./daemonset.ts";
import { deploymentRule } from "./deployment.ts";
import { jobRule } from "./job.ts";
import { pvcRule } from "./persistentvolumeclaim.ts";
import { podRule } from "./pod.ts";
import { pdbRule } from "./poddisruptionbudget.ts";
import { replicaSetRule } from "./replicaset.ts";
import type { KindRule } from "./rule.ts";
import { serviceRule } from "./service.ts";
import { statefulSetRule } from "./statefulset.ts";

/**
 * Built-in kind rules by `group/Kind`.
 *
 * @example
 * ```ts
 * import { KIND_RULES } from "@kstatus/kstatus";
 * console.log([...KIND_RULES.keys()]); // ["Service", "Pod", ..., "apps/Deployment", ...]
 * ```
 */
export const KIND_RULES: ReadonlyMap<string, KindRule> = new Map<string, KindRule>([
  ["Service", serviceRule],
  ["Pod", podRule],
  ["Secret", alwaysReadyRule],
  ["ConfigMap", alwaysReadyRule],
  ["batch/CronJob", alwaysReadyRule],
  ["PersistentVolumeClaim", pvcRule],
  ["apps/StatefulSet", statefulSetRule],
  ["apps/DaemonSet", daemonSetRule],
  ["extensions/DaemonSet", daemonSetRule],
  ["apps/Deployment", deploymentRule],
  ["extensions/Deployment", deploymentRule],
  ["apps/ReplicaSet", replicaSetRule],
  ["extensions/ReplicaSet", replicaSetRule],
  ["policy/PodDisruptionBudget", pdbRule],
  ["batch/Job", jobRule],
  ["apiextensions.k8s.io/CustomResourceDefinition", crdRule],
]);
