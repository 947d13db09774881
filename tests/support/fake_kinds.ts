/**
 * The resource types the fake API server serves out of the box: the
 * built-in kinds kstatus cares about, with the real plural names, short
 * names, categories and scopes of a current Kubernetes release (checked
 * against kube-apiserver v1.37 discovery).
 *
 * @module
 */

/** A resource type served by the fake server. */
export interface FakeKind {
  /** API group, `""` for core. */
  group: string;
  /** Version. */
  version: string;
  /** Kind. */
  kind: string;
  /** Plural resource name. */
  plural: string;
  /** Singular resource name; default: the lower-case kind. */
  singular?: string;
  /** Short names. */
  shortNames?: string[];
  /** Categories (`all`). */
  categories?: string[];
  /** True when namespace-scoped. */
  namespaced: boolean;
}

const ns = true;
const cluster = false;
const all = ["all"];

/** The built-in kinds. */
export const BUILTIN_KINDS: readonly FakeKind[] = [
  {
    group: "",
    version: "v1",
    kind: "Pod",
    plural: "pods",
    shortNames: ["po"],
    categories: all,
    namespaced: ns,
  },
  {
    group: "",
    version: "v1",
    kind: "Service",
    plural: "services",
    shortNames: ["svc"],
    categories: all,
    namespaced: ns,
  },
  {
    group: "",
    version: "v1",
    kind: "ConfigMap",
    plural: "configmaps",
    shortNames: ["cm"],
    namespaced: ns,
  },
  { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: ns },
  {
    group: "",
    version: "v1",
    kind: "PersistentVolumeClaim",
    plural: "persistentvolumeclaims",
    shortNames: ["pvc"],
    namespaced: ns,
  },
  {
    group: "",
    version: "v1",
    kind: "Namespace",
    plural: "namespaces",
    shortNames: ["ns"],
    namespaced: cluster,
  },
  {
    group: "",
    version: "v1",
    kind: "ServiceAccount",
    plural: "serviceaccounts",
    shortNames: ["sa"],
    namespaced: ns,
  },
  { group: "", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"], namespaced: ns },
  {
    group: "apps",
    version: "v1",
    kind: "Deployment",
    plural: "deployments",
    shortNames: ["deploy"],
    categories: all,
    namespaced: ns,
  },
  {
    group: "apps",
    version: "v1",
    kind: "ReplicaSet",
    plural: "replicasets",
    shortNames: ["rs"],
    categories: all,
    namespaced: ns,
  },
  {
    group: "apps",
    version: "v1",
    kind: "StatefulSet",
    plural: "statefulsets",
    shortNames: ["sts"],
    categories: all,
    namespaced: ns,
  },
  {
    group: "apps",
    version: "v1",
    kind: "DaemonSet",
    plural: "daemonsets",
    shortNames: ["ds"],
    categories: all,
    namespaced: ns,
  },
  { group: "batch", version: "v1", kind: "Job", plural: "jobs", categories: all, namespaced: ns },
  {
    group: "batch",
    version: "v1",
    kind: "CronJob",
    plural: "cronjobs",
    shortNames: ["cj"],
    categories: all,
    namespaced: ns,
  },
  {
    group: "policy",
    version: "v1",
    kind: "PodDisruptionBudget",
    plural: "poddisruptionbudgets",
    shortNames: ["pdb"],
    namespaced: ns,
  },
  {
    group: "apiextensions.k8s.io",
    version: "v1",
    kind: "CustomResourceDefinition",
    plural: "customresourcedefinitions",
    shortNames: ["crd", "crds"],
    categories: ["api-extensions"],
    namespaced: cluster,
  },
  {
    group: "events.k8s.io",
    version: "v1",
    kind: "Event",
    plural: "events",
    shortNames: ["ev"],
    namespaced: ns,
  },
];
