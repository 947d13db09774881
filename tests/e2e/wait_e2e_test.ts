/**
 * End-to-end: kstatus against a real control plane (kube-apiserver,
 * controller-manager, scheduler, etcd, kwok) started by `deno task cluster:up`.
 * Real controllers roll the objects out; kwok plays the kubelet (see
 * scripts/cluster/stages/pod.yaml for the images that crash, fail to pull or
 * exit).
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  apply,
  clusterEnv,
  explain,
  inNamespace,
  jsonLines,
  kstatus,
  kubectl,
  manifestFile,
  restartApiServer,
  type RunResult,
} from "./cluster.ts";
import {
  configMap,
  daemonSet,
  deployment,
  job,
  statefulSet,
  stream,
  widget,
  widgetCrd,
} from "./manifests.ts";

const FAST = ["--interval", "500ms"];

function statuses(r: RunResult, name: string): string[] {
  return jsonLines(r.stdout)
    .filter((l) => l.type === "status" && l.name === name)
    .map((l) => String(l.status));
}

for (const reader of ["caching", "direct", "watch"]) {
  Deno.test(`e2e [${reader}]: a Deployment rolls out to Current, children under it`, async () => {
    await inNamespace(`rollout-${reader}`, async (ns) => {
      const file = await manifestFile(stream(deployment("web", {
        replicas: 3,
        annotations: { "kstatus.test/ready-after": "2s" },
      })));
      // Start waiting before the object exists: NotFound first, then the rollout.
      const waiting = kstatus([
        "wait",
        "-f",
        file,
        "-n",
        ns,
        "--reader",
        reader,
        "-o",
        "json",
        "--timeout",
        "90s",
        ...FAST,
      ]);
      await new Promise((r) => setTimeout(r, 1500));
      await kubectl(["apply", "-n", ns, "-f", file]);
      const r = await waiting;
      assert.equal(r.code, 0, explain(r));
      const seen = statuses(r, "web");
      assert.equal(seen[0], "NotFound", explain(r));
      assert.ok(seen.includes("InProgress"), explain(r));
      assert.equal(seen.at(-1), "Current", explain(r));
      const last = jsonLines(r.stdout).filter((l) => l.type === "status").at(-1)!;
      const rs = (last.children as Array<Record<string, unknown>>)[0];
      assert.equal(rs.kind, "ReplicaSet");
      assert.equal((rs.children as unknown[]).length, 3, "three pods under the ReplicaSet");
    });
  });
}

Deno.test("e2e [binary]: StatefulSet with a partition and a DaemonSet, through the Bun build", async () => {
  await inNamespace("sts", async (ns) => {
    await apply(ns, stream(statefulSet("db", { replicas: 3, partition: 1 }), daemonSet("agent")));
    const r = await kstatus(
      ["wait", "sts/db", "ds/agent", "-n", ns, "-o", "events", "--timeout", "90s", ...FAST],
      { runner: "binary" },
    );
    assert.equal(r.code, 0, explain(r));
    assert.match(
      r.stdout,
      /statefulset\.apps\/.*\/db is Current: Partition rollout complete\. updated: 3/,
    );
    assert.match(
      r.stdout,
      /daemonset\.apps\/.*\/agent is Current: All replicas scheduled as expected/,
    );
  });
});

Deno.test("e2e: a rollout stuck on an image that cannot be pulled times out with exit 2", async () => {
  await inNamespace("pull", async (ns) => {
    await apply(ns, stream(deployment("stuck", { replicas: 1, image: "fail.example/pull:1" })));
    const r = await kstatus(
      ["wait", "deploy/stuck", "-n", ns, "-o", "events", "--timeout", "6s", ...FAST],
    );
    assert.equal(r.code, 2, explain(r));
    assert.match(r.stdout, /timed out after .*: 1 of 1 not Current/);
    assert.match(r.stdout, /deployment\.apps\/.*\/stuck is InProgress/);

    // Opted in, the same rollout fails at once, naming the pod, the container and the reason.
    const started = Date.now();
    const fast = await kstatus(
      ["wait", "deploy/stuck", "-n", ns, "--fail-on", "all", "--fail-fast", "--timeout", "60s"],
    );
    assert.equal(fast.code, 1, explain(fast));
    assert.ok(Date.now() - started < 20_000, "exits well before the timeout");
    assert.match(
      fast.stdout,
      /deployment\.apps\/.*\/stuck is Failed: pod stuck-\S+: container \S+: (ErrImagePull|ImagePullBackOff): .*fail\.example\/pull:1/,
    );
  });
});

Deno.test("e2e: a crash-looping StatefulSet pod is Failed; --fail-fast exits 1 early", async () => {
  await inNamespace("crash", async (ns) => {
    await apply(ns, stream(statefulSet("crashy", { replicas: 1, image: "fail.example/crash:1" })));
    const started = Date.now();
    const r = await kstatus([
      "wait",
      "sts/crashy",
      "-n",
      ns,
      "-o",
      "json",
      "--fail-fast",
      "--timeout",
      "90s",
      ...FAST,
    ]);
    assert.equal(r.code, 1, explain(r));
    assert.ok(Date.now() - started < 60_000, "exits well before the timeout");
    const failed = jsonLines(r.stdout).find((l) => l.type === "status" && l.status === "Failed");
    assert.equal(failed?.message, "1 pods have failed", explain(r));
    const pod = (failed!.children as Array<Record<string, unknown>>)[0];
    assert.match(String(pod.message), /^Containers in CrashLoop state: app$/);
  });
});

Deno.test("e2e: a Job that completes is Current; one that fails is Failed (exit 1)", async () => {
  await inNamespace("jobs", async (ns) => {
    await apply(ns, stream(job("ok"), job("bad", "fail.example/exit:1")));
    // Per the contract a running Job is already Current, so wait for the controller's verdict
    // with kubectl, then look once with kstatus.
    await kubectl(["wait", "-n", ns, "--for=condition=Complete", "job/ok", "--timeout=60s"]);
    await kubectl(["wait", "-n", ns, "--for=condition=Failed", "job/bad", "--timeout=60s"]);
    const good = await kstatus(["status", "job/ok", "-n", ns, "-o", "events"]);
    assert.equal(good.code, 0, explain(good));
    assert.match(good.stdout, /job\.batch\/.*\/ok is Current: Job Completed\. succeeded: 1\/1/);
    const bad = await kstatus(["status", "job/bad", "job/ok", "-n", ns, "-o", "events"]);
    assert.equal(bad.code, 1, explain(bad));
    assert.match(bad.stdout, /job\.batch\/.*\/bad is Failed: Job Failed\. failed: 1\/1/);
    const waited = await kstatus(["wait", "job/bad", "-n", ns, "--fail-fast", ...FAST]);
    assert.equal(waited.code, 1, explain(waited));
  });
});

Deno.test("e2e: a CRD applied with its custom resources: Unknown, then Current", async () => {
  await inNamespace("crd", async (ns) => {
    const group = `${ns}.example.test`;
    const file = await manifestFile(stream(widgetCrd(group), widget(group, "w1")));
    const waiting = kstatus([
      "wait",
      "-f",
      file,
      "-n",
      ns,
      "-o",
      "json",
      "--timeout",
      "90s",
      ...FAST,
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    await kubectl(["apply", "-f", "-"], stream(widgetCrd(group)));
    await kubectl(["wait", "--for=condition=Established", `crd/widgets.${group}`, "--timeout=30s"]);
    await apply(ns, stream(widget(group, "w1")));
    const r = await waiting;
    try {
      assert.equal(r.code, 0, explain(r));
      const seen = statuses(r, "w1");
      assert.equal(seen[0], "Unknown", explain(r));
      const first = jsonLines(r.stdout).find((l) => l.name === "w1")!;
      assert.match(String(first.message), /no matches for kind "Widget"/);
      assert.equal(seen.at(-1), "Current");
    } finally {
      await kubectl(["delete", "crd", `widgets.${group}`, "--wait=false"]);
    }
  });
});

Deno.test("e2e: --for deleted waits until the objects are gone", async () => {
  await inNamespace("del", async (ns) => {
    const yaml = stream(configMap("settings"), deployment("gone", { replicas: 1 }));
    await apply(ns, yaml);
    const file = await manifestFile(yaml);
    const waiting = kstatus([
      "wait",
      "-f",
      file,
      "-n",
      ns,
      "--for",
      "deleted",
      "-o",
      "events",
      "--timeout",
      "90s",
      ...FAST,
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    await kubectl(["delete", "-n", ns, "-f", file, "--wait=false"]);
    const r = await waiting;
    assert.equal(r.code, 0, explain(r));
    assert.match(r.stdout, /configmap\/.*\/settings is NotFound: Resource not found/);
    assert.match(r.stdout, /all 2 resources deleted after/);
  });
});

Deno.test("e2e: a user without RBAC grants gets exit 4 and one clear line", async () => {
  await inNamespace("forbidden", async (ns) => {
    await apply(ns, stream(configMap("secret-ish")));
    const r = await kstatus(["wait", "cm/secret-ish", "-n", ns, "--timeout", "30s", ...FAST], {
      kubeconfig: clusterEnv().restrictedKubeconfig,
    });
    assert.equal(r.code, 4, explain(r));
    assert.match(r.stderr, /forbidden/i);
    assert.equal(r.stderr.trim().split("\n").length, 1, explain(r));
  });
});

for (const reader of ["caching", "watch"]) {
  Deno.test(`e2e [${reader}]: the API server killed and restarted mid-wait; kstatus recovers`, async () => {
    await inNamespace(`restart-${reader}`, async (ns) => {
      await apply(
        ns,
        stream(deployment("steady", {
          replicas: 2,
          annotations: { "kstatus.test/ready-after": "12s" },
        })),
      );
      const waiting = kstatus([
        "wait",
        "deploy/steady",
        "-n",
        ns,
        "--reader",
        reader,
        "-o",
        "events",
        "--timeout",
        "120s",
        ...FAST,
      ]);
      await new Promise((r) => setTimeout(r, 2000));
      const restart = await restartApiServer(4);
      assert.equal(restart.code, 0, explain(restart));
      const r = await waiting;
      assert.equal(r.code, 0, explain(r));
      assert.match(r.stdout, /deployment\.apps\/.*\/steady is Current/);
    });
  });
}
