// Subprocess tests of the exit codes of `kstatus wait` and `kstatus status`: 0 goal, 1 Failed
// (with and without --fail-fast), 2 timed out, 3 bad input, 4 unreachable or refused.

import assert from "node:assert/strict";
import { explain, runCli, spawnCli, startCluster } from "./fixtures/harness.ts";
import {
  deployment,
  job,
  pod,
  putDeploymentTree,
  replicaSet,
  statefulSet,
} from "./fixtures/objects.ts";

const MALFORMED = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n" +
  "  labels: {app: web\nspec:\n  replicas: 2\n";

const opts = { sanitizeOps: true, sanitizeResources: true };

Deno.test("exit 1 with --fail-fast: stops at once when a Job Failed", opts, async () => {
  await using c = await startCluster();
  c.api.put(job("migrate", "failed"));
  putDeploymentTree(c.api, "web", "starting");
  const r = await runCli(["wait", "job/migrate", "deploy/web", "--fail-fast", ...c.flags]);
  assert.equal(r.code, 1, explain(r));
  assert.ok(
    r.lines.includes("job.batch/default/migrate is Failed: Job Failed. failed: 3/1"),
    explain(r),
  );
  assert.match(r.stdout, /^1 resource Failed after \S+$/m);
  // What is not done is listed with the reason.
  assert.match(r.stdout, /^ {2}job\.batch\/default\/migrate is Failed: Job Failed/m);
  // The job is read first; the deployment was never read.
  assert.match(r.stdout, /^ {2}deployment\.apps\/default\/web is Unknown: not read yet$/m);
});

Deno.test("exit 1 with --fail-fast: a crash-looping pod fails its ReplicaSet", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "starting");
  const cli = spawnCli(["wait", "rs/web-7d9f", "--fail-fast", "--timeout", "10s", ...c.flags]);
  await cli.waitForStdout(/is InProgress/);
  c.api.put(pod("web-7d9f-b", "web-7d9f", "web", "crashloop"));
  const r = await cli.result;
  assert.equal(r.code, 1, explain(r));
  assert.deepEqual(r.lines.slice(0, 2), [
    "replicaset.apps/default/web-7d9f is InProgress: Available: 1/2",
    "replicaset.apps/default/web-7d9f is Failed: 1 pods have failed",
  ]);
  assert.match(r.lines[2], /^1 resource Failed after/);
  assert.ok(r.elapsedMs < 8000, "did not wait for the timeout");
});

Deno.test(
  "exit 1 at once: a failed Job is a terminal failure, no --fail-fast needed",
  opts,
  async () => {
    await using c = await startCluster();
    c.api.put(job("migrate", "failed"));
    const r = await runCli(["wait", "job/migrate", "--timeout", "10s", ...c.flags]);
    assert.equal(r.code, 1, explain(r));
    assert.deepEqual(r.lines.slice(0, 1), [
      "job.batch/default/migrate is Failed: Job Failed. failed: 3/1",
    ]);
    assert.match(r.lines[1], /^1 resource Failed after/);
    assert.ok(r.elapsedMs < 8000, "did not wait for the timeout");
  },
);

Deno.test("exit 1 with --no-fail-terminal: keeps waiting until the timeout", opts, async () => {
  await using c = await startCluster();
  c.api.put(job("migrate", "failed"));
  const r = await runCli(
    // Long enough for the fake server to answer discovery on a loaded machine (else exit 4).
    ["wait", "job/migrate", "--timeout", "2s", "--no-fail-terminal", ...c.flags],
  );
  assert.equal(r.code, 1, explain(r));
  assert.match(r.stdout, /^timed out after \d\.\ds: 1 of 1 not Current$/m);
  assert.ok(r.elapsedMs >= 2000, `exited after ${r.elapsedMs}ms`);
});

Deno.test(
  "without --fail-fast a Failed resource that recovers reaches the goal",
  opts,
  async () => {
    await using c = await startCluster();
    putDeploymentTree(c.api, "web", "crashloop");
    const cli = spawnCli(["wait", "rs/web-7d9f", "--timeout", "10s", ...c.flags]);
    await cli.waitForStdout(/is Failed/);
    c.api.put(pod("web-7d9f-b", "web-7d9f", "web", "ready"));
    c.api.put(replicaSet("web-7d9f", "web", { ready: 2 }));
    const r = await cli.result;
    assert.equal(r.code, 0, explain(r));
    // The watch reader may also show the moment between the two writes (pod Ready, ReplicaSet
    // not yet updated): first Failed, last Current, whatever came between.
    const changes = r.lines.slice(0, -1);
    assert.equal(changes[0], "replicaset.apps/default/web-7d9f is Failed: 1 pods have failed");
    assert.equal(
      changes.at(-1),
      "replicaset.apps/default/web-7d9f is Current: ReplicaSet is available. Replicas: 2",
      explain(r),
    );
  },
);

Deno.test("exit 2: the timeout names what is not ready and why", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready");
  c.api.put(deployment("api", { ready: 0, replicas: 3 }));
  c.api.put(statefulSet("db", { ready: 1 }));
  const r = await runCli(
    // Long enough for the fake server to answer discovery on a loaded machine (else exit 4).
    ["wait", "deploy/web", "deploy/api", "sts/db", "--timeout", "2s", ...c.flags],
  );
  assert.equal(r.code, 2, explain(r));
  const at = r.lines.findIndex((l) => l.startsWith("timed out"));
  assert.match(r.lines[at], /^timed out after \d\.\ds: 2 of 3 not Current$/);
  // Each resource not ready, with its diagnostics indented under it.
  const tail = r.lines.slice(at + 1);
  assert.deepEqual(tail.filter((l) => !l.startsWith("    ")), [
    "  deployment.apps/default/api is InProgress: Available: 0/3",
    "  statefulset.apps/default/db is InProgress: Ready: 1/3",
  ]);
  assert.ok(
    tail.includes("    rule: contract:apps/StatefulSet: status.readyReplicas 1 < spec.replicas 3"),
    explain(r),
  );
  assert.equal(r.stderr, "");
});

Deno.test("exit 2: json summary says timeout", opts, async () => {
  await using c = await startCluster();
  c.api.put(statefulSet("db", { ready: 1 }));
  const r = await runCli(["wait", "sts/db", "--timeout", "1500ms", "-o", "json", ...c.flags]);
  assert.equal(r.code, 2, explain(r));
  const summary = JSON.parse(r.lines.at(-1)!);
  assert.equal(summary.result, "timeout");
  assert.equal(summary.exitCode, 2);
  assert.match(summary.message, /^timed out after .*: 1 of 1 not Current$/);
  assert.equal(summary.resources[0].message, "Ready: 1/3");
});

Deno.test("exit 3: bad input and configuration, one line on stderr", opts, async (t) => {
  await using c = await startCluster();
  const cases: Array<[string, string[], RegExp]> = [
    ["a missing file", ["-f", "/nonexistent/app.yaml"], /^error: \/nonexistent\/app.yaml: /],
    ["an unknown kind", ["frobs/web"], /^error: .*resource type "frobs"/],
    ["a KIND/NAME without a name", ["deploy/"], /^error: argument "deploy\/": expected KIND\/NAME/],
    [
      "a mistyped --context",
      ["deploy/web", "--context", "fkae"],
      /^error: context "fkae" not found/,
    ],
    ["nothing to wait for", [], /^error: nothing to wait for/],
    ["-l without --kinds", ["-l", "app=web"], /^error: -l needs --kinds/],
    ["a bad --timeout", ["deploy/web", "--timeout", "soon"], /^error: --timeout: "soon" is not/],
    ["a bad --interval", ["deploy/web", "--interval", "0"], /^error: --interval must be above 0/],
    ["an unknown -o", ["deploy/web", "-o", "yaml"], /^error: option '-o, --output <format>'/],
    ["an unknown flag", ["deploy/web", "--frob"], /^error: unknown option '--frob'/],
  ];
  // The runs are independent: run them side by side, check them one by one.
  const results = await Promise.all(
    cases.map(([, args]) => runCli(["wait", ...args, "--kubeconfig", c.kubeconfig])),
  );
  // Malformed YAML, from stdin (a malformed fixture file would trip `deno fmt`).
  cases.push(["malformed YAML", ["-f", "-"], /^error: -:\d+: malformed YAML/]);
  results.push(
    await runCli(["wait", "-f", "-", "--kubeconfig", c.kubeconfig], { stdin: MALFORMED }),
  );
  for (const [i, [name, , stderr]] of cases.entries()) {
    await t.step(name, () => {
      const r = results[i];
      assert.equal(r.code, 3, explain(r));
      assert.match(r.stderr, stderr);
      assert.equal(r.stdout, "");
    });
  }
});

Deno.test("exit 3: a missing kubeconfig", opts, async () => {
  const r = await runCli(["status", "deploy/web", "--kubeconfig", "/nonexistent/kubeconfig"]);
  assert.equal(r.code, 3, explain(r));
  assert.match(r.stderr, /^error: .*\/nonexistent\/kubeconfig/);
  assert.equal(r.stderr.trim().split("\n").length, 1);
});

Deno.test("exit 4: a server that does not listen", opts, async () => {
  await using c = await startCluster();
  // A port that was free a moment ago: nothing listens there.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const kubeconfig = await c.api.kubeconfig({ server: `https://127.0.0.1:${port}` });
  const r = await runCli(["wait", "deploy/web", "--kubeconfig", kubeconfig]);
  assert.equal(r.code, 4, explain(r));
  assert.equal(r.stderr.trim().split("\n").length, 1, explain(r));
  assert.match(
    r.stderr,
    new RegExp(`^error: cannot reach the API server at https://127.0.0.1:${port}`),
  );
  assert.equal(r.stdout, "");
});

Deno.test("exit 4: a wrong token (401)", opts, async () => {
  await using c = await startCluster({ clientCert: "optional" });
  const kubeconfig = await c.api.kubeconfig({ auth: "token", token: "wrong" });
  c.api.removeToken("wrong");
  const r = await runCli(["wait", "deploy/web", "--kubeconfig", kubeconfig]);
  assert.equal(r.code, 4, explain(r));
  assert.equal(r.stderr, `error: the cluster at ${c.api.url} refused us: Unauthorized\n`);
});

for (const reader of ["caching", "watch"]) {
  Deno.test(`exit 4: a token revoked while waiting (401), ${reader} reader`, opts, async () => {
    await using c = await startCluster({ clientCert: "optional" });
    putDeploymentTree(c.api, "web", "starting");
    const kubeconfig = await c.api.kubeconfig({ auth: "token", token: "short-lived" });
    const cli = spawnCli(
      ["wait", "deploy/web", "--kubeconfig", kubeconfig, "--interval", "100ms", "--reader", reader],
    );
    await cli.waitForStdout(/InProgress/);
    c.api.removeToken("short-lived");
    // A token is checked when a request starts: open watches carry on until the server ends
    // them (its watch timeout), and the reconnection is what meets the 401.
    if (reader === "watch") c.api.endWatches();
    const r = await cli.result;
    assert.equal(r.code, 4, explain(r));
    assert.equal(r.stderr, `error: the cluster at ${c.api.url} refused us: Unauthorized\n`);
    assert.match(r.stdout, /^stopped after \S+: the cluster refused: Unauthorized$/m);
  });
}

Deno.test("exit 4: forbidden (403), one clear line in every output mode", opts, async (t) => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready");
  c.api.setForbidden((req) => req.resource === "replicasets");
  const line = `error: the cluster at ${c.api.url} refused us: replicasets.apps is forbidden: ` +
    `User "admin" cannot list resource "replicasets" in API group "apps" ` +
    `in the namespace "default"\n`;
  const results = await Promise.all(
    ["events", "json", "table"].map((o) => runCli(["wait", "deploy/web", "-o", o, ...c.flags])),
  );
  for (const [i, r] of results.entries()) {
    await t.step(["events", "json", "table"][i], () => {
      assert.equal(r.code, 4, explain(r));
      assert.equal(r.stderr, line);
    });
  }
  assert.match(results[0].stdout, /^stopped after \S+: the cluster refused: replicasets.apps is/m);
  assert.equal(JSON.parse(results[1].lines.at(-1)!).result, "refused");
});

Deno.test("exit 4 from status too (403)", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready");
  c.api.setForbidden((req) => req.resource === "deployments");
  const r = await runCli(["status", "deploy/web", ...c.flags]);
  assert.equal(r.code, 4, explain(r));
  assert.match(r.stderr, /^error: the cluster at .* refused us: deployments.apps is forbidden/);
});

Deno.test(
  "exit 1 with --fail-on and --fail-fast: an image pull error fails the Deployment at once",
  opts,
  async () => {
    await using c = await startCluster();
    putDeploymentTree(c.api, "web", "starting");
    const args = [
      "wait",
      "deploy/web",
      "--fail-on",
      "ErrImagePull,imagepullbackoff",
      "--fail-fast",
    ];
    const cli = spawnCli([...args, "--timeout", "10s", ...c.flags]);
    await cli.waitForStdout(/is InProgress/);
    const stuck = pod("web-7d9f-b", "web-7d9f", "web", "starting");
    const message = 'Back-off pulling image "example/app:nope"';
    (stuck.status as { containerStatuses: unknown[] }).containerStatuses = [
      { name: "app", ready: false, state: { waiting: { reason: "ImagePullBackOff", message } } },
    ];
    c.api.put(stuck);
    const r = await cli.result;
    assert.equal(r.code, 1, explain(r));
    assert.deepEqual(r.lines.slice(0, 2), [
      "deployment.apps/default/web is InProgress: Available: 1/2",
      `deployment.apps/default/web is Failed: pod web-7d9f-b: container app: ImagePullBackOff: ${message}`,
    ]);
    assert.ok(r.elapsedMs < 8000, "did not wait for the timeout");
  },
);

Deno.test("exit 3: an unknown --fail-on reason names the valid ones", opts, async () => {
  const r = await runCli(["wait", "deploy/web", "--fail-on", "OOMKilled"]);
  assert.equal(r.code, 3, explain(r));
  assert.equal(
    r.stderr,
    'error: unknown --fail-on reason "OOMKilled"; expected all or any of ErrImagePull,' +
      "ImagePullBackOff,CrashLoopBackOff,CreateContainerConfigError,InvalidImageName," +
      "Unschedulable\n",
  );
});
