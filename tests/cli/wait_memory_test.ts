import assert from "node:assert/strict";
import { createMemoryCluster, type KubeObject } from "../../mod.ts";
import { runOnMemory as run } from "../support/memory_cli.ts";

function deployment(name: string, ready: number, replicas = 2): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default", generation: 1, uid: `uid-${name}` },
    spec: { replicas, selector: { matchLabels: { app: name } } },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      conditions: [
        { type: "Available", status: ready === replicas ? "True" : "False" },
        { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
      ],
    },
  };
}

Deno.test("wait: exits 0 once the deployment is Current", async () => {
  const cluster = createMemoryCluster([deployment("web", 2)]);
  const r = await run(cluster, ["wait", "deploy/web", "--interval", "10ms"]);
  assert.equal(r.code, 0, r.err.join("\n"));
  assert.equal(
    r.out[0],
    "deployment.apps/default/web is Current: Deployment is available. Replicas: 2",
  );
  assert.match(r.out.at(-1)!, /^all 1 resource Current after/);
});

Deno.test("wait: times out with exit 2 and names what is not ready", async () => {
  const cluster = createMemoryCluster([deployment("web", 1)]);
  const r = await run(cluster, ["wait", "deploy/web", "--interval", "10ms", "--timeout", "100ms"]);
  assert.equal(r.code, 2);
  assert.match(r.out.join("\n"), /timed out after .*: 1 of 1 not Current/);
  assert.match(r.out.join("\n"), /deployment.apps\/default\/web is InProgress: Available: 1\/2/);
});

Deno.test("status: one look, json output with summary", async () => {
  const cluster = createMemoryCluster([deployment("web", 1)]);
  const r = await run(
    cluster,
    ["status", "-f", "-", "-o", "json"],
    JSON.stringify(deployment("web", 0)),
  );
  assert.equal(r.code, 2, r.err.join("\n"));
  const lines = r.out.map((l) => JSON.parse(l));
  assert.equal(lines[0].type, "status");
  assert.equal(lines[0].status, "InProgress");
  assert.equal(lines.at(-1).type, "summary");
  assert.equal(lines.at(-1).exitCode, 2);
});
