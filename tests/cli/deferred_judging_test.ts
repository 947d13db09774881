/**
 * `wait` and `status` without rules files, manifests or a cel= goal: the rule pack and the CEL
 * library load only for the objects read that need them, and verdicts stay the same.
 */
import assert from "node:assert/strict";
import { createMemoryCluster, type KubeObject } from "../../mod.ts";
import type { ClusterReader } from "../../lib/cluster/types.ts";
import type { CelSupport } from "../../lib/goals/check.ts";
import { deferredCel, hasCelGoal, preparedReaders } from "../../lib/cli/deferred_judging.ts";
import { ruleSetFromFlags } from "../../lib/cli/rule_flags.ts";
import { runOnMemory } from "../support/memory_cli.ts";

const obj = (name: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name },
});

Deno.test("preparedReaders: objects are handed on only once prepare has resolved", async () => {
  const prepared: string[] = [];
  const calls: string[] = [];
  const inner: ClusterReader = {
    get: (id) => Promise.resolve(obj(id.name)),
    listNamespaceScoped: () => Promise.resolve([obj("a"), obj("b")]),
    listClusterScoped: () => Promise.resolve([obj("c")]),
    sync: () => {
      calls.push("sync");
      return Promise.resolve();
    },
    nextChange: () => Promise.resolve([]),
    close: () => calls.push("close"),
  };
  const factory = preparedReaders(() => inner, (o) => {
    const name = (o.metadata as { name: string }).name;
    if (name === "b") return undefined; // nothing to load for it
    return new Promise((r) => setTimeout(r, 5)).then(() => prepared.push(name));
  });
  const reader = await factory({ identifiers: [], mapper: {} as never, childKinds: () => [] });
  const id = { group: "", kind: "ConfigMap", namespace: "default", name: "x" };
  assert.equal((await reader.get(id) as { metadata: { name: string } }).metadata.name, "x");
  assert.deepEqual(prepared, ["x"]);
  assert.equal(
    (await reader.listNamespaceScoped({ group: "", kind: "ConfigMap" }, "d", undefined)).length,
    2,
  );
  assert.deepEqual(prepared, ["x", "a"]);
  await reader.listClusterScoped({ group: "", kind: "ConfigMap" }, undefined);
  assert.deepEqual(prepared, ["x", "a", "c"]);
  await reader.sync();
  reader.close?.();
  assert.deepEqual(calls, ["sync", "close"]);
  assert.deepEqual(await reader.nextChange?.(), []);
  assert.equal(reader.listControlledBy, undefined, "absent when the inner reader has none");
});

Deno.test("deferredCel: loads once, at ensure(); using it before is an internal error", async () => {
  let loads = 0;
  const support: CelSupport = {
    compiler: {} as CelSupport["compiler"],
    variables: () => ({ x: 1 }),
    isAbsentField: () => true,
  };
  const later = deferredCel(() => {
    loads++;
    return Promise.resolve(support);
  });
  assert.equal(loads, 0);
  assert.throws(() => later.cel.compiler, /internal: the CEL support was used before/);
  await Promise.all([later.ensure(), later.ensure()]);
  assert.equal(loads, 1);
  assert.equal(later.cel.compiler, support.compiler);
  assert.deepEqual(later.cel.variables(obj("a")), { x: 1 });
  assert.equal(later.cel.isAbsentField(new Error()), true);
});

Deno.test("hasCelGoal: only a well-formed cel= goal in kstatus.dev/for", () => {
  const annotated = (value: string): KubeObject => ({
    ...obj("a"),
    metadata: { name: "a", annotations: { "kstatus.dev/for": value } },
  });
  assert.equal(hasCelGoal(annotated("cel=status.phase == 'Done'")), true);
  assert.equal(hasCelGoal(annotated("jsonpath={.status.phase}=Done")), false);
  assert.equal(hasCelGoal(annotated("nonsense=")), false);
  assert.equal(hasCelGoal(obj("a")), false);
});

const CERTIFICATES = [{
  group: "cert-manager.io",
  version: "v1",
  kind: "Certificate",
  resource: "certificates",
  namespaced: true,
}];

function certificate(ready: "True" | "False"): KubeObject {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "web", namespace: "default", generation: 1 },
    spec: { secretName: "web-tls" },
    status: {
      conditions: [{
        type: "Ready",
        status: ready,
        reason: ready === "True" ? "Ready" : "DoesNotExist",
        message: ready === "True" ? "Certificate is up to date" : "Issuing certificate",
        observedGeneration: 1,
      }],
    },
  };
}

Deno.test("status: a kind of the rule pack read from the cluster gets the pack's verdict", async () => {
  for (const ready of ["True", "False"] as const) {
    const cert = certificate(ready);
    const expected = (await ruleSetFromFlags({ rules: [], builtinRules: true })).compute(cert);
    const cluster = createMemoryCluster([cert], CERTIFICATES);
    const r = await runOnMemory(cluster, ["status", "certificate/web", "-o", "json"]);
    const line = r.out.map((l) => JSON.parse(l)).find((l) => l.type === "status");
    assert.ok(line, r.text);
    assert.equal(line.status, expected.status, r.text);
    assert.equal(line.message, expected.message, r.text);
  }
});

Deno.test("wait: a cel= goal in a live object's annotation loads CEL and is met", async () => {
  const widget = (phase: string): KubeObject => ({
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: {
      name: "w",
      namespace: "default",
      generation: 1,
      annotations: { "kstatus.dev/for": "cel=status.phase == 'Done'" },
    },
    status: { phase },
  });
  const cluster = createMemoryCluster([widget("Pending")], [{
    group: "example.com",
    version: "v1",
    kind: "Widget",
    resource: "widgets",
    namespaced: true,
  }]);
  const running = runOnMemory(cluster, [
    "wait",
    "widget/w",
    "--interval",
    "10ms",
    "--timeout",
    "5s",
  ]);
  await new Promise((r) => setTimeout(r, 100));
  cluster.put(widget("Done"));
  const r = await running;
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /waiting for cel=status.phase == 'Done'/);
});
