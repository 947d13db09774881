// Subprocess tests of SIGINT and SIGTERM: the wait stops cleanly, prints its summary and exits
// 130 or 143, whatever it was doing.

import assert from "node:assert/strict";
import { explain, OPEN_STDIN, spawnCli, startCluster } from "./fixtures/harness.ts";
import { putDeploymentTree } from "./fixtures/objects.ts";

const opts = { sanitizeOps: true, sanitizeResources: true };

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`${signal} while waiting: summary printed, exit ${code}`, opts, async () => {
    await using c = await startCluster();
    putDeploymentTree(c.api, "web", "starting");
    const cli = spawnCli(["wait", "deploy/web", "--timeout", "0", ...c.flags]);
    await cli.waitForStdout(/InProgress/);
    cli.kill(signal);
    const r = await cli.result;
    assert.equal(r.code, code, explain(r));
    assert.equal(r.signal, null, "exited by itself, not killed by the signal");
    assert.deepEqual(r.lines.slice(1).map((l) => l.replace(/after \S+:/, "after T:")), [
      `interrupted (${signal}) after T: 1 of 1 not Current`,
      "  deployment.apps/default/web is InProgress: Available: 1/2",
      // Diagnostics of what was not ready when the signal came.
      "    rule: contract:apps/Deployment: status.availableReplicas 1 < status.updatedReplicas 2",
      "    because: Pod/web-7d9f-b: InProgress: Ready=False",
      "    because: ReplicaSet/web-7d9f: InProgress: status.availableReplicas 1 < spec.replicas 2",
    ]);
    assert.equal(r.stderr, "");
  });

  Deno.test(`${signal} with -o json: the summary object says interrupted`, opts, async () => {
    await using c = await startCluster();
    putDeploymentTree(c.api, "web", "starting");
    const cli = spawnCli(["wait", "deploy/web", "-o", "json", ...c.flags]);
    await cli.waitForStdout(/InProgress/);
    cli.kill(signal);
    const r = await cli.result;
    assert.equal(r.code, code, explain(r));
    const summary = JSON.parse(r.lines.at(-1)!);
    assert.equal(summary.result, "interrupted");
    assert.equal(summary.exitCode, code);
    assert.equal(summary.resources[0].status, "InProgress");
  });

  Deno.test(`${signal} while reading manifests from an open stdin`, opts, async () => {
    await using c = await startCluster();
    const cli = spawnCli(["wait", "-f", "-", ...c.flags], { stdin: OPEN_STDIN });
    // Give it time to start reading stdin (and its signal handlers; on a loaded machine 700 ms
    // was not always enough): the signal must not be lost or need a second one.
    await new Promise((r) => setTimeout(r, 2000));
    cli.kill(signal);
    const timer = setTimeout(() => cli.kill("SIGKILL"), 5000);
    const r = await cli.result;
    clearTimeout(timer);
    assert.equal(r.code, code, explain(r));
    assert.match(r.stderr, new RegExp(`interrupted \\(${signal}\\)`));
  });
}

Deno.test("table mode: interrupted, the final table and summary are printed", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "starting");
  const cli = spawnCli(["wait", "deploy/web", "-o", "table", ...c.flags]);
  // Nothing appears before the end off a terminal: wait for polls instead.
  while (c.api.requests.filter((r) => r.resource === "pods").length < 2) {
    await new Promise((r) => setTimeout(r, 20));
  }
  cli.kill("SIGINT");
  const r = await cli.result;
  assert.equal(r.code, 130, explain(r));
  assert.match(r.lines[0], /^RESOURCE\s+STATUS\s+AGE\s+MESSAGE$/);
  assert.match(r.stdout, /└─ Pod\/web-7d9f-b\s+InProgress/);
  // The summary, then the diagnostics of what was not ready.
  const summary = r.lines.findIndex((l) =>
    /^interrupted \(SIGINT\) after \S+: 1 of 1 not Current$/.test(l)
  );
  assert.ok(summary > 0, explain(r));
  assert.equal(r.lines[summary + 1], "  deployment.apps/default/web is InProgress: Available: 1/2");
  assert.match(r.lines.at(-1)!, /^ {4}because: ReplicaSet\/web-7d9f: /);
});

Deno.test("--timeout while reading manifests from an open stdin: exit 2", opts, async () => {
  await using c = await startCluster();
  const cli = spawnCli(["wait", "-f", "-", "--timeout", "500ms", ...c.flags], {
    stdin: OPEN_STDIN,
  });
  const timer = setTimeout(() => cli.kill("SIGKILL"), 5000);
  const r = await cli.result;
  clearTimeout(timer);
  assert.equal(r.code, 2, explain(r));
  assert.match(r.stderr, /timed out after 500ms/);
});
