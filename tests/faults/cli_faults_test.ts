/**
 * The fault suite through the CLI (in-process) against the HTTPS fake API
 * server: each case asserts the exit code, a time bound, the request count
 * and what is (not) printed.
 */

import assert from "node:assert/strict";
import { startFakeApiServer } from "../support/fake_apiserver.ts";
import { kstatus } from "./helpers.ts";
import { deployment } from "../watch/helpers.ts";

Deno.test("faults: wait under a 410 storm on every watch stays within its request budget", async () => {
  const api = await startFakeApiServer();
  try {
    api.put(deployment("web", 0));
    const kubeconfig = await api.kubeconfig();
    api.failNext({ verb: "watch" }, { status: 410, reason: "Expired", times: 1_000_000 });
    const run = await kstatus([
      "wait",
      "deploy/web",
      "-n",
      "ns",
      "--timeout",
      "4s",
      "-o",
      "events",
      "--kubeconfig",
      kubeconfig,
    ]);
    assert.equal(run.code, 2, run.text);
    assert.ok(run.ms < 5_500, `ended after ${run.ms} ms`);
    const lists = api.requests.filter((r) => r.verb === "list").length;
    const watches = api.requests.filter((r) => r.verb === "watch").length;
    // Three pairs (Deployments, ReplicaSets, Pods of ns); budget 6 + 4 s / 2 s = 8 each.
    assert.ok(lists + watches <= 3 * 8, `${lists} lists, ${watches} watches in 4 s`);
    assert.ok(watches >= 3, "watches were tried");
  } finally {
    await api.close();
  }
});
