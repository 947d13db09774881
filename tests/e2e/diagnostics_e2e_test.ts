/**
 * End-to-end: diagnostics on the local control plane. kwok serves container logs (the API
 * server proxies pods/log to its kubelet endpoint) and its stages emit the kubelet's events, so a
 * crash-looping Deployment's timeout shows the BackOff event and the crash's last log lines; the
 * scheduler's reason shows for a pod that cannot be placed; `explain` of a healthy Deployment
 * says its rule and nothing else; a user without rights to events and logs gets the wait's exit
 * code and `forbidden` notes.
 *
 * @module
 */

import assert from "node:assert/strict";
import { apply, clusterEnv, explain, inNamespace, jsonLines, kstatus, kubectl } from "./cluster.ts";
import { deployment, restrictedReadsWorkloads, stream } from "./manifests.ts";

const FAST = ["--interval", "500ms"];

/** `kstatus wait deploy/<name> -n <ns> --timeout <timeout>` with `extra` flags. */
function waitFor(
  ns: string,
  name: string,
  timeout: string,
  extra: string[] = [],
  kubeconfig?: string,
) {
  return kstatus(["wait", `deploy/${name}`, "-n", ns, "--timeout", timeout, ...FAST, ...extra], {
    kubeconfig,
  });
}

/** The lines of the crash log kwok serves for a previous instance (scripts/cluster/logs). */
const CRASH_LINES = [
  "error: connecting to database db:5432: connection refused",
  "fatal: giving up after 3 attempts, exit code 1",
];

/** Applies a crash-looping Deployment and waits until its pod restarted once. */
async function crashingDeployment(ns: string): Promise<void> {
  await apply(ns, stream(deployment("web", { replicas: 1, image: "fail.example/crash:1" })));
  for (let i = 0; i < 100; i++) {
    const out = await kubectl([
      "get",
      "pods",
      "-n",
      ns,
      "-o",
      "jsonpath={.items[*].status.containerStatuses[*].restartCount}",
    ]);
    if (Number(out.trim().split(" ")[0]) >= 1) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the crash-looping pod never restarted");
}

Deno.test("e2e diagnostics: a crash-looping Deployment's timeout, in events, table and JSON", async () => {
  await inNamespace("kst-diag", async (ns) => {
    await crashingDeployment(ns);
    const events = await waitFor(ns, "web", "2s");
    assert.equal(events.code, 2, explain(events));
    const lines = events.stdout.split("\n");
    const at = lines.findIndex((l) => l.startsWith("timed out after"));
    assert.ok(at > 0, explain(events));
    assert.equal(lines[at + 1], `  deployment.apps/${ns}/web is InProgress: Available: 0/1`);
    assert.equal(
      lines[at + 2],
      "    rule: contract:apps/Deployment: status.availableReplicas 0 < status.updatedReplicas 1",
    );
    assert.match(
      events.stdout,
      /^ {4}because: Pod\/web-\S+: Failed: container app waiting: CrashLoopBackOff$/m,
    );
    assert.match(
      events.stdout,
      /^ {4}event: Warning BackOff on Pod\/web-\S+ \(.*\): Back-off restarting failed container/m,
    );
    assert.match(events.stdout, /^ {4}logs of web-\S+\/app \(previous instance, last 4 lines\):$/m);
    for (const line of CRASH_LINES) {
      assert.match(
        events.stdout,
        new RegExp(`^ {6}web-\\S+/app \\| ${line}$`, "m"),
        explain(events),
      );
    }

    const table = await waitFor(ns, "web", "2s", ["-o", "table"]);
    assert.equal(table.code, 2, explain(table));
    assert.match(table.stdout, /^RESOURCE\s+STATUS/);
    assert.match(table.stdout, /timed out after .*\n {2}deployment\.apps\/.*\n {4}rule: /);
    assert.match(table.stdout, /event: Warning BackOff on Pod\/web-/);
    assert.ok(table.stdout.includes(`/app | ${CRASH_LINES[1]}`), explain(table));

    const json = await waitFor(ns, "web", "2s", ["-o", "json"]);
    assert.equal(json.code, 2, explain(json));
    const summary = jsonLines(json.stdout).at(-1)!;
    const d = (summary.resources as Array<{ diagnostics: Record<string, unknown> }>)[0].diagnostics;
    const events_ = d.events as Array<Record<string, unknown>>;
    assert.ok(events_.some((e) => e.reason === "BackOff" && e.type === "Warning"), explain(json));
    const logs = d.logs as Array<{ container: string; previous: boolean; lines: string[] }>;
    assert.equal(logs[0].container, "app");
    assert.equal(logs[0].previous, true);
    assert.deepEqual(logs[0].lines.slice(-2), CRASH_LINES);
    assert.deepEqual(d.notes, []);
  });
});

Deno.test("e2e diagnostics: an unschedulable pod shows the scheduler's reason", async () => {
  await inNamespace("kst-diag", async (ns) => {
    const d = deployment("lost", { replicas: 1 }) as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    d.spec.template.spec.nodeSelector = { "kstatus.test/zone": "nowhere" };
    await apply(ns, stream(d));
    const r = await waitFor(ns, "lost", "3s");
    assert.equal(r.code, 2, explain(r));
    assert.match(
      r.stdout,
      /because: Pod\/lost-\S+: InProgress: PodScheduled=False \(Unschedulable\): 0\/2 nodes are available: 2 node\(s\) didn't match Pod's node affinity\/selector/,
      explain(r),
    );
    assert.match(r.stdout, /event: Warning FailedScheduling on Pod\/lost-\S+/, explain(r));
  });
});

Deno.test("e2e diagnostics: explain on a healthy Deployment shows its rule and no noise", async () => {
  await inNamespace("kst-diag", async (ns) => {
    await apply(ns, stream(deployment("web", { replicas: 2 })));
    const wait = await waitFor(ns, "web", "60s");
    assert.equal(wait.code, 0, explain(wait));
    const r = await kstatus(["explain", "deploy/web", "-n", ns]);
    assert.equal(r.code, 0, explain(r));
    assert.deepEqual(r.stdout.trimEnd().split("\n"), [
      `  deployment.apps/${ns}/web is Current: Deployment is available. Replicas: 2`,
      "    rule: contract:apps/Deployment: Available=True, status.replicas 2 all updated, " +
      "available and ready",
      "1 of 1 Current",
    ]);
    assert.equal(r.stderr, "");
  });
});

Deno.test("e2e diagnostics: without rights to events and logs, the wait's exit code and forbidden notes", async () => {
  await inNamespace("kst-diag", async (ns) => {
    await crashingDeployment(ns);
    const restricted = clusterEnv().restrictedKubeconfig;
    // No rights at all: the wait is refused (exit 4), diagnostics change nothing.
    const none = await waitFor(ns, "web", "2s", [], restricted);
    assert.equal(none.code, 4, explain(none));
    // Rights to read the workload, none to events or logs: exit 2 and the notes.
    await kubectl(["apply", "-n", ns, "-f", "-"], stream(...restrictedReadsWorkloads()));
    const r = await waitFor(ns, "web", "2s", [], restricted);
    assert.equal(r.code, 2, explain(r));
    assert.match(r.stdout, /^ {4}note: events: forbidden \(403\)$/m, explain(r));
    assert.match(r.stdout, /^ {4}note: logs: forbidden \(403\)$/m, explain(r));
    assert.match(
      r.stdout,
      /because: Pod\/web-\S+: Failed: container app waiting: CrashLoopBackOff/,
    );
  });
});
