/**
 * Manifests of the end-to-end suite, as JSON text (kubectl and kstatus read
 * it as YAML). What a pod does on the kwok cluster is chosen by its image:
 * see scripts/cluster/stages/pod.yaml (`fail.example/crash`, `/pull`,
 * `/exit`, `/unready`; anything else becomes Ready).
 *
 * @module
 */

type Obj = Record<string, unknown>;

/** Joins objects into one multi-document stream. */
export function stream(...objects: Obj[]): string {
  return objects.map((o) => JSON.stringify(o, null, 2)).join("\n---\n") + "\n";
}

function podTemplate(name: string, image: string, annotations: Record<string, string> = {}) {
  return {
    metadata: { labels: { app: name }, annotations },
    spec: { containers: [{ name: "app", image }] },
  };
}

/** A Deployment of `replicas` pods running `image`. */
export function deployment(
  name: string,
  options: { replicas?: number; image?: string; annotations?: Record<string, string> } = {},
): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: podTemplate(name, options.image ?? "example.test/app:1", options.annotations),
    },
  };
}

/** A StatefulSet, optionally with a rolling-update partition. */
export function statefulSet(
  name: string,
  options: { replicas?: number; image?: string; partition?: number } = {},
): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name },
    spec: {
      replicas: options.replicas ?? 2,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: podTemplate(name, options.image ?? "example.test/db:1"),
      ...(options.partition === undefined ? {} : {
        updateStrategy: {
          type: "RollingUpdate",
          rollingUpdate: { partition: options.partition },
        },
      }),
    },
  };
}

/** A DaemonSet (one pod per fake node). */
export function daemonSet(name: string): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        ...podTemplate(name, "example.test/agent:1"),
        spec: {
          containers: [{ name: "agent", image: "example.test/agent:1" }],
          // Fake nodes may carry kwok's taint; a node agent tolerates everything.
          tolerations: [{ operator: "Exists" }],
        },
      },
    },
  };
}

/** A Job of one pod; `fail.example/exit` makes it fail. */
export function job(name: string, image = "example.test/task:1"): Obj {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { job: name } },
        spec: { restartPolicy: "Never", containers: [{ name: "task", image }] },
      },
    },
  };
}

/** A ConfigMap. */
export function configMap(name: string): Obj {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { a: "1" } };
}

/** A namespaced CRD `Widget` in group `<group>` and one of its objects. */
export function widgetCrd(group: string): Obj {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
      versions: [{
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        },
      }],
    },
  };
}

/** A Widget object. */
export function widget(group: string, name: string): Obj {
  return { apiVersion: `${group}/v1`, kind: "Widget", metadata: { name }, spec: { size: 1 } };
}

/**
 * A Role reading Deployments, ReplicaSets and Pods (get, list, watch) and its binding to the
 * cluster's `restricted` user, in `namespace` (or the one they are applied in).
 */
export function restrictedReadsWorkloads(namespace?: string): Obj[] {
  const at = namespace ? { namespace } : {};
  return [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "read-workloads", ...at },
      rules: [
        {
          apiGroups: ["apps"],
          resources: ["deployments", "replicasets"],
          verbs: ["get", "list", "watch"],
        },
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "restricted-reads-workloads", ...at },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "read-workloads" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "restricted" }],
    },
  ];
}
