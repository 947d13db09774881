/**
 * Each `--for` goal, `--require-observed`, terminal failures and the per-object annotations,
 * through the CLI in-process against the in-memory cluster.
 */
import assert from "node:assert/strict";
import { createMemoryCluster, type KubeObject, type MemoryCluster } from "../../mod.ts";
import { type MemoryRun, runOnMemory } from "../support/memory_cli.ts";
import { job as plainJob } from "../cli/fixtures/objects.ts";

function run(cluster: MemoryCluster, args: string[], stdin = ""): Promise<MemoryRun> {
  return runOnMemory(cluster, [...args, "--interval", "10ms"], stdin);
}

/** Runs the CLI while `steps` change the cluster, one step every 50 ms. */
async function runWhile(
  cluster: MemoryCluster,
  args: string[],
  steps: Array<() => void>,
  stdin = "",
) {
  const running = run(cluster, args, stdin);
  for (const step of steps) {
    await new Promise((r) => setTimeout(r, 50));
    step();
  }
  return await running;
}

/** A Job (see the CLI fixtures) whose controller has written its status, as managedFields say. */
function job(name: string, state: "running" | "complete" | "failed"): KubeObject {
  const j = plainJob(name, state);
  (j.metadata as Record<string, unknown>).managedFields = [
    { manager: "kube-controller-manager", subresource: "status", time: "2024-01-01T00:00:00Z" },
  ];
  return j;
}

function pod(name: string, phase: string, restartPolicy = "Never"): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: { restartPolicy, containers: [{ name: "app", image: "x" }] },
    status: {
      phase,
      conditions: phase === "Running" ? [{ type: "Ready", status: "True" }] : [],
      ...(phase === "Failed"
        ? {
          containerStatuses: [{
            name: "app",
            state: { terminated: { exitCode: 2, reason: "Error" } },
          }],
        }
        : {}),
    },
  };
}

function deployment(
  name: string,
  options: { ready?: number; deadline?: boolean; generation?: number; observed?: number } = {},
): KubeObject {
  const ready = options.ready ?? 2;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default", generation: options.generation ?? 1 },
    spec: { replicas: 2, selector: { matchLabels: { app: name } } },
    status: {
      observedGeneration: options.observed ?? options.generation ?? 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: ready,
      availableReplicas: ready,
      conditions: [
        { type: "Available", status: ready === 2 ? "True" : "False" },
        options.deadline
          ? {
            type: "Progressing",
            status: "False",
            reason: "ProgressDeadlineExceeded",
            message: "ReplicaSet web-1 has timed out progressing.",
          }
          : { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
      ],
    },
  };
}

function widget(
  name: string,
  status?: Record<string, unknown>,
  generation = 1,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name, namespace: "default", generation, ...(annotations ? { annotations } : {}) },
    spec: { size: generation },
    ...(status ? { status } : {}),
  };
}

const WIDGETS = [{
  group: "example.com",
  version: "v1",
  kind: "Widget",
  resource: "widgets",
  namespaced: true,
}];

function widgets(objects: KubeObject[] = []): MemoryCluster {
  return createMemoryCluster(objects, WIDGETS);
}

Deno.test("--for complete: a running Job is not done; it is once Complete", async () => {
  const cluster = createMemoryCluster([job("migrate", "running")]);
  const r = await runWhile(
    cluster,
    ["wait", "job/migrate", "--for", "complete", "--timeout", "5s"],
    [
      () => cluster.put(job("migrate", "complete")),
    ],
  );
  assert.equal(r.code, 0, r.text);
  assert.equal(
    r.out[0],
    "job.batch/default/migrate is InProgress: Job in progress. success:0, active: 1, failed: 0",
  );
  assert.equal(r.out[1], "job.batch/default/migrate is Current: Job Completed. succeeded: 1/1");
  assert.match(r.out[2], /^all 1 resource complete after/);
  // Without --for complete the contract calls a running Job Current.
  const plain = await run(createMemoryCluster([job("migrate", "running")]), [
    "wait",
    "job/migrate",
  ]);
  assert.equal(plain.code, 0, plain.text);
});

Deno.test("--for complete: a Job that fails ends the wait with exit 1 at once", async () => {
  const cluster = createMemoryCluster([job("migrate", "running")]);
  const r = await runWhile(cluster, [
    "wait",
    "job/migrate",
    "--for",
    "complete",
    "--timeout",
    "10s",
  ], [
    () => cluster.put(job("migrate", "failed")),
  ]);
  assert.equal(r.code, 1, r.text);
  assert.equal(r.out[1], "job.batch/default/migrate is Failed: Job Failed. failed: 3/1");
  assert.match(r.out[2], /^1 resource Failed after \d+ms$/);
});

Deno.test("--for complete: a bare Pod must succeed; Running is not enough, Failed is Failed", async () => {
  const cluster = createMemoryCluster([pod("task", "Running")]);
  const r = await runWhile(cluster, ["wait", "pod/task", "--for", "complete", "--timeout", "5s"], [
    () => cluster.put(pod("task", "Succeeded")),
  ]);
  assert.equal(r.code, 0, r.text);
  assert.equal(r.out[0], "pod/default/task is InProgress: Pod is Ready; not Succeeded yet");
  assert.equal(r.out[1], "pod/default/task is Current: Pod has completed successfully");
  const failed = await run(createMemoryCluster([pod("task", "Failed", "OnFailure")]), [
    "wait",
    "pod/task",
    "--for",
    "complete",
    "--timeout",
    "200ms",
  ]);
  assert.equal(failed.code, 1, failed.text);
  assert.equal(
    failed.out[0],
    "pod/default/task is Failed: Pod has completed, but not successfully",
  );
});

Deno.test("--for condition=: kubectl's check, case-insensitive value, generation-aware", async () => {
  const cluster = createMemoryCluster([deployment("web", { ready: 1 })]);
  const r = await runWhile(
    cluster,
    ["wait", "deploy/web", "--for=condition=Available=true", "--timeout", "5s"],
    [() => cluster.put(deployment("web", { ready: 2 }))],
  );
  assert.equal(r.code, 0, r.text);
  assert.equal(
    r.out[0],
    "deployment.apps/default/web is InProgress: Available: 1/2; waiting for condition=Available=true: condition Available is False",
  );
  assert.match(r.out.at(-1)!, /^all 1 resource at goal \(condition=Available=true\) after/);
  // A condition written for an older generation does not count.
  const stale = await run(
    createMemoryCluster([deployment("web", { generation: 2, observed: 1 })]),
    ["wait", "deploy/web", "--for", "condition=Available", "--timeout", "100ms"],
  );
  assert.equal(stale.code, 2, stale.text);
  assert.match(stale.text, /condition Available is for generation 1, the object is at 2/);
  const missing = await run(createMemoryCluster([deployment("web")]), [
    "wait",
    "deploy/web",
    "--for",
    "condition=Nope",
    "--timeout",
    "100ms",
  ]);
  assert.equal(missing.code, 2, missing.text);
  assert.match(missing.text, /waiting for condition=Nope=True: no condition Nope/);
});

Deno.test("--for jsonpath=: a value, or any non-empty value; a change only the path sees is seen", async () => {
  const cluster = widgets([widget("w", { phase: "Pending" })]);
  const r = await runWhile(
    cluster,
    [
      "wait",
      "widget/w",
      "--for",
      "jsonpath='{.status.phase}'=Running",
      "--timeout",
      "5s",
      "--no-builtin-rules",
    ],
    [() => cluster.put(widget("w", { phase: "Running" }))],
  );
  assert.equal(r.code, 0, r.text);
  assert.equal(
    r.out[0],
    `widget.example.com/default/w is Current: Resource is current; waiting for jsonpath={.status.phase}=Running: {.status.phase} is "Pending"`,
  );
  assert.equal(r.out[1], "widget.example.com/default/w is Current: Resource is current");
  const any = widgets([widget("w", { phase: "" })]);
  const r2 = await runWhile(any, [
    "wait",
    "widget/w",
    "--for",
    "jsonpath={.status.phase}",
    "--timeout",
    "5s",
  ], [
    () => any.put(widget("w", { phase: "Ready" })),
  ]);
  assert.equal(r2.code, 0, r2.text);
  assert.match(r2.out[0], /waiting for jsonpath=\{.status.phase\}: \{.status.phase\} is ""/);
});

Deno.test("--for cel=: a boolean expression over the object; errors at once when it does not compile", async () => {
  const cluster = widgets([widget("w", { replicas: 1 })]);
  const r = await runWhile(
    cluster,
    [
      "wait",
      "widget/w",
      "--for",
      "cel=status.replicas >= 2 && metadata.name == 'w'",
      "--timeout",
      "5s",
    ],
    [() => cluster.put(widget("w", { replicas: 2 }))],
  );
  assert.equal(r.code, 0, r.text);
  assert.match(r.out[0], /waiting for cel=status.replicas >= 2 && metadata.name == 'w': false$/);
  const bad = await run(cluster, ["wait", "widget/w", "--for", "cel=status.replicas +"]);
  assert.equal(bad.code, 3, bad.text);
  assert.match(
    bad.err[0],
    /^error: --for "cel=status.replicas \+": expected a boolean CEL expression: syntax error/,
  );
  const notBool = await run(cluster, ["wait", "widget/w", "--for", "cel='x'"]);
  assert.equal(notBool.code, 3, notBool.text);
  assert.match(notBool.err[0], /expected a bool expression, this one gives string/);
});

Deno.test("--for create: by name, an object created during the wait", async () => {
  const cluster = createMemoryCluster();
  const r = await runWhile(cluster, ["wait", "cm/settings", "--for", "create", "--timeout", "5s"], [
    () =>
      cluster.put({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "settings", namespace: "default" },
      }),
  ]);
  assert.equal(r.code, 0, r.text);
  assert.equal(r.out[0], "configmap/default/settings is NotFound: Resource not found");
  assert.match(r.out.at(-1)!, /^all 1 resource created after/);
});

Deno.test("--for create: a selector that matches nothing yet waits for a match", async () => {
  const cluster = createMemoryCluster();
  const later = deployment("web");
  (later.metadata as Record<string, unknown>).labels = { app: "web" };
  const r = await runWhile(
    cluster,
    ["wait", "-l", "app=web", "--kinds", "deploy", "--for", "create", "--timeout", "5s"],
    [() => {}, () => cluster.put(later)],
  );
  assert.equal(r.code, 0, r.text);
  assert.deepEqual(r.err, [
    "waiting for deploy matching -l app=web in namespace default to be created",
  ]);
  assert.match(r.out.at(-1)!, /^all 1 resource created after/);
  // Still nothing at the timeout: exit 2, saying what was waited for.
  const none = await run(createMemoryCluster(), [
    "wait",
    "-l",
    "app=x",
    "--kinds",
    "deploy",
    "--for",
    "create",
    "--timeout",
    "200ms",
  ]);
  assert.equal(none.code, 2, none.text);
  assert.match(
    none.err.at(-1)!,
    /^error: timed out after 200ms waiting for deploy matching -l app=x in namespace default to be created$/,
  );
  // Without --for create an empty selector is still bad input.
  const empty = await run(createMemoryCluster(), ["wait", "-l", "app=x", "--kinds", "deploy"]);
  assert.equal(empty.code, 3, empty.text);
});

Deno.test("several --for must all hold", async () => {
  const cluster = createMemoryCluster([deployment("web", { ready: 2 })]);
  const r = await run(cluster, [
    "wait",
    "deploy/web",
    "--for",
    "condition=Available",
    "--for",
    "jsonpath={.status.readyReplicas}=3",
    "--timeout",
    "150ms",
  ]);
  assert.equal(r.code, 2, r.text);
  assert.match(
    r.text,
    /waiting for jsonpath=\{.status.readyReplicas\}=3: \{.status.readyReplicas\} is "2"/,
  );
  assert.doesNotMatch(r.text, /waiting for condition/);
});

Deno.test("--require-observed: observedGeneration behind waits with the issue's message", async () => {
  const cluster = widgets([widget("w", { observedGeneration: 1, ready: true }, 2)]);
  const r = await runWhile(
    cluster,
    ["wait", "widget/w", "--require-observed", "--timeout", "5s"],
    [() => cluster.put(widget("w", { observedGeneration: 2, ready: true }, 2))],
  );
  assert.equal(r.code, 0, r.text);
  assert.equal(
    r.out[0],
    "widget.example.com/default/w is InProgress: waiting for the controller to observe generation 2",
  );
  assert.equal(r.out[1], "widget.example.com/default/w is Current: Resource is current");
  // Off by default: the generic rule calls a widget without status Current at once.
  const off = await run(widgets([widget("w", undefined, 2)]), ["wait", "widget/w"]);
  assert.equal(off.code, 0, off.text);
  const on = await run(widgets([widget("w", undefined, 2)]), [
    "wait",
    "widget/w",
    "--require-observed",
    "--timeout",
    "100ms",
  ]);
  assert.equal(on.code, 2, on.text);
});

Deno.test("--require-observed: per-condition observedGeneration, then a write after the start", async () => {
  const conditions = (g: number) => ({
    conditions: [{ type: "Ready", status: "True", observedGeneration: g }],
  });
  const cluster = widgets([widget("w", conditions(1), 2)]);
  const r = await runWhile(cluster, ["wait", "widget/w", "--require-observed", "--timeout", "5s"], [
    () => cluster.put(widget("w", conditions(2), 2)),
  ]);
  assert.equal(r.code, 0, r.text);
  assert.match(r.out[0], /InProgress: waiting for the controller to observe generation 2$/);
  // No observedGeneration anywhere: a new resourceVersion after the first read is the evidence.
  const plain = widgets([widget("w", { phase: "Ready" }, 3)]);
  const r2 = await runWhile(plain, ["wait", "widget/w", "--require-observed", "--timeout", "5s"], [
    () => {},
    () => plain.put(widget("w", { phase: "Ready", seen: true }, 3)),
  ]);
  assert.equal(r2.code, 0, r2.text);
  assert.match(r2.out[0], /InProgress: waiting for the controller to observe generation 3$/);
  // Nothing ever written: the timeout says so.
  const never = await run(widgets([widget("w", { phase: "Ready" }, 3)]), [
    "wait",
    "widget/w",
    "--require-observed",
    "--timeout",
    "150ms",
  ]);
  assert.equal(never.code, 2, never.text);
  assert.match(
    never.text,
    /timed out .*\n {2}widget.example.com\/default\/w is InProgress: waiting for the controller to observe generation 3/,
  );
});

Deno.test("--for complete turns --require-observed on; --no-require-observed turns it off", async () => {
  const fresh = () => {
    const j = job("migrate", "complete");
    (j.metadata as Record<string, unknown>).generation = 2;
    (j.metadata as Record<string, unknown>).managedFields = [];
    return createMemoryCluster([j]);
  };
  const on = await run(fresh(), ["wait", "job/migrate", "--for", "complete", "--timeout", "150ms"]);
  assert.equal(on.code, 2, on.text);
  assert.match(on.text, /waiting for the controller to observe generation 2/);
  const off = await run(fresh(), [
    "wait",
    "job/migrate",
    "--for",
    "complete",
    "--no-require-observed",
  ]);
  assert.equal(off.code, 0, off.text);
  // Built-in kinds other than Jobs and Pods are left out of the default: nothing may ever write
  // a CronJob's status (before its first run); asked for explicitly, it waits.
  const cron = () =>
    createMemoryCluster([{
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "nightly", namespace: "default", generation: 1 },
      spec: { schedule: "0 0 * * *" },
    }]);
  const cronDefault = await run(cron(), ["wait", "cronjob/nightly", "--for", "complete"]);
  assert.equal(cronDefault.code, 0, cronDefault.text);
  const cronAsked = await run(cron(), [
    "wait",
    "cronjob/nightly",
    "--for",
    "complete",
    "--require-observed",
    "--timeout",
    "100ms",
  ]);
  assert.equal(cronAsked.code, 2, cronAsked.text);
  // A custom resource is in the default.
  const gadget = await run(widgets([widget("w", undefined, 1)]), [
    "wait",
    "widget/w",
    "--for",
    "complete",
    "--timeout",
    "100ms",
  ]);
  assert.equal(gadget.code, 2, gadget.text);
  assert.match(gadget.text, /waiting for the controller to observe generation 1/);
  // At generation 1, the controller's status write is the evidence.
  const done = await run(createMemoryCluster([job("migrate", "complete")]), [
    "wait",
    "job/migrate",
    "--for",
    "complete",
  ]);
  assert.equal(done.code, 0, done.text);
});

Deno.test("terminal failures end the wait at once; --no-fail-terminal waits for the timeout", async () => {
  const cases: Array<[KubeObject, string, RegExp]> = [
    [
      deployment("web", { ready: 1, deadline: true }),
      "deploy/web",
      /deployment.apps\/default\/web is Failed: Progress deadline exceeded/,
    ],
    [
      pod("task", "Failed"),
      "pod/task",
      /pod\/default\/task is Failed: Pod failed and is never restarted \(restartPolicy Never\): container app exited with 2 \(Error\)/,
    ],
  ];
  for (const [obj, arg, line] of cases) {
    const r = await run(createMemoryCluster([obj]), ["wait", arg, "--timeout", "10s"]);
    assert.equal(r.code, 1, r.text);
    assert.match(r.out[0], line);
    assert.match(r.out[1], /^1 resource Failed after \d+ms$/);
  }
  // --no-fail-terminal: the Deployment waits out the timeout (exit 1, it is Failed); the pod is
  // what the contract says, completed (Current).
  const kept = await run(createMemoryCluster([cases[0][0]]), [
    "wait",
    "deploy/web",
    "--timeout",
    "150ms",
    "--no-fail-terminal",
  ]);
  assert.equal(kept.code, 1, kept.text);
  assert.match(kept.text, /timed out after/, kept.text);
  const pod0 = await run(createMemoryCluster([cases[1][0]]), [
    "wait",
    "pod/task",
    "--no-fail-terminal",
  ]);
  assert.equal(pod0.code, 0, pod0.text);
  // A Failed pod that is restarted is not terminal: the contract calls it completed (Current).
  const restarted = await run(createMemoryCluster([pod("task", "Failed", "OnFailure")]), [
    "wait",
    "pod/task",
  ]);
  assert.equal(restarted.code, 0, restarted.text);
  // A deadline passed under an older generation says nothing about the new spec.
  const newer = await run(
    createMemoryCluster([deployment("web", { deadline: true, generation: 3, observed: 2 })]),
    ["wait", "deploy/web", "--timeout", "150ms"],
  );
  assert.equal(newer.code, 2, newer.text);
  // Waiting for the failure itself is a goal like any other.
  const wanted = await run(createMemoryCluster([job("migrate", "failed")]), [
    "wait",
    "job/migrate",
    "--for",
    "condition=Failed",
  ]);
  assert.equal(wanted.code, 0, wanted.text);
});

Deno.test("annotations: kstatus.dev/skip lists it as Skipped and never reads it", async () => {
  const cluster = createMemoryCluster([deployment("web")]);
  const manifests = [
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" } },
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: "creds", annotations: { "kstatus.dev/skip": "true" } },
    },
  ].map((o) => JSON.stringify(o)).join("\n---\n");
  const r = await run(cluster, ["wait", "-f", "-", "-o", "json"], manifests);
  assert.equal(r.code, 0, r.text);
  const lines = r.out.map((l) => JSON.parse(l));
  const skipped = lines.find((l) => l.kind === "ExternalSecret");
  assert.equal(skipped.status, "Skipped");
  assert.equal(skipped.message, "kstatus.dev/skip is set: not waited on");
  assert.equal(lines.at(-1).result, "goal");
  assert.match(lines.at(-1).message, /^all 2 resources Current after \d+ms \(1 Skipped\)$/);
  assert.ok(
    !cluster.calls.some((c) => c.gk.kind === "ExternalSecret"),
    "the skipped kind was read",
  );
  const events = await run(cluster, ["wait", "-f", "-"], manifests);
  assert.ok(
    events.out.includes(
      "externalsecret.external-secrets.io/default/creds is Skipped: kstatus.dev/skip is set: not waited on",
    ),
    events.text,
  );
});

Deno.test("annotations: on the live object too, and kstatus.dev/for sets the object's own goal", async () => {
  const cluster = widgets([
    widget("a", { phase: "Pending" }, 1, { "kstatus.dev/skip": "true" }),
    widget("b", { phase: "Pending" }, 1, { "kstatus.dev/for": "jsonpath={.status.phase}=Done" }),
  ]);
  const r = await runWhile(cluster, ["wait", "widget/a", "widget/b", "--timeout", "5s"], [
    () =>
      cluster.put(
        widget("b", { phase: "Done" }, 1, { "kstatus.dev/for": "jsonpath={.status.phase}=Done" }),
      ),
  ]);
  assert.equal(r.code, 0, r.text);
  assert.ok(
    r.out.includes(
      "widget.example.com/default/a is Skipped: kstatus.dev/skip is set: not waited on",
    ),
    r.text,
  );
  assert.ok(
    r.out.some((l) =>
      /widget.example.com\/default\/b is Current: Resource is current; waiting for jsonpath=\{.status.phase\}=Done/
        .test(
          l,
        )
    ),
    r.text,
  );
});

Deno.test("annotations: a bad value in a manifest is exit 3 with file and line", async () => {
  const cluster = createMemoryCluster([deployment("web")]);
  const manifests = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    kstatus.dev/for: eventually
`;
  const r = await run(cluster, ["wait", "-f", "-"], manifests);
  assert.equal(r.code, 3, r.text);
  assert.match(
    r.err[0],
    /^error: -:1: annotation kstatus.dev\/for: "eventually": expected current, deleted/,
  );
});

Deno.test("annotations: kstatus.dev/for in a manifest; the summary says objects had their own goals", async () => {
  const cluster = createMemoryCluster([deployment("web")]);
  const manifest = JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", annotations: { "kstatus.dev/for": "condition=Available" } },
  });
  const r = await run(cluster, ["wait", "-f", "-"], manifest);
  assert.equal(r.code, 0, r.text);
  assert.match(
    r.out.at(-1)!,
    /^all 1 resource at goal \(current, or their own kstatus.dev\/for\) after \d+ms$/,
  );
  const missing = await run(
    cluster,
    ["wait", "-f", "-", "--timeout", "150ms"],
    manifest.replace("Available", "Nope"),
  );
  assert.equal(missing.code, 2, missing.text);
  assert.match(missing.text, /waiting for condition=Nope=True: no condition Nope/);
});
