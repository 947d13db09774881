// Subprocess tests of `kstatus wait` / `kstatus status` output modes against the HTTPS fake
// API server: objects change state while the CLI runs.

import assert from "node:assert/strict";
import { explain, spawnCli, startCluster, type TestCluster } from "./fixtures/harness.ts";
import { deployment, pod, putDeploymentTree, replicaSet } from "./fixtures/objects.ts";

const opts = { sanitizeOps: true, sanitizeResources: true };
const IN_PROGRESS = "deployment.apps/default/web is InProgress: Available: 1/2";
const CURRENT = "deployment.apps/default/web is Current: Deployment is available. Replicas: 2";

/** Resolves after the CLI has made `n` more LIST requests for pods. */
async function podPolls(c: TestCluster, n: number): Promise<void> {
  const start = c.api.requests.filter((r) => r.resource === "pods").length;
  const deadline = Date.now() + 10_000;
  while (c.api.requests.filter((r) => r.resource === "pods").length < start + n) {
    if (Date.now() > deadline) throw new Error("the CLI stopped polling");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Replaces the AGE cells (they depend on the clock) with dots; the header stays. */
function blankAge(line: string, row: number, lines: string[]): string {
  const at = lines[0].indexOf("AGE");
  const width = lines[0].indexOf("MESSAGE") - at - 2;
  if (row === 0) return line;
  assert.match(line.slice(at, at + width), /^\d+s *$/);
  return line.slice(0, at) + "...".padEnd(width) + line.slice(at + width);
}

/** Rolls the tree out bottom-up, so the Deployment turns Current last. */
function finishRollout(c: TestCluster): void {
  c.api.put(pod("web-7d9f-b", "web-7d9f", "web", "ready"));
  c.api.put(replicaSet("web-7d9f", "web", { ready: 2 }));
  c.api.put(deployment("web", { ready: 2 }));
}

Deno.test("events: one line per change, then the summary", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "starting");
  const cli = spawnCli(["wait", "deploy/web", "-o", "events", ...c.flags]);
  await cli.waitForStdout(/InProgress/);
  finishRollout(c);
  const r = await cli.result;
  assert.equal(r.code, 0, explain(r));
  assert.equal(r.lines.length, 3, explain(r));
  assert.equal(r.lines[0], IN_PROGRESS);
  assert.equal(r.lines[1], CURRENT);
  assert.match(r.lines[2], /^all 1 resource Current after \d+(ms|\.\ds)$/);
  assert.equal(r.stderr, "");
});

Deno.test("events: a change in a child only does not repeat the parent's line", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "starting");
  // The caching reader, so the test can count its polls of pods.
  const cli = spawnCli(["wait", "deploy/web", "-o", "events", "--reader", "caching", ...c.flags]);
  await cli.waitForStdout(/InProgress/);
  // The pod starts crash-looping: the ReplicaSet turns Failed, the Deployment line is the same.
  c.api.put(pod("web-7d9f-b", "web-7d9f", "web", "crashloop"));
  await podPolls(c, 2);
  finishRollout(c);
  const r = await cli.result;
  assert.equal(r.code, 0, explain(r));
  assert.deepEqual(r.lines.slice(0, -1), [IN_PROGRESS, CURRENT], explain(r));
});

Deno.test("auto: one line per change when stdout is not a terminal", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready");
  const r = await spawnCli(["wait", "deploy/web", ...c.flags]).result;
  assert.equal(r.code, 0, explain(r));
  assert.equal(r.lines[0], CURRENT);
  assert.match(r.lines[1], /^all 1 resource Current after/);
  assert.equal(r.lines.length, 2);
  assert.ok(!r.stdout.includes("\x1b"), "no escape sequences off a terminal");
});

Deno.test("json: status lines with children, then the summary object", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "starting");
  // The caching reader: it sees the three writes of finishRollout together. Watch streams are
  // one per kind, so a watch may see the Deployment's write before its children's.
  const cli = spawnCli(["wait", "deploy/web", "-o", "json", "--reader", "caching", ...c.flags]);
  await cli.waitForStdout(/"status":"InProgress"/);
  finishRollout(c);
  const r = await cli.result;
  assert.equal(r.code, 0, explain(r));
  const objs = r.lines.map((l) => JSON.parse(l));
  const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
  const statusLines = objs.slice(0, -1);
  assert.equal(statusLines.length, 2, explain(r));
  for (const o of statusLines) {
    assert.equal(o.type, "status");
    assert.match(o.timestamp, rfc3339);
    assert.deepEqual(
      [o.group, o.kind, o.namespace, o.name],
      ["apps", "Deployment", "default", "web"],
    );
    assert.ok(Array.isArray(o.children));
  }
  assert.equal(statusLines[0].status, "InProgress");
  assert.equal(statusLines[0].message, "Available: 1/2");
  // The first line shows the tree as it was: ReplicaSet, then its pods.
  assert.deepEqual(statusLines[0].children, [{
    ref: "replicaset.apps/default/web-7d9f",
    group: "apps",
    kind: "ReplicaSet",
    namespace: "default",
    name: "web-7d9f",
    status: "InProgress",
    message: "Available: 1/2",
    rule: "contract:apps/ReplicaSet",
    children: [
      {
        ref: "pod/default/web-7d9f-a",
        group: "",
        kind: "Pod",
        namespace: "default",
        name: "web-7d9f-a",
        status: "Current",
        message: "Pod is Ready",
        rule: "contract:Pod",
        children: [],
      },
      {
        ref: "pod/default/web-7d9f-b",
        group: "",
        kind: "Pod",
        namespace: "default",
        name: "web-7d9f-b",
        status: "InProgress",
        message: "Pod is running but is not Ready",
        rule: "contract:Pod",
        children: [],
      },
    ],
  }]);
  assert.equal(statusLines[1].status, "Current");
  assert.equal(statusLines[1].children[0].status, "Current");

  const summary = objs.at(-1);
  assert.equal(summary.type, "summary");
  assert.match(summary.timestamp, rfc3339);
  assert.equal(summary.goal, "current");
  assert.equal(summary.result, "goal");
  assert.equal(summary.exitCode, 0);
  assert.equal(typeof summary.elapsedMs, "number");
  assert.match(summary.message, /^all 1 resource Current after/);
  assert.deepEqual(summary.resources, [{
    ref: "deployment.apps/default/web",
    group: "apps",
    kind: "Deployment",
    namespace: "default",
    name: "web",
    status: "Current",
    message: "Deployment is available. Replicas: 2",
    rule: "contract:apps/Deployment",
  }]);
  assert.deepEqual(Object.keys(summary).sort(), [
    "elapsedMs",
    "exitCode",
    "goal",
    "message",
    "resources",
    "result",
    "schemaVersion",
    "stats",
    "timestamp",
    "type",
  ]);
  // The cost of the wait: requests by verb and resource, and full poll cycles.
  assert.deepEqual(Object.keys(summary.stats).sort(), [
    "byVerb",
    "cycles",
    "requests",
    "steadyRequests",
  ]);
  // The caching reader LISTs its three kinds once per later cycle, nothing else.
  assert.equal(
    summary.stats.steadyRequests,
    3 * (summary.stats.cycles - 1),
    JSON.stringify(summary.stats),
  );
  assert.ok(summary.stats.cycles >= 1, JSON.stringify(summary.stats));
  assert.ok(summary.stats.requests >= summary.stats.cycles, JSON.stringify(summary.stats));
  assert.ok(summary.stats.byVerb["list apps/deployments"] >= 1, JSON.stringify(summary.stats));
});

Deno.test("table: printed once at the end with the children tree", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "starting");
  const cli = spawnCli(["wait", "deploy/web", "-o", "table", "--reader", "caching", ...c.flags]);
  // Nothing is printed while waiting when stdout is not a terminal; wait for a few polls.
  await podPolls(c, 2);
  assert.equal(cli.stdout, "");
  finishRollout(c);
  const r = await cli.result;
  assert.equal(r.code, 0, explain(r));
  assert.deepEqual(r.lines.slice(0, -1).map(blankAge), [
    "RESOURCE                STATUS   AGE  MESSAGE",
    "Deployment/web          Current  ...  Deployment is available. Replicas: 2",
    "└─ ReplicaSet/web-7d9f  Current  ...  ReplicaSet is available. Replicas: 2",
    "   ├─ Pod/web-7d9f-a    Current  ...  Pod is Ready",
    "   └─ Pod/web-7d9f-b    Current  ...  Pod is Ready",
  ], explain(r));
  assert.match(r.lines.at(-1)!, /^all 1 resource Current after/);
});

Deno.test("status: looks once, prints and exits 2 when not Current", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "starting");
  const r = await spawnCli(["status", "deploy/web", ...c.flags]).result;
  assert.equal(r.code, 2, explain(r));
  assert.deepEqual(r.lines, [
    IN_PROGRESS,
    "0 of 1 Current",
    // What is not Current is explained.
    `  ${IN_PROGRESS}`,
    "    rule: contract:apps/Deployment: status.availableReplicas 1 < status.updatedReplicas 2",
    "    because: Pod/web-7d9f-b: InProgress: Ready=False",
    "    because: ReplicaSet/web-7d9f: InProgress: status.availableReplicas 1 < spec.replicas 2",
  ]);
});

Deno.test("status --no-diagnostics: the status lines and the summary only", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "starting");
  const r = await spawnCli(["status", "deploy/web", "--no-diagnostics", ...c.flags]).result;
  assert.equal(r.code, 2, explain(r));
  assert.deepEqual(r.lines, [IN_PROGRESS, "0 of 1 Current"]);
  // Not a single request for events or logs.
  assert.equal(c.api.requests.filter((q) => q.resource === "events" || q.subresource).length, 0);
});

Deno.test(
  "status: exits 0 when everything is Current, json summary result once",
  opts,
  async () => {
    await using c = await startCluster();
    putDeploymentTree(c.api, "web", "ready");
    const r = await spawnCli(["status", "deploy/web", "-o", "json", ...c.flags]).result;
    assert.equal(r.code, 0, explain(r));
    const objs = r.lines.map((l) => JSON.parse(l));
    assert.equal(objs.length, 2);
    assert.equal(objs[0].status, "Current");
    assert.equal(objs[1].result, "once");
    assert.equal(objs[1].exitCode, 0);
  },
);
