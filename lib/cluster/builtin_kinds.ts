/**
 * The built-in kinds kstatus knows without asking a server: their resource
 * names and scopes. Used by the in-memory cluster and offline helpers.
 *
 * @module
 */

import type { ResourceMapping } from "./types.ts";

/** Mappings of the built-in kinds kstatus has rules or children for. */
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
