/**
 * Diagnostics through the CLI against the fake API server: the block under a resource that
 * timed out (events, table), the JSON summary's `diagnostics`, `explain`, the flags, refused
 * events and logs, and text from the cluster escaped.
 *
 * @module
 */

import assert from "node:assert/strict";
import { explain, runCli, spawnCli, startCluster, type TestCluster } from "./fixtures/harness.ts";
import { putDeploymentTree } from "./fixtures/objects.ts";

const opts = { sanitizeOps: true, sanitizeResources: true };

/** `web` with its second pod crash-looping (4 restarts), a BackOff event and a log. */
function crashingWeb(c: TestCluster): void {
  putDeploymentTree(c.api, "web", "crashloop");
  const pod = c.api.get({ group: "", kind: "Pod" }, "default", "web-7d9f-b")!;
  const status = pod.status as { containerStatuses: Array<Record<string, unknown>> };
  status.containerStatuses[0].restartCount = 4;
  status.containerStatuses[0].lastState = { terminated: { exitCode: 1, reason: "Error" } };
  c.api.put(pod);
  for (const at of ["2026-01-01T10:00:00Z", "2026-01-01T10:02:00Z"]) {
    c.api.put({
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: `web-7d9f-b.${at}`, namespace: "default" },
      type: "Warning",
      reason: "BackOff",
      note: "Back-off restarting failed container app",
      eventTime: at,
      regarding: {
        kind: "Pod",
        namespace: "default",
        name: "web-7d9f-b",
        uid: "uid-pod-web-7d9f-b",
      },
    });
  }
  c.api.setLogs(
    "default",
    "web-7d9f-b",
    "app",
    "starting web\nerror: cannot connect to db:5432\n\x1b[31mpanic\x1b[0m: exit\n",
    { previous: true },
  );
}

const BLOCK = [
  "  deployment.apps/default/web is InProgress: Available: 1/2",
  "    rule: contract:apps/Deployment: status.availableReplicas 1 < status.updatedReplicas 2",
  "    because: Pod/web-7d9f-b: Failed: container app waiting: CrashLoopBackOff",
  // A ReplicaSet with a Failed pod is Failed (the contract's escalation).
  "    because: ReplicaSet/web-7d9f: Failed: Failed pods: web-7d9f-b",
  "    event: Warning BackOff on Pod/web-7d9f-b (2 times, last 2026-01-01T10:02:00Z): " +
  "Back-off restarting failed container app",
  "    logs of web-7d9f-b/app (previous instance, last 3 lines):",
  "      web-7d9f-b/app | starting web",
  "      web-7d9f-b/app | error: cannot connect to db:5432",
  // The escape sequence from the container is shown, not obeyed.
  "      web-7d9f-b/app | \\e[31mpanic\\e[0m: exit",
];

Deno.test("wait timeout, events output: the block under the resource", opts, async () => {
  await using c = await startCluster();
  crashingWeb(c);
  const r = await runCli(["wait", "deploy/web", "--timeout", "1500ms", ...c.flags]);
  assert.equal(r.code, 2, explain(r));
  const at = r.lines.findIndex((l) => l.startsWith("timed out after"));
  assert.deepEqual(r.lines.slice(at + 1), BLOCK, explain(r));
  assert.equal(r.stderr, "");
  // Live events are opt-in: without --events, no watch of events.
  assert.equal(c.api.requests.filter((q) => q.resource === "events" && q.query.watch).length, 0);
});

Deno.test("wait timeout, table output: the table, the summary, then the block", opts, async () => {
  await using c = await startCluster();
  crashingWeb(c);
  const r = await runCli(["wait", "deploy/web", "--timeout", "1500ms", "-o", "table", ...c.flags]);
  assert.equal(r.code, 2, explain(r));
  const at = r.lines.findIndex((l) => l.startsWith("timed out after"));
  assert.match(r.lines[0], /^NAMESPACE\s+RESOURCE/);
  assert.deepEqual(r.lines.slice(at + 1), BLOCK, explain(r));
});

Deno.test(
  "wait timeout, json output: the summary's resources carry diagnostics",
  opts,
  async () => {
    await using c = await startCluster();
    crashingWeb(c);
    const r = await runCli(["wait", "deploy/web", "--timeout", "1500ms", "-o", "json", ...c.flags]);
    assert.equal(r.code, 2, explain(r));
    const summary = JSON.parse(r.lines.at(-1)!);
    assert.equal(summary.result, "timeout");
    assert.deepEqual(summary.resources[0].diagnostics, {
      rule: {
        id: "contract:apps/Deployment",
        decidedBy: "status.availableReplicas 1 < status.updatedReplicas 2",
        because: [
          "Pod/web-7d9f-b: Failed: container app waiting: CrashLoopBackOff",
          "ReplicaSet/web-7d9f: Failed: Failed pods: web-7d9f-b",
        ],
      },
      events: [{
        object: "Pod/web-7d9f-b",
        namespace: "default",
        type: "Warning",
        reason: "BackOff",
        message: "Back-off restarting failed container app",
        count: 2,
        lastTime: "2026-01-01T10:02:00Z",
      }],
      // JSON keeps the text exact.
      logs: [{
        pod: "web-7d9f-b",
        container: "app",
        previous: true,
        lines: ["starting web", "error: cannot connect to db:5432", "\x1b[31mpanic\x1b[0m: exit"],
        truncated: false,
      }],
      notes: [],
    });
    // The requests it cost: one LIST of events, one log.
    assert.equal(c.api.requests.filter((q) => q.resource === "events").length, 1);
    assert.equal(c.api.requests.filter((q) => q.subresource === "log").length, 1);
  },
);

Deno.test("--no-logs and --no-events leave those parts out, and their requests", opts, async () => {
  await using c = await startCluster();
  crashingWeb(c);
  const r = await runCli([
    "wait",
    "deploy/web",
    "--timeout",
    "1500ms",
    "--no-logs",
    "--no-events",
    ...c.flags,
  ]);
  assert.equal(r.code, 2, explain(r));
  const at = r.lines.findIndex((l) => l.startsWith("timed out after"));
  assert.deepEqual(r.lines.slice(at + 1), BLOCK.slice(0, 4));
  assert.equal(c.api.requests.filter((q) => q.resource === "events" || q.subresource).length, 0);
});

Deno.test(
  "--diagnostics-limit: requests=0 reads no log and says so; a bad value is exit 3",
  opts,
  async () => {
    await using c = await startCluster();
    crashingWeb(c);
    const r = await runCli([
      "status",
      "deploy/web",
      "--diagnostics-limit",
      "requests=0,lines=5",
      ...c.flags,
    ]);
    assert.equal(r.code, 2, explain(r));
    assert.ok(
      r.lines.includes("    note: logs: 1 containers not read (at most 0 log requests per run)"),
      explain(r),
    );
    const bad = await runCli(["status", "deploy/web", "--diagnostics-limit", "podz=3", ...c.flags]);
    assert.equal(bad.code, 3, explain(bad));
    assert.match(bad.stderr, /--diagnostics-limit: "podz=3" is not N or one of requests=N, pods=N/);
  },
);

Deno.test(
  "events and logs refused: forbidden notes, the exit code is the wait's",
  opts,
  async () => {
    await using c = await startCluster();
    crashingWeb(c);
    c.api.setForbidden((q) => q.resource === "events" || q.subresource === "log");
    const r = await runCli(["wait", "deploy/web", "--timeout", "1500ms", ...c.flags]);
    assert.equal(r.code, 2, explain(r));
    const at = r.lines.findIndex((l) => l.startsWith("timed out after"));
    assert.deepEqual(r.lines.slice(at + 1).filter((l) => l.includes("note:")).sort(), [
      "    note: events: forbidden (403)",
      "    note: logs: forbidden (403)",
    ]);
  },
);

Deno.test("a wait that reaches its goal gathers nothing", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready");
  const r = await runCli(["wait", "deploy/web", "--timeout", "5s", ...c.flags]);
  assert.equal(r.code, 0, explain(r));
  assert.equal(c.api.requests.filter((q) => q.resource === "events" || q.subresource).length, 0);
});

Deno.test("explain: a healthy Deployment shows its rule and nothing else", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready");
  const r = await runCli(["explain", "deploy/web", ...c.flags]);
  assert.equal(r.code, 0, explain(r));
  assert.deepEqual(r.lines, [
    "  deployment.apps/default/web is Current: Deployment is available. Replicas: 2",
    "    rule: contract:apps/Deployment: Available=True, status.replicas 2 all updated, " +
    "available and ready",
    "1 of 1 Current",
  ]);
});

Deno.test(
  "explain: the full diagnostics of a crash-looping Deployment, exit code as status",
  opts,
  async () => {
    await using c = await startCluster();
    crashingWeb(c);
    const r = await runCli(["explain", "deploy/web", ...c.flags]);
    assert.equal(r.code, 2, explain(r));
    assert.deepEqual(r.lines, [...BLOCK, "0 of 1 Current"]);
    const json = await runCli(["explain", "deploy/web", "-o", "json", ...c.flags]);
    const summary = JSON.parse(json.lines.at(-1)!);
    assert.equal(summary.resources[0].diagnostics.logs[0].pod, "web-7d9f-b");
  },
);

Deno.test(
  "--events: Warning events of the tree printed as they arrive, others not",
  opts,
  async () => {
    await using c = await startCluster();
    putDeploymentTree(c.api, "web", "crashloop");
    const cli = spawnCli(["wait", "deploy/web", "--events", "--timeout", "0", ...c.flags]);
    await cli.waitForStdout(/InProgress/);
    await c.api.waitForWatches(1, { resource: "events" });
    const event = (name: string, reason: string, note: string, kind = "Pod") =>
      c.api.put({
        apiVersion: "events.k8s.io/v1",
        kind: "Event",
        metadata: { name: `${name}.${reason}`, namespace: "default" },
        type: "Warning",
        reason,
        note,
        regarding: { kind, namespace: "default", name },
      });
    event("db-0", "BackOff", "not ours");
    event("web-7d9f-b", "BackOff", "Back-off restarting failed container \x1b[2Japp");
    // A pod of web the tree does not hold yet (named after web) is ours too.
    event("web-7d9f-c", "Failed", "Error: ImagePullBackOff");
    await cli.waitForStdout(/web-7d9f-c/);
    cli.kill("SIGINT");
    const r = await cli.result;
    assert.equal(r.code, 130, explain(r));
    assert.deepEqual(r.lines.filter((l) => l.startsWith("event:")), [
      "event: Warning BackOff on Pod/default/web-7d9f-b: Back-off restarting failed container \\e[2Japp",
      "event: Warning Failed on Pod/default/web-7d9f-c: Error: ImagePullBackOff",
    ]);
    // One LIST (where to start) and one WATCH of Warning events.
    const requests = c.api.requests.filter((q) => q.resource === "events" && q.query.watch);
    assert.equal(requests.length, 1);
    assert.equal(requests[0].query.fieldSelector, "type=Warning");
  },
);

Deno.test("--events -o json: event lines; refused: one note, the wait goes on", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "starting");
  c.api.setForbidden((q) => q.resource === "events");
  const r = await runCli([
    "wait",
    "deploy/web",
    "--events",
    "--timeout",
    "1500ms",
    "-o",
    "json",
    "--no-diagnostics",
    ...c.flags,
  ]);
  assert.equal(r.code, 2, explain(r));
  const notes = r.lines.map((l) => JSON.parse(l)).filter((o) => o.type === "note");
  assert.deepEqual(notes.map((n) => n.text), ["live events: forbidden (403) in namespace default"]);
});
