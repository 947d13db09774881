// The compiled single binary (Bun, `deno task build`) against the fake API server: the same
// CLI through Bun's runtime and its TLS transport (client certificates, tokens).

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { explain, OPEN_STDIN, ROOT, runCli, spawnCli, startCluster } from "./fixtures/harness.ts";
import { deployment, pod, putDeploymentTree, replicaSet } from "./fixtures/objects.ts";

const opts = { sanitizeOps: true, sanitizeResources: true };

/** Builds the binary from the working tree into a temporary directory (it takes < 1s). */
async function buildBinary(): Promise<AsyncDisposable & { path: string }> {
  const dir = await mkdtemp(join(tmpdir(), "kstatus-bin-"));
  const path = join(dir, "kstatus");
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "build", "--outfile", path],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    await rm(dir, { recursive: true });
    throw new Error(`deno task build failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return { path, [Symbol.asyncDispose]: () => rm(dir, { recursive: true }) };
}

Deno.test("binary: a rollout followed over client-certificate TLS", opts, async (t) => {
  await using bin = await buildBinary();
  await using c = await startCluster();

  await t.step("version names the Bun runtime", async () => {
    const r = await runCli(["version"], { binary: bin.path });
    assert.equal(r.code, 0, explain(r));
    assert.match(r.stdout, /^kstatus \d+\.\d+\.\d+ \(bun \d+\.\d+\.\d+/);
  });

  await t.step("wait: InProgress, then Current, exit 0", async () => {
    putDeploymentTree(c.api, "web", "starting");
    const cli = spawnCli(["wait", "deploy/web", "-o", "events", ...c.flags], {
      binary: bin.path,
    });
    await cli.waitForStdout(/InProgress/);
    c.api.put(pod("web-7d9f-b", "web-7d9f", "web", "ready"));
    c.api.put(replicaSet("web-7d9f", "web", { ready: 2 }));
    c.api.put(deployment("web", { ready: 2 }));
    const r = await cli.result;
    assert.equal(r.code, 0, explain(r));
    assert.deepEqual(r.lines.slice(0, 2), [
      "deployment.apps/default/web is InProgress: Available: 1/2",
      "deployment.apps/default/web is Current: Deployment is available. Replicas: 2",
    ]);
    // The server saw the binary's requests authenticated by its client certificate.
    assert.ok(c.api.requests.some((q) => q.authKind === "cert" && q.resource === "deployments"));
  });

  await t.step("stdin, json and SIGTERM", async () => {
    c.api.put(deployment("api", { ready: 1 }));
    const manifest = JSON.stringify({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "api" },
    });
    const cli = spawnCli(["wait", "-f", "-", "-o", "json", ...c.flags], {
      binary: bin.path,
      stdin: manifest,
    });
    await cli.waitForStdout(/"status":"InProgress"/);
    cli.kill("SIGTERM");
    const r = await cli.result;
    assert.equal(r.code, 143, explain(r));
    const summary = JSON.parse(r.lines.at(-1)!);
    assert.equal(summary.result, "interrupted");
    assert.equal(summary.resources[0].name, "api");
  });
});

Deno.test("binary: SIGINT while stdin stays open", opts, async () => {
  await using bin = await buildBinary();
  await using c = await startCluster();
  const cli = spawnCli(["wait", "-f", "-", ...c.flags], { binary: bin.path, stdin: OPEN_STDIN });
  await new Promise((r) => setTimeout(r, 500));
  cli.kill("SIGINT");
  const timer = setTimeout(() => cli.kill("SIGKILL"), 5000);
  const r = await cli.result;
  clearTimeout(timer);
  assert.equal(r.code, 130, explain(r));
  assert.match(r.stderr, /interrupted \(SIGINT\)/);
});

Deno.test("binary: bearer token, then 401 and 403 are exit 4", opts, async () => {
  await using bin = await buildBinary();
  await using c = await startCluster({ clientCert: "optional" });
  putDeploymentTree(c.api, "web", "ready");
  const kubeconfig = await c.api.kubeconfig({ auth: "token", token: "t0ken" });
  const ok = await runCli(["status", "deploy/web", "--kubeconfig", kubeconfig], {
    binary: bin.path,
  });
  assert.equal(ok.code, 0, explain(ok));
  assert.ok(c.api.requests.some((q) => q.authKind === "token"));

  c.api.setForbidden((req) => req.resource === "deployments");
  const forbidden = await runCli(["status", "deploy/web", "--kubeconfig", kubeconfig], {
    binary: bin.path,
  });
  assert.equal(forbidden.code, 4, explain(forbidden));
  assert.match(
    forbidden.stderr,
    /^error: the cluster at .* refused us: deployments.apps is forbidden/,
  );

  c.api.removeToken("t0ken");
  const unauthorized = await runCli(["status", "deploy/web", "--kubeconfig", kubeconfig], {
    binary: bin.path,
  });
  assert.equal(unauthorized.code, 4, explain(unauthorized));
  assert.equal(
    unauthorized.stderr,
    `error: the cluster at ${c.api.url} refused us: Unauthorized\n`,
  );
});
