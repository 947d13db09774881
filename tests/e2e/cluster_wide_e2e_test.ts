/**
 * End-to-end: a wait over many namespaces reads each kind with one
 * cluster-wide LIST and WATCH (admin); a user allowed only in those
 * namespaces is refused cluster-wide and falls back to one pair per
 * namespace, with the same verdict.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  clusterEnv,
  createNamespace,
  deleteNamespace,
  explain,
  jsonLines,
  kstatus,
  kubectl,
  manifestFile,
  type RunResult,
} from "./cluster.ts";
import { deployment, restrictedReadsWorkloads, stream } from "./manifests.ts";

const COUNT = 12;

/**
 * LIST and WATCH requests of the three kinds a Deployment wait reads, from `-v`'s lines: a LIST's
 * further pages (`continue=`) are not counted (the shared cluster may hold many objects); a path
 * with `/namespaces/` is one namespace's, else the request is cluster-wide.
 */
function workloadRequests(r: RunResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of r.stderr.split("\n")) {
    const m =
      /^GET \S+?\/(?:api\/v1|apis\/apps\/v1)(\/namespaces\/[^/]+)?\/(deployments|replicasets|pods)\?(\S*) (\d+|failed)/
        .exec(line);
    if (!m || m[3].includes("continue=")) continue;
    const verb = /(^|&)watch=(1|true)/.test(m[3]) ? "watch" : "list";
    // A watch still waiting for its answer when the wait ends is logged as failed (closed): it
    // was sent all the same.
    const outcome = verb === "watch" && /the watch cluster reader was closed/.test(line)
      ? "200"
      : m[4];
    const key = `${verb} ${m[2]} ${m[1] ? "per namespace" : "cluster-wide"} ${outcome}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

Deno.test(`e2e: ${COUNT} namespaces, one cluster-wide watch per kind; a user allowed per namespace falls back`, async () => {
  const namespaces = await Promise.all(
    Array.from({ length: COUNT }, () => createNamespace("kst-wide")),
  );
  try {
    const objects = namespaces.map((ns) => {
      const d = deployment("web", { replicas: 1 });
      return { ...d, metadata: { ...d.metadata as object, namespace: ns } };
    });
    const file = await manifestFile(stream(...objects));
    await kubectl(["apply", "-f", file]);
    const wait = ["wait", "-f", file, "-o", "json", "--timeout", "90s", "--interval", "1s"];

    const admin = await kstatus([...wait, "-v"]);
    assert.equal(admin.code, 0, explain(admin));
    const done = jsonLines(admin.stdout).filter((l) =>
      l.type === "status" && l.status === "Current"
    );
    assert.equal(new Set(done.map((l) => l.namespace)).size, COUNT, explain(admin));
    assert.deepEqual(workloadRequests(admin), {
      "list deployments cluster-wide 200": 1,
      "list replicasets cluster-wide 200": 1,
      "list pods cluster-wide 200": 1,
      "watch deployments cluster-wide 200": 1,
      "watch replicasets cluster-wide 200": 1,
      "watch pods cluster-wide 200": 1,
    }, explain(admin));
    // The JSON summary's stats count the same watches.
    const stats = jsonLines(admin.stdout).find((l) => l.type === "summary")?.stats as {
      byVerb: Record<string, number>;
    };
    assert.equal(stats.byVerb["watch apps/deployments"], 1);
    assert.equal(stats.byVerb["watch pods"], 1);

    // The restricted user may read the three kinds in these namespaces only.
    const rbac = namespaces.flatMap((ns) => restrictedReadsWorkloads(ns));
    await kubectl(["apply", "-f", "-"], stream(...rbac));
    const restricted = await kstatus([...wait, "-v"], {
      kubeconfig: clusterEnv().restrictedKubeconfig,
    });
    assert.equal(restricted.code, 0, explain(restricted));
    // One refused cluster-wide LIST per kind, then a LIST and a WATCH per namespace (the wait
    // may end before the last watches are answered).
    const seen = workloadRequests(restricted);
    const watches = Object.entries(seen).filter(([k]) => k.startsWith("watch"));
    assert.deepEqual(
      Object.fromEntries(Object.entries(seen).filter(([k]) => k.startsWith("list"))),
      {
        "list deployments cluster-wide 403": 1,
        "list replicasets cluster-wide 403": 1,
        "list pods cluster-wide 403": 1,
        "list deployments per namespace 200": COUNT,
        "list replicasets per namespace 200": COUNT,
        "list pods per namespace 200": COUNT,
      },
      explain(restricted),
    );
    assert.ok(watches.length > 0, explain(restricted));
    for (const [key, n] of watches) {
      assert.match(key, /per namespace/, explain(restricted));
      assert.ok(n <= COUNT, `${key}: ${n}`);
    }
  } finally {
    await Promise.all(namespaces.map(deleteNamespace));
  }
});
