// Resource statuses for the table renderer's tests: a rollout of a Deployment with a long name
// (its ReplicaSet and four Pods named after it), and a few other resources.

import type { ResourceStatus, Status } from "../../lib/types.ts";

const NOW = Date.parse("2026-12-01T12:00:00Z");

/** The time the tests render at. */
export const NOW_MS = NOW;

/** A status of `kind/name`, created `ageS` seconds before {@linkcode NOW_MS}. */
export function rs(
  kind: string,
  name: string,
  status: Status,
  message: string,
  options: { namespace?: string; ageS?: number; children?: ResourceStatus[] } = {},
): ResourceStatus {
  const namespace = options.namespace ?? "shop";
  return {
    identifier: { group: "", kind, namespace, name },
    status,
    message,
    resource: {
      apiVersion: "v1",
      kind,
      metadata: {
        name,
        namespace,
        creationTimestamp: new Date(NOW - (options.ageS ?? 30) * 1000).toISOString(),
      },
    },
    generatedResources: options.children ?? [],
  };
}

const DEPLOY = "checkout-frontend-web-service-canary";
const RS = `${DEPLOY}-5d8f7c9b4`;

/** A Deployment half rolled out: two Pods Ready, two not. */
export function rollout(namespace = "shop"): ResourceStatus {
  const pod = (suffix: string, ready: boolean) =>
    rs(
      "Pod",
      `${RS}-${suffix}`,
      ready ? "Current" : "InProgress",
      ready ? "Pod is Ready" : "Pod phase is Pending: containers with unready status: [app]",
      { namespace, ageS: 12 },
    );
  return rs(
    "Deployment",
    DEPLOY,
    "InProgress",
    "Available: 2/4, Updated: 4/4, Ready: 2/4 (waiting for the new ReplicaSet's pods to be ready)",
    {
      namespace,
      ageS: 200,
      children: [
        rs("ReplicaSet", RS, "InProgress", "Ready: 2/4", {
          namespace,
          ageS: 20,
          children: [
            pod("x2x8q", true),
            pod("b7kzp", true),
            pod("m4nwd", false),
            pod("qq9rt", false),
          ],
        }),
      ],
    },
  );
}

/** `n` Deployments that are Current, each with one ReplicaSet and one Pod. */
export function finished(n: number, namespace = "shop"): ResourceStatus[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `svc-${String(i).padStart(2, "0")}`;
    return rs("Deployment", name, "Current", "Deployment is available. Replicas: 1", {
      namespace,
      ageS: 4000,
      children: [
        rs("ReplicaSet", `${name}-6c9f`, "Current", "ReplicaSet is available. Replicas: 1", {
          namespace,
          ageS: 4000,
          children: [rs("Pod", `${name}-6c9f-abcde`, "Current", "Pod is Ready", { namespace })],
        }),
      ],
    });
  });
}
