import assert from "node:assert/strict";
import {
  ComputeError,
  type ResourceStatus,
  resourceStatusEqual,
  sortResourceStatuses,
} from "../../mod.ts";
import { id, status, test } from "./fixtures.ts";

const web = id("apps", "Deployment", "web");
const rsA = id("apps", "ReplicaSet", "web-a");
const rsB = id("apps", "ReplicaSet", "web-b");
const podA = id("", "Pod", "web-a-0");

function withGeneration(generation: unknown, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", generation },
    ...extra,
  };
}

test("resourceStatusEqual: the de-duplication rule", () => {
  const base = status(web, "Current", { message: "ok" });
  const child = (i = rsA, s: ResourceStatus["status"] = "Current", kids: ResourceStatus[] = []) =>
    status(i, s, { generatedResources: kids });
  const cases: Array<[string, ResourceStatus, ResourceStatus, boolean]> = [
    ["identical copies", base, { ...base }, true],
    ["other name", base, { ...base, identifier: { ...web, name: "api" } }, false],
    ["other namespace", base, { ...base, identifier: { ...web, namespace: "x" } }, false],
    ["other status", base, { ...base, status: "InProgress" }, false],
    ["other message", base, { ...base, message: "ok!" }, false],
    [
      "generation differs",
      { ...base, resource: withGeneration(1) },
      { ...base, resource: withGeneration(2) },
      false,
    ],
    [
      "other content, same generation",
      { ...base, resource: withGeneration(3, { status: { replicas: 1 } }) },
      { ...base, resource: withGeneration(3, { status: { replicas: 9 }, spec: {} }) },
      true,
    ],
    ["no resource is generation 0", base, { ...base, resource: withGeneration(0) }, true],
    ["no resource vs generation 1", base, { ...base, resource: withGeneration(1) }, false],
    ["one error", base, { ...base, error: new Error("x") }, false],
    [
      "same error text, other classes",
      { ...base, error: new Error("x") },
      { ...base, error: new ComputeError("x") },
      true,
    ],
    [
      "other error text",
      { ...base, error: new Error("x") },
      { ...base, error: new Error("y") },
      false,
    ],
    [
      "same children",
      { ...base, generatedResources: [child(rsA), child(rsB)] },
      { ...base, generatedResources: [child(rsA), child(rsB)] },
      true,
    ],
    [
      "children in another order",
      { ...base, generatedResources: [child(rsA), child(rsB)] },
      { ...base, generatedResources: [child(rsB), child(rsA)] },
      false,
    ],
    [
      "one child more",
      { ...base, generatedResources: [child(rsA)] },
      { ...base, generatedResources: [child(rsA), child(rsB)] },
      false,
    ],
    [
      "a grandchild changed",
      { ...base, generatedResources: [child(rsA, "Current", [child(podA, "Current")])] },
      { ...base, generatedResources: [child(rsA, "Current", [child(podA, "Failed")])] },
      false,
    ],
    [
      "a child's error text changed",
      { ...base, generatedResources: [{ ...child(rsA), error: new Error("a") }] },
      { ...base, generatedResources: [{ ...child(rsA), error: new Error("b") }] },
      false,
    ],
  ];
  for (const [label, a, b, expected] of cases) {
    assert.equal(resourceStatusEqual(a, b), expected, label);
    assert.equal(resourceStatusEqual(b, a), expected, `${label} (swapped)`);
  }
});

test("sortResourceStatuses: namespace, group, kind, name, plain string order", () => {
  const ids = [
    id("apps", "Deployment", "b", "ns2"),
    id("apps", "Deployment", "a", "ns2"),
    id("", "Pod", "z", "ns2"),
    id("apps", "ReplicaSet", "a", "ns2"),
    id("apps", "Deployment", "Z", "ns2"),
    id("batch", "Job", "a", "ns1"),
    id("", "Namespace", "ns1", ""),
  ];
  const input = ids.map((i) => status(i, "Current"));
  const sorted = sortResourceStatuses(input);
  assert.deepEqual(
    sorted.map((r) =>
      `${r.identifier.namespace}|${r.identifier.group}|${r.identifier.kind}|${r.identifier.name}`
    ),
    [
      "||Namespace|ns1",
      "ns1|batch|Job|a",
      "ns2||Pod|z",
      "ns2|apps|Deployment|Z",
      "ns2|apps|Deployment|a",
      "ns2|apps|Deployment|b",
      "ns2|apps|ReplicaSet|a",
    ],
  );
  assert.equal(input[0].identifier.name, "b", "the input must not be reordered");
});
