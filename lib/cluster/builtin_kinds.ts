/**
 * The built-in kinds kstatus knows without asking a server: their resource
 * names and scopes. Used by the in-memory cluster and offline helpers.
 *
 * @module
 */

import type { ResourceMapping } from "./types.ts";

/**
 * Mappings of the built-in kinds kstatus has rules or children for.
 *
 * @example
 * ```ts
 * import { BUILTIN_MAPPINGS } from "@kstatus/kstatus";
 * BUILTIN_MAPPINGS.find((m) => m.kind === "Deployment")?.resource; // "deployments"
 * ```
 */
export const BUILTIN_MAPPINGS: readonly ResourceMapping[] = [
  { group: "", version: "v1", kind: "Pod", resource: "pods", namespaced: true },
  { group: "", version: "v1", kind: "Service", resource: "services", namespaced: true },
  { group: "", version: "v1", kind: "ConfigMap", resource: "configmaps", namespaced: true },
  { group: "", version: "v1", kind: "Secret", resource: "secrets", namespaced: true },
  {
    group: "",
    version: "v1",
    kind: "PersistentVolumeClaim",
    resource: "persistentvolumeclaims",
    namespaced: true,
  },
  {
    group: "",
    version: "v1",
    kind: "ServiceAccount",
    resource: "serviceaccounts",
    namespaced: true,
  },
  { group: "", version: "v1", kind: "Namespace", resource: "namespaces", namespaced: false },
  { group: "apps", version: "v1", kind: "Deployment", resource: "deployments", namespaced: true },
  { group: "apps", version: "v1", kind: "ReplicaSet", resource: "replicasets", namespaced: true },
  { group: "apps", version: "v1", kind: "StatefulSet", resource: "statefulsets", namespaced: true },
  { group: "apps", version: "v1", kind: "DaemonSet", resource: "daemonsets", namespaced: true },
  { group: "batch", version: "v1", kind: "Job", resource: "jobs", namespaced: true },
  { group: "batch", version: "v1", kind: "CronJob", resource: "cronjobs", namespaced: true },
  {
    group: "policy",
    version: "v1",
    kind: "PodDisruptionBudget",
    resource: "poddisruptionbudgets",
    namespaced: true,
  },
  {
    group: "apiextensions.k8s.io",
    version: "v1",
    kind: "CustomResourceDefinition",
    resource: "customresourcedefinitions",
    namespaced: false,
  },
];

/** kubectl's short names of the built-in kinds, to their `group/Kind` key. */
export const BUILTIN_SHORT_NAMES: Readonly<Record<string, string>> = {
  po: "Pod",
  svc: "Service",
  cm: "ConfigMap",
  pvc: "PersistentVolumeClaim",
  sa: "ServiceAccount",
  ns: "Namespace",
  deploy: "apps/Deployment",
  rs: "apps/ReplicaSet",
  sts: "apps/StatefulSet",
  ds: "apps/DaemonSet",
  cj: "batch/CronJob",
  pdb: "policy/PodDisruptionBudget",
  crd: "apiextensions.k8s.io/CustomResourceDefinition",
  crds: "apiextensions.k8s.io/CustomResourceDefinition",
};

/**
 * Resolves what a user typed (`deploy`, `deployments`, `deployment`,
 * `deployments.apps`, `Deployment`) against a list of mappings; `undefined`
 * when nothing matches.
 */
export function resolveKindText(
  text: string,
  mappings: readonly ResourceMapping[],
  shortNames: Readonly<Record<string, string>> = BUILTIN_SHORT_NAMES,
): ResourceMapping | undefined {
  const lower = text.toLowerCase();
  const short = shortNames[lower];
  if (short) {
    const found = mappings.find((m) => (m.group ? `${m.group}/${m.kind}` : m.kind) === short);
    if (found) return found;
  }
  const dot = lower.indexOf(".");
  const name = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  const candidates = mappings.filter((m) =>
    (group === undefined || m.group === group) &&
    (m.resource === name || m.kind.toLowerCase() === name)
  );
  // Prefer the core group, then apps, as kubectl's priority does for ambiguous names.
  return candidates.sort((a, b) => rank(a.group) - rank(b.group))[0];
}

function rank(group: string): number {
  return group === "" ? 0 : group === "apps" ? 1 : 2;
}
