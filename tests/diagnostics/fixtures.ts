/**
 * Objects for the diagnostics tests: a Deployment tree with a crash-looping pod, events about
 * them, and the fake API server loaded with both.
 *
 * @module
 */

import type { KubeObject, ResourceStatus } from "../../mod.ts";
import type { FakeApiServer } from "../support/fake_apiserver.ts";

export const NS = "shop";

/** A pod whose container `app` crash-loops (restarted `restarts` times). */
export function crashingPod(name: string, restarts = 3): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: NS, uid: `uid-${name}` },
    spec: { containers: [{ name: "app", image: "shop/web:1" }] },
    status: {
      phase: "Running",
      containerStatuses: [{
        name: "app",
        restartCount: restarts,
        state: { waiting: { reason: "CrashLoopBackOff" } },
        lastState: { terminated: { exitCode: 1, reason: "Error" } },
      }],
    },
  };
}

/** The status tree the engine reports for a Deployment `web` with these pods under one RS. */
export function webTree(pods: KubeObject[]): ResourceStatus {
  const pod = (p: KubeObject): ResourceStatus => ({
    identifier: {
      group: "",
      kind: "Pod",
      namespace: NS,
      name: String((p.metadata as KubeObject).name),
    },
    status: "Failed",
    message: "Containers in CrashLoop state: app",
    decidedBy: "container app waiting: CrashLoopBackOff",
    resource: p,
    generatedResources: [],
  });
  return {
    identifier: { group: "apps", kind: "Deployment", namespace: NS, name: "web" },
    status: "InProgress",
    message: "Available: 0/2",
    rule: "contract:apps/Deployment",
    decidedBy: "status.availableReplicas 0 < status.updatedReplicas 2",
    resource: { metadata: { name: "web", namespace: NS, uid: "uid-web" } },
    generatedResources: [{
      identifier: { group: "apps", kind: "ReplicaSet", namespace: NS, name: "web-7d9c" },
      status: "InProgress",
      message: "Available: 0/2",
      decidedBy: "status.availableReplicas 0 < spec.replicas 2",
      resource: { metadata: { name: "web-7d9c", namespace: NS, uid: "uid-web-7d9c" } },
      generatedResources: pods.map(pod),
    }],
  };
}

let eventSeq = 0;

/** A Warning (or `type`) event about `regarding`, stored in the fake server. */
export function putEvent(
  api: FakeApiServer,
  regarding: { kind: string; name: string; uid?: string },
  reason: string,
  note: string,
  at: string,
  extra: KubeObject = {},
): void {
  api.put({
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: { name: `ev-${++eventSeq}`, namespace: NS, creationTimestamp: at },
    type: "Warning",
    reason,
    note,
    eventTime: at,
    regarding: { apiVersion: "v1", namespace: NS, ...regarding },
    ...extra,
  });
}
