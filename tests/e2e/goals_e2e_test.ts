/**
 * End-to-end: `--for` goals, `--require-observed`, terminal failures and the skip annotation
 * against the local control plane, next to what kubectl does. For custom resources the test
 * plays the controller: it writes the status while `kstatus wait` watches.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  apply,
  explain,
  inNamespace,
  jsonLines,
  kubectl,
  manifestFile,
  type RunResult,
} from "./cluster.ts";
import { background, reported, setStatus, until, withCrd } from "./controller.ts";
import { configMap, deployment, job, stream } from "./manifests.ts";

const FAST = ["--interval", "500ms", "--timeout", "60s", "-o", "json"];

function summary(r: RunResult): Record<string, unknown> {
  return jsonLines(r.stdout).at(-1)!;
}

/** A Job whose pod completes after `after` (kwok's stage honours the annotation). */
function slowJob(name: string, after: string) {
  const j = job(name) as { spec: { template: { metadata: Record<string, unknown> } } };
  j.spec.template.metadata.annotations = { "kstatus.test/complete-after": after };
  return j as unknown as Record<string, unknown>;
}

/** A group of our own, so parallel runs on the shared cluster never share a CRD. */
function group(): string {
  return `g${Date.now().toString(36)}.goals.test`;
}

function gizmo(g: string, name: string, spec: Record<string, unknown>) {
  return { apiVersion: `${g}/v1`, kind: "Gizmo", metadata: { name }, spec };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("e2e goals: a Job --for complete is InProgress while it runs, then Current", async () => {
  await inNamespace("goals-job", async (ns) => {
    await apply(ns, stream(slowJob("migrate", "3s")));
    const r = await background(["wait", "job/migrate", "-n", ns, "--for", "complete", ...FAST])
      .done;
    assert.equal(r.code, 0, explain(r));
    const lines = reported(r, "migrate");
    assert.ok(lines.some((l) => l.status === "InProgress"), explain(r));
    assert.equal(lines.at(-1)!.status, "Current", explain(r));
    assert.match(String(lines.at(-1)!.message), /^Job Completed\. succeeded: 1\/1$/);
    assert.equal(summary(r).goal, "complete");
  });
});

Deno.test("e2e goals: a Job --for complete that fails exits 1 at once, no --fail-fast", async () => {
  await inNamespace("goals-jobfail", async (ns) => {
    await apply(ns, stream(job("bad", "fail.example/exit:1")));
    const started = Date.now();
    const r = await background(["wait", "job/bad", "-n", ns, "--for", "complete", ...FAST]).done;
    assert.equal(r.code, 1, explain(r));
    assert.ok(Date.now() - started < 30_000, "exits well before the timeout");
    assert.equal(reported(r, "bad").at(-1)!.status, "Failed", explain(r));
    assert.equal(summary(r).result, "failed");
  });
});

Deno.test("e2e goals: --for=condition=Available=true and --for jsonpath=, as kubectl spells them", async () => {
  await inNamespace("goals-cond", async (ns) => {
    await apply(
      ns,
      stream(deployment("web", { annotations: { "kstatus.test/ready-after": "2s" } })),
    );
    const r = await background([
      "wait",
      "deploy/web",
      "-n",
      ns,
      "--for=condition=Available=true",
      "--for",
      "jsonpath='{.status.readyReplicas}'=2",
      ...FAST,
    ]).done;
    assert.equal(r.code, 0, explain(r));
    const first = reported(r, "web")[0];
    assert.match(
      String(first.message),
      /waiting for condition=Available=true: condition Available is False|waiting for condition=Available=true: no condition Available/,
      explain(r),
    );
    assert.equal(
      summary(r).goal,
      "condition=Available=true and jsonpath={.status.readyReplicas}=2",
    );
    // kubectl agrees.
    await kubectl([
      "wait",
      "-n",
      ns,
      "--for=jsonpath={.status.readyReplicas}=2",
      "deploy/web",
      "--timeout=5s",
    ]);
  });
});

Deno.test("e2e goals: --for cel= over the object", async () => {
  await inNamespace("goals-cel", async (ns) => {
    await apply(
      ns,
      stream(deployment("web", { replicas: 3, annotations: { "kstatus.test/ready-after": "2s" } })),
    );
    const r = await background([
      "wait",
      "deploy/web",
      "-n",
      ns,
      "--for",
      "cel=has(status.readyReplicas) && status.readyReplicas == spec.replicas",
      ...FAST,
    ]).done;
    assert.equal(r.code, 0, explain(r));
    assert.match(String(reported(r, "web")[0].message), /waiting for cel=.*: false/, explain(r));
    const ready = JSON.parse(await kubectl(["get", "-n", ns, "deploy/web", "-o", "json"]));
    assert.equal(ready.status.readyReplicas, 3);
  });
});

Deno.test("e2e goals: --for create: a named object created during the wait", async () => {
  await inNamespace("goals-create", async (ns) => {
    const wait = background(["wait", "configmap/settings", "-n", ns, "--for", "create", ...FAST]);
    await until(wait.output, "settings", "NotFound");
    await apply(ns, stream(configMap("settings")));
    const r = await wait.done;
    assert.equal(r.code, 0, explain(r));
    assert.equal(reported(r, "settings").at(-1)!.status, "Current", explain(r));
    assert.match(String(summary(r).message), /^all 1 resource created after/);
  });
});

Deno.test("e2e goals: --for create with a selector that matches only later", async () => {
  await inNamespace("goals-sel", async (ns) => {
    const wait = background([
      "wait",
      "-l",
      "app=late",
      "--kinds",
      "deploy",
      "-n",
      ns,
      "--for",
      "create",
      "--for",
      "current",
      ...FAST,
    ]);
    await sleep(1500);
    const late = deployment("late") as { metadata: Record<string, unknown> };
    late.metadata.labels = { app: "late" };
    await apply(ns, stream(late as unknown as Record<string, unknown>));
    const r = await wait.done;
    assert.equal(r.code, 0, explain(r));
    assert.match(
      r.stderr,
      /waiting for deploy matching -l app=late in namespace \S+ to be created/,
    );
    assert.equal(reported(r, "late").at(-1)!.status, "Current", explain(r));
  });
});

Deno.test("e2e goals: --require-observed with status.observedGeneration", async () => {
  const g = group();
  await withCrd(g, "Gizmo", "gizmos", async () => {
    await inNamespace("goals-obs", async (ns) => {
      await apply(ns, stream(gizmo(g, "gx", { size: 1 })));
      await setStatus(ns, `gizmos.${g}/gx`, { observedGeneration: 1, phase: "Ready" });
      await apply(ns, stream(gizmo(g, "gx", { size: 2 }))); // generation 2
      const wait = background([
        "wait",
        `gizmos.${g}/gx`,
        "-n",
        ns,
        "--require-observed",
        "--no-builtin-rules",
        ...FAST,
      ]);
      await until(wait.output, "gx", "InProgress");
      await setStatus(ns, `gizmos.${g}/gx`, { observedGeneration: 2, phase: "Ready" });
      const r = await wait.done;
      assert.equal(r.code, 0, explain(r));
      const lines = reported(r, "gx");
      assert.equal(lines[0].message, "waiting for the controller to observe generation 2");
      assert.equal(lines.at(-1)!.status, "Current", explain(r));
    });
  });
});

Deno.test("e2e goals: --require-observed without observedGeneration; an identical status rewrite leaves no trace", async () => {
  const g = group();
  await withCrd(g, "Gizmo", "gizmos", async () => {
    await inNamespace("goals-noobs", async (ns) => {
      const ref = `gizmos.${g}/gy`;
      // Generation 1, no status yet: the generic rule alone would call it Current at once.
      await apply(ns, stream(gizmo(g, "gy", { size: 1 })));
      const plain = await background(["status", ref, "-n", ns, "-o", "json"]).done;
      assert.equal(plain.code, 0, explain(plain));
      const first = background(["wait", ref, "-n", ns, "--require-observed", ...FAST]);
      await until(first.output, "gy", "InProgress");
      assert.match(first.output(), /waiting for the controller to observe generation 1/);
      await setStatus(ns, ref, { phase: "Ready" }); // the controller's first write
      const r1 = await first.done;
      assert.equal(r1.code, 0, explain(r1));

      // A new spec (generation 2); the controller looks and writes the very same status.
      await apply(ns, stream(gizmo(g, "gy", { size: 2 })));
      const second = background(["wait", ref, "-n", ns, "--require-observed", ...FAST]);
      await until(second.output, "gy", "InProgress");
      const before = JSON.parse(await kubectl(["get", "-n", ns, ref, "-o", "json"]));
      await sleep(1100); // a later second than the start, for managedFields' whole-second times
      await setStatus(ns, ref, { phase: "Ready" });
      const after = JSON.parse(await kubectl(["get", "-n", ns, ref, "-o", "json"]));
      // The API server does not write an unchanged object: nothing tells that the controller
      // looked, so kstatus keeps waiting.
      assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
      await sleep(2000);
      assert.ok(!/"status":"Current"/.test(second.output()), second.output());
      // A status that says something new is the evidence.
      await setStatus(ns, ref, { phase: "Ready", reconciledSize: 2 });
      const r2 = await second.done;
      assert.equal(r2.code, 0, explain(r2));
      const lines = reported(r2, "gy");
      assert.equal(lines[0].message, "waiting for the controller to observe generation 2");
      assert.equal(lines.at(-1)!.status, "Current", explain(r2));
    });
  });
});

Deno.test("e2e goals: kstatus.dev/skip lists an object as Skipped and never waits on it", async () => {
  await inNamespace("goals-skip", async (ns) => {
    const g = group();
    const objects = [
      configMap("settings"),
      {
        apiVersion: `${g}/v1`,
        kind: "Gizmo",
        metadata: { name: "never", annotations: { "kstatus.dev/skip": "true" } },
      },
    ];
    await apply(ns, stream(objects[0]));
    const file = await manifestFile(stream(...objects));
    // The Gizmo's CRD is not even installed: without the annotation this waits the timeout.
    const r = await background(["wait", "-f", file, "-n", ns, ...FAST]).done;
    assert.equal(r.code, 0, explain(r));
    const skipped = reported(r, "never")[0];
    assert.equal(skipped.status, "Skipped", explain(r));
    assert.equal(skipped.message, "kstatus.dev/skip is set: not waited on");
    assert.equal(summary(r).result, "goal");
  });
});

Deno.test("e2e goals: a Deployment past its progress deadline ends the wait at once (exit 1)", async () => {
  await inNamespace("goals-deadline", async (ns) => {
    const d = deployment("stuck", { image: "fail.example/pull:1", replicas: 1 }) as {
      spec: Record<string, unknown>;
    };
    d.spec.progressDeadlineSeconds = 2;
    await apply(ns, stream(d as unknown as Record<string, unknown>));
    const started = Date.now();
    const r = await background(["wait", "deploy/stuck", "-n", ns, ...FAST]).done;
    assert.equal(r.code, 1, explain(r));
    assert.ok(Date.now() - started < 45_000, "exits well before the timeout");
    assert.equal(reported(r, "stuck").at(-1)!.message, "Progress deadline exceeded", explain(r));
  });
});
