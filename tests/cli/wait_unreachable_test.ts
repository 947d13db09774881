// In-process: a cluster that stops answering while `kstatus wait` runs. (Against the HTTPS
// server this takes several seconds, as the client retries refused connections before giving
// up; here the in-memory API fails at once, so the timeout path is checked quickly.)

import assert from "node:assert/strict";
import { runCli } from "../../main.ts";
import { connectionFromApi } from "../../lib/cli/connection.ts";
import type { KubeApi } from "../../lib/cluster/types.ts";
import { ConnectionError } from "../../lib/kube/errors.ts";
import { createMemoryCluster, type KubeObject, type MemoryCluster } from "../../mod.ts";
import { deployment, job } from "./fixtures/objects.ts";

const SERVER = "https://10.0.0.1:6443";
const REFUSED = `cannot reach the API server at ${SERVER}: connection refused`;

/** Runs the CLI in-process over `api` (reads) and `cluster` (kinds); `stalledOn` as given. */
async function runOn(
  cluster: MemoryCluster,
  api: KubeApi,
  args: string[],
  stalledOn?: () => string | undefined,
) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, "--interval", "20ms"], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    isTerminal: false,
    connect: () =>
      Promise.resolve(connectionFromApi(api, {
        namespace: "default",
        server: SERVER,
        resolveKind: (t) => cluster.resolveKind(t),
        stalledOn,
      })),
  });
  return { code, out, err, text: out.join("\n") };
}

/**
 * An in-memory cluster whose reads fail with "connection refused" once `state.down` is set;
 * `state.only` limits that to some plural resources.
 */
function flakyCluster(objects: unknown[]) {
  const cluster = createMemoryCluster(objects as KubeObject[]);
  const state = { down: false, only: [] as string[] };
  const guard = <T>(resource: string, call: () => Promise<T>): Promise<T> =>
    state.down && (state.only.length === 0 || state.only.includes(resource))
      ? Promise.reject(new ConnectionError(SERVER, "refused", ""))
      : call();
  const api: KubeApi = {
    mapper: cluster.api.mapper,
    get: (...args) => guard(args[0].resource, () => cluster.api.get(...args)),
    list: (...args) => guard(args[0].resource, () => cluster.api.list(...args)),
  };
  const run = (args: string[]) => runOn(cluster, api, args);
  return { state, run };
}

Deno.test("exit 4: the cluster stops answering and the wait times out", async () => {
  const c = flakyCluster([deployment("web", { ready: 1 })]);
  const timer = setTimeout(() => c.state.down = true, 100);
  const r = await c.run(["wait", "deploy/web", "--timeout", "400ms"]);
  clearTimeout(timer);
  assert.equal(r.code, 4, r.text);
  assert.deepEqual(r.err, [`error: timed out: ${REFUSED}`]);
  assert.equal(r.out[0], "deployment.apps/default/web is InProgress: Available: 1/2");
  assert.equal(r.out[1], `deployment.apps/default/web is Unknown: ${REFUSED}`);
  assert.match(r.text, /^timed out after \S+: 1 of 1 not Current$/m);
  assert.ok(r.out.includes(`  deployment.apps/default/web is Unknown: ${REFUSED}`), r.text);
});

Deno.test("a Failed resource it can still read decides: exit 1", async () => {
  const c = flakyCluster([job("migrate", "failed"), deployment("web", { ready: 1 })]);
  c.state.only = ["deployments"];
  const timer = setTimeout(() => c.state.down = true, 100);
  const r = await c.run([
    "wait",
    "job/migrate",
    "deploy/web",
    "--timeout",
    "400ms",
    "--no-fail-terminal",
  ]);
  clearTimeout(timer);
  assert.equal(r.code, 1, r.text);
  assert.ok(r.out.includes(`deployment.apps/default/web is Unknown: ${REFUSED}`), r.text);
  assert.deepEqual(r.err, []);
});

Deno.test("what was Failed before the cluster went away is no longer known: 4", async () => {
  const c = flakyCluster([job("migrate", "failed")]);
  const timer = setTimeout(() => c.state.down = true, 100);
  const r = await c.run(["wait", "job/migrate", "--timeout", "400ms", "--no-fail-terminal"]);
  clearTimeout(timer);
  assert.equal(r.code, 4, r.text);
  assert.deepEqual(r.out.slice(0, 2), [
    "job.batch/default/migrate is Failed: Job Failed. failed: 3/1",
    `job.batch/default/migrate is Unknown: ${REFUSED}`,
  ]);
});

Deno.test("the cluster answers again in time: the goal is reached, exit 0", async () => {
  const c = flakyCluster([deployment("web", { ready: 2 })]);
  c.state.down = true;
  const timer = setTimeout(() => c.state.down = false, 150);
  const r = await c.run(["wait", "deploy/web", "--timeout", "5s"]);
  clearTimeout(timer);
  assert.equal(r.code, 0, r.text);
  assert.deepEqual(r.out.slice(0, 2), [
    `deployment.apps/default/web is Unknown: ${REFUSED}`,
    "deployment.apps/default/web is Current: Deployment is available. Replicas: 2",
  ]);
  assert.deepEqual(r.err, []);
});

/** A cluster whose reads wait for ever (until aborted) while an exec plugin has not answered. */
async function runStalled(args: string[], readsFirst: number) {
  const cluster = createMemoryCluster([deployment("web", { ready: 1 }) as KubeObject]);
  let reads = 0;
  const stalled = <T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> =>
    reads++ < readsFirst ? call() : new Promise<T>((_, reject) => {
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
  const api: KubeApi = {
    mapper: cluster.api.mapper,
    get: (m, ns, name, o) => stalled(() => cluster.api.get(m, ns, name, o), o?.signal),
    list: (m, ns, o) => stalled(() => cluster.api.list(m, ns, o), o?.signal),
  };
  return await runOn(
    cluster,
    api,
    args,
    () => 'exec plugin "login.sh" has not answered after 0.3s',
  );
}

Deno.test("exit 4: the timeout fires while polling, nothing read, an exec plugin not answering", async () => {
  const r = await runStalled(["wait", "deploy/web", "--timeout", "300ms", "-o", "json"], 0);
  assert.equal(r.code, 4, r.text);
  assert.deepEqual(r.err, [
    'error: timed out after 300ms: exec plugin "login.sh" has not answered after 0.3s',
  ]);
  const summary = JSON.parse(r.out.at(-1)!);
  assert.equal(summary.exitCode, 4);
  // Something was read before the plugin stalled (a credential refresh): the statuses decide.
  const read = await runStalled(
    ["wait", "deploy/web", "--timeout", "300ms", "--no-diagnostics"],
    10,
  );
  assert.equal(read.code, 2, read.text);
});
