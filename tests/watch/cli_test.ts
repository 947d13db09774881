/**
 * `kstatus wait --reader watch` as a subprocess against the HTTPS fake API
 * server: the wait ends as soon as the server reports the change, long
 * before the next poll.
 */

import assert from "node:assert/strict";
import { startFakeApiServer } from "../support/fake_apiserver.ts";
import { deployment, requestsOf } from "./helpers.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

Deno.test("cli: wait --reader watch ends when the watch reports Current, not at the next poll", async () => {
  const api = await startFakeApiServer();
  try {
    api.put(deployment("web", 0));
    const kubeconfig = await api.kubeconfig();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        MAIN,
        "wait",
        "deploy/web",
        "-n",
        "ns",
        "--reader",
        "watch",
        "--interval",
        "60s",
        "--timeout",
        "30s",
        "-o",
        "events",
        "--kubeconfig",
        kubeconfig,
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Deployments, ReplicaSets and Pods of ns are watched once the first cycle is done.
    await api.waitForWatches(3, undefined, 20_000);
    const t0 = performance.now();
    api.put(deployment("web", 2));
    const { code, stdout, stderr } = await child.output();
    const elapsed = performance.now() - t0;
    const out = new TextDecoder().decode(stdout);
    assert.equal(code, 0, `stdout:\n${out}\nstderr:\n${new TextDecoder().decode(stderr)}`);
    assert.ok(elapsed < 10_000, `ended ${elapsed} ms after the change (poll interval 60 s)`);
    assert.match(out, /Current/);
    assert.deepEqual(
      requestsOf(api, ["watch"]).map((r) => r.resource).sort(),
      ["deployments", "pods", "replicasets"],
    );
  } finally {
    await api.close();
  }
});
