import assert from "node:assert/strict";
import {
  applyFailOn,
  createMemoryCluster,
  FAIL_ON_REASONS,
  type FailOnReason,
  type KubeObject,
  type ObjectIdentifier,
  parseFailOn,
  podFailOnCause,
  type ResourceStatus,
  withFailOn,
} from "../mod.ts";
import { controllerRef, id, pod, test, tree } from "./engine/fixtures.ts";
import { updatesPoller } from "./support/poller.ts";

const ALL = new Set(FAIL_ON_REASONS);

/** A pending pod with one container waiting for `reason`. */
function waitingPod(name: string, reason: string, message?: string): KubeObject {
  return {
    ...pod(name, { state: "pending" }),
    status: {
      phase: "Pending",
      containerStatuses: [
        { name: "sidecar", state: { running: {} } },
        { name: "app", state: { waiting: { reason, message } } },
      ],
    },
  };
}

test("parseFailOn: names in any case, all, duplicates once, unknown names refused", () => {
  assert.deepEqual(parseFailOn("imagepullbackoff, ErrImagePull,ImagePullBackOff"), [
    "ImagePullBackOff",
    "ErrImagePull",
  ]);
  assert.deepEqual(parseFailOn("all"), [...FAIL_ON_REASONS]);
  assert.deepEqual(parseFailOn(""), []);
  assert.throws(
    () => parseFailOn("ImagePullBackOff,OOMKilled"),
    /unknown --fail-on reason "OOMKilled"; expected all or any of ErrImagePull,/,
  );
});

test("podFailOnCause: waiting containers (init ones first), only the listed reasons", () => {
  const p = waitingPod("web-1", "ImagePullBackOff", 'Back-off pulling image "nope"');
  assert.equal(
    podFailOnCause(p, new Set(["ImagePullBackOff"])),
    'container app: ImagePullBackOff: Back-off pulling image "nope"',
  );
  assert.equal(podFailOnCause(p, new Set(["ErrImagePull"])), undefined);
  const init = {
    ...p,
    status: {
      phase: "Pending",
      initContainerStatuses: [
        { name: "migrate", state: { waiting: { reason: "CreateContainerConfigError" } } },
      ],
    },
  };
  assert.equal(podFailOnCause(init, ALL), "container migrate: CreateContainerConfigError");
  // Malformed entries are passed over, not thrown on.
  const odd = { ...p, status: { containerStatuses: [null, { state: { waiting: "x" } }, 3] } };
  assert.equal(podFailOnCause(odd, ALL), undefined);
});

test("podFailOnCause: Unschedulable from the PodScheduled condition, at once", () => {
  const p = {
    ...pod("web-1", { state: "pending" }),
    status: {
      phase: "Pending",
      conditions: [{
        type: "PodScheduled",
        status: "False",
        reason: "Unschedulable",
        message: "0/3 nodes are available",
      }],
    },
  };
  assert.equal(podFailOnCause(p, ALL), "Unschedulable: 0/3 nodes are available");
  assert.equal(podFailOnCause(p, new Set(["ErrImagePull"])), undefined);
});

test("applyFailOn: only InProgress statuses change; Current and contract Failed stay", () => {
  const p = waitingPod("web-1", "ErrImagePull");
  const base: ResourceStatus = {
    identifier: id("", "Pod", "web-1"),
    status: "InProgress",
    message: "Pod is in the Pending phase",
    resource: p,
    generatedResources: [],
  };
  assert.deepEqual(applyFailOn(base, ALL), {
    ...base,
    status: "Failed",
    message: "container app: ErrImagePull",
    decidedBy: "--fail-on container app: ErrImagePull",
  });
  for (const status of ["Current", "Failed", "Terminating", "Unknown", "NotFound"] as const) {
    assert.equal(applyFailOn({ ...base, status }, ALL).status, status);
  }
  assert.equal(applyFailOn(base, new Set()).status, "InProgress");
});

/** Runs one poll of `target` over `objects` and returns its first status. */
async function pollOnce(
  objects: KubeObject[],
  target: ObjectIdentifier,
  failOn?: FailOnReason[],
): Promise<ResourceStatus> {
  const cluster = createMemoryCluster(objects);
  const engine = updatesPoller({
    mapper: cluster.mapper,
    clusterReaderFactory: () => cluster.reader,
    failOn,
  });
  for await (const event of engine.poll([target], { pollInterval: 60_000 })) {
    assert.equal(event.type, "ResourceUpdate");
    return event.resource;
  }
  throw new Error("the poll ended without an event");
}

const meta = (
  name: string,
  owner?: KubeObject,
  labels: Record<string, string> = { app: "web" },
) => ({
  name,
  namespace: "ns",
  uid: `uid-${name}`,
  generation: 1,
  labels,
  ...(owner ? { ownerReferences: [controllerRef(owner)] } : {}),
});

/** A Deployment rolling out one replica, none ready yet: InProgress by the contract. */
const web: KubeObject = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: meta("web"),
  spec: { replicas: 1, selector: { matchLabels: { app: "web" } } },
  status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1 },
};
const webRs: KubeObject = {
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  metadata: meta("web-7d9f", web),
  spec: { replicas: 1, selector: { matchLabels: { app: "web" } } },
  status: { replicas: 1, fullyLabeledReplicas: 1 },
};
const webPod = (reason: string, message?: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: meta("web-7d9f-x", webRs),
  status: waitingPod("web-7d9f-x", reason, message).status,
});
const WEB = id("apps", "Deployment", "web");

test("engine: without failOn an image pull error stays InProgress (the contract)", async () => {
  const result = await pollOnce([web, webRs, webPod("ErrImagePull")], WEB);
  assert.deepEqual(tree(result), [
    "Deployment/web InProgress",
    "  ReplicaSet/web-7d9f InProgress",
    "    Pod/web-7d9f-x InProgress",
  ]);
});

test("engine: failOn makes the pod, its ReplicaSet and the Deployment Failed, naming the pod", async () => {
  const objects = [web, webRs, webPod("ImagePullBackOff", 'Back-off pulling image "nope"')];
  const result = await pollOnce(objects, WEB, ["ImagePullBackOff"]);
  assert.deepEqual(tree(result), [
    "Deployment/web Failed",
    "  ReplicaSet/web-7d9f Failed",
    "    Pod/web-7d9f-x Failed",
  ]);
  const cause = 'container app: ImagePullBackOff: Back-off pulling image "nope"';
  assert.equal(result.message, `pod web-7d9f-x: ${cause}`);
  const rs = result.generatedResources[0];
  // The ReplicaSet's own escalation rule fires on the Failed pod; the cause is added to it.
  assert.equal(rs.message, `1 pods have failed (pod web-7d9f-x: ${cause})`);
  assert.equal(rs.generatedResources[0].message, cause);
  // A reason not asked for changes nothing.
  const other = await pollOnce(objects, WEB, ["CrashLoopBackOff"]);
  assert.equal(other.status, "InProgress");
});

test("engine: a Current Deployment stays Current whatever its pods do", async () => {
  const done = {
    ...web,
    status: {
      ...web.status as object,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [{ type: "Available", status: "True" }],
    },
  };
  const result = await pollOnce([done, webRs, webPod("CrashLoopBackOff")], WEB, [
    ...FAIL_ON_REASONS,
  ]);
  assert.equal(result.status, "Current");
});

test("engine: failOn on a StatefulSet counts the failing pods; a running Job stays Current", async () => {
  const sts: KubeObject = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: meta("db", undefined, { app: "db" }),
    spec: { replicas: 2, selector: { matchLabels: { app: "db" } } },
    status: { observedGeneration: 1, replicas: 2 },
  };
  const pods = ["db-0", "db-1"].map((name): KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: meta(name, sts, { app: "db" }),
    status: waitingPod(name, "CreateContainerConfigError", 'configmap "db" not found').status,
  }));
  const sr = await pollOnce(
    [sts, ...pods],
    id("apps", "StatefulSet", "db"),
    ["all"].flatMap(
      parseFailOn,
    ),
  );
  assert.equal(sr.status, "Failed");
  assert.equal(
    sr.message,
    '2 pods have failed (pod db-0: container app: CreateContainerConfigError: configmap "db" ' +
      "not found (and 1 more pods))",
  );

  const job: KubeObject = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: meta("migrate", undefined, { job: "migrate" }),
    spec: { selector: { matchLabels: { job: "migrate" } } },
    status: { active: 1, startTime: "2025-01-01T00:00:00Z" },
  };
  const jobPod: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: meta("migrate-x", job, { job: "migrate" }),
    status: waitingPod("migrate-x", "InvalidImageName").status,
  };
  // A running Job is Current by the contract, so it has nothing to fail fast from.
  const jr = await pollOnce([job, jobPod], id("batch", "Job", "migrate"), ["InvalidImageName"]);
  assert.equal(jr.status, "Current", tree(jr).join("\n"));
  assert.equal(jr.generatedResources[0].status, "Failed");
});

test("withFailOn: the added Pod entry answers for pods only", () => {
  const registry = withFailOn(new Map(), ["ErrImagePull"]);
  const podReader = registry.get("Pod");
  assert.ok(podReader);
  assert.equal(podReader.supports({ group: "", kind: "Pod" }), true);
  assert.equal(podReader.supports({ group: "", kind: "ConfigMap" }), false);
});
