/**
 * Generated objects for benchmarks: Deployments with their ReplicaSets and
 * Pods, wired by labels and ownerReferences as a controller would.
 *
 * @module
 */

import type { KubeObject } from "../mod.ts";

/** A Deployment with one ReplicaSet and `replicas` Pods, all Ready. */
export function deploymentFamily(
  name: string,
  namespace: string,
  replicas = 2,
): KubeObject[] {
  const labels = { app: name };
  const depUid = `uid-dep-${namespace}-${name}`;
  const rsUid = `uid-rs-${namespace}-${name}`;
  const created = new Date(Date.now() - 60_000).toISOString();
  const deployment: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, uid: depUid, generation: 1, creationTimestamp: created, labels },
    spec: { replicas, selector: { matchLabels: labels }, progressDeadlineSeconds: 600 },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      conditions: [
        { type: "Available", status: "True", reason: "MinimumReplicasAvailable" },
        { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
      ],
    },
  };
  const owner = (kind: string, uidName: string, uid: string) => [{
    apiVersion: "apps/v1",
    kind,
    name: uidName,
    uid,
    controller: true,
  }];
  const rs: KubeObject = {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${name}-abc12`,
      namespace,
      uid: rsUid,
      generation: 1,
      labels,
      creationTimestamp: created,
      ownerReferences: owner("Deployment", name, depUid),
    },
    spec: { replicas, selector: { matchLabels: labels } },
    status: {
      observedGeneration: 1,
      replicas,
      fullyLabeledReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
    },
  };
  const pods: KubeObject[] = Array.from({ length: replicas }, (_, i) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `${name}-abc12-${i}`,
      namespace,
      uid: `uid-pod-${namespace}-${name}-${i}`,
      labels,
      creationTimestamp: created,
      ownerReferences: owner("ReplicaSet", `${name}-abc12`, rsUid),
    },
    spec: { containers: [{ name: "app", image: "example/app:1" }] },
    status: {
      phase: "Running",
      conditions: [{ type: "Ready", status: "True" }, { type: "PodScheduled", status: "True" }],
      containerStatuses: [{ name: "app", ready: true, state: { running: {} } }],
    },
  }));
  return [deployment, rs, ...pods];
}

/** `count` objects of mixed kinds, in varied states, for status computation. */
export function mixedObjects(count: number): KubeObject[] {
  const out: KubeObject[] = [];
  for (let i = 0; out.length < count; i++) {
    const family = deploymentFamily(`app-${i}`, `ns-${i % 7}`, 1 + (i % 3));
    out.push(...family);
    out.push({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: `db-${i}`, namespace: "ns", generation: 2 },
      spec: { replicas: 3, updateStrategy: { type: "RollingUpdate" } },
      status: { observedGeneration: 2, replicas: 3, readyReplicas: i % 4, currentReplicas: 3 },
    });
    out.push({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: `job-${i}`, namespace: "ns" },
      spec: { completions: 2 },
      status: { startTime: "2026-01-01T00:00:00Z", succeeded: i % 3, active: 1 },
    });
    out.push({
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: `w-${i}`, namespace: "ns", generation: 1 },
      status: {
        observedGeneration: 1,
        conditions: [{ type: "Ready", status: i % 2 ? "True" : "False", reason: "Waiting" }],
      },
    });
  }
  return out.slice(0, count);
}
