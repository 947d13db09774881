/**
 * Flux compatibility: rules written as Flux's health check cheatsheet writes them
 * (`healthCheckExprs`: conditions with filter/all/exists, `has()` guards, the optional syntax
 * `a.?b.orValue()`) load unchanged and give the expected verdicts, whether the file is the bare
 * list or a whole Flux Kustomization manifest.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createRuleSet, type KubeObject, parseRuleFile, type Status } from "../../mod.ts";

/** The expressions, in the cheatsheet's style, indented for a list at `indent` spaces. */
function exprs(indent: number): string {
  const text = `- apiVersion: config.example.com/v1
  kind: AppConfig
  inProgress: "status.?phase.orValue('') == 'Syncing'"
  failed: "status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'False')"
  current: "has(status.conditions) && status.conditions.exists(e, e.type == 'Ready') && status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')"
- apiVersion: apps.example.com/v1alpha1
  kind: WebApp
  failed: >-
    status.conditions.exists(e, e.type == 'Progressing' && e.status == 'False' &&
    e.reason == 'ProgressDeadlineExceeded')
  current: "status.readyReplicas == spec.replicas && status.?updatedReplicas.orValue(0) == spec.replicas"
- apiVersion: "*.queue.example.com/*"
  kind: "*"
  inProgress: "has(status.conditions) && status.conditions.exists(e, e.type == 'Reconciling' && e.status == 'True')"
  failed: "status.conditions.exists(e, e.type == 'Stalled' && e.status == 'True')"
  current: "status.conditions.exists(e, e.type == 'Ready' && e.status == 'True')"
`;
  const pad = " ".repeat(indent);
  return text.split("\n").map((l) => (l === "" ? l : pad + l)).join("\n");
}

const LIST_FILE = exprs(0);

const KUSTOMIZATION_FILE = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 5m
  path: ./deploy
  prune: true
  wait: true
  sourceRef:
    kind: GitRepository
    name: apps
  healthCheckExprs:
${exprs(4)}`;

const cond = (type: string, status: string, extra: Record<string, string> = {}) => ({
  type,
  status,
  ...extra,
});

function object(
  apiVersion: string,
  kind: string,
  parts: { spec?: unknown; status?: unknown; metadata?: Record<string, unknown> } = {},
): KubeObject {
  const o: KubeObject = {
    apiVersion,
    kind,
    metadata: { name: "x", namespace: "default", generation: 1, ...parts.metadata },
  };
  if (parts.spec !== undefined) o.spec = parts.spec;
  if (parts.status !== undefined) o.status = parts.status;
  return o;
}

const config = (status?: unknown) => object("config.example.com/v1", "AppConfig", { status });
const webapp = (replicas: number, status?: unknown) =>
  object("apps.example.com/v1alpha1", "WebApp", { spec: { replicas }, status });
const queue = (status?: unknown) => object("sqs.queue.example.com/v1beta1", "Queue", { status });

/** Objects and the verdict each must get, with the rule (index in the file) that judges it. */
const EXPECTED: [string, KubeObject, Status, number][] = [
  ["AppConfig ready", config({ conditions: [cond("Ready", "True")] }), "Current", 1],
  ["AppConfig not ready", config({ conditions: [cond("Ready", "False")] }), "Failed", 1],
  [
    "AppConfig syncing wins over Ready=False",
    config({ phase: "Syncing", conditions: [cond("Ready", "False")] }),
    "InProgress",
    1,
  ],
  ["AppConfig Ready=Unknown", config({ conditions: [cond("Ready", "Unknown")] }), "InProgress", 1],
  ["AppConfig without status", config(), "InProgress", 1],
  [
    // filter(...).all(...) over no Ready condition is vacuously true: Flux's failed expression
    // says Failed; current is guarded by exists(), so the object is Failed, as in Flux.
    "AppConfig with other conditions only",
    config({ conditions: [cond("Synced", "True")] }),
    "Failed",
    1,
  ],
  ["WebApp all replicas ready", webapp(3, { readyReplicas: 3, updatedReplicas: 3 }), "Current", 2],
  ["WebApp rolling", webapp(3, { readyReplicas: 2, updatedReplicas: 3 }), "InProgress", 2],
  ["WebApp not updated yet", webapp(3, { readyReplicas: 3, updatedReplicas: 1 }), "InProgress", 2],
  ["WebApp updatedReplicas absent", webapp(3, { readyReplicas: 3 }), "InProgress", 2],
  // readyReplicas absent (the API server omits zeros): an absent field is false, not an error.
  ["WebApp no ready replica", webapp(3, { replicas: 3 }), "InProgress", 2],
  ["WebApp without status", webapp(3), "InProgress", 2],
  [
    "WebApp deadline exceeded",
    webapp(3, {
      readyReplicas: 1,
      conditions: [cond("Progressing", "False", { reason: "ProgressDeadlineExceeded" })],
    }),
    "Failed",
    2,
  ],
  [
    "WebApp generation not observed",
    object("apps.example.com/v1alpha1", "WebApp", {
      metadata: { generation: 2 },
      spec: { replicas: 1 },
      status: { observedGeneration: 1, readyReplicas: 1, updatedReplicas: 1 },
    }),
    "InProgress",
    2,
  ],
  ["Queue ready", queue({ conditions: [cond("Ready", "True")] }), "Current", 3],
  [
    "Queue reconciling",
    queue({ conditions: [cond("Reconciling", "True"), cond("Ready", "True")] }),
    "InProgress",
    3,
  ],
  ["Queue stalled", queue({ conditions: [cond("Stalled", "True")] }), "Failed", 3],
  ["Queue without status", queue(), "InProgress", 3],
];

for (const [name, file] of [["list", LIST_FILE], ["Kustomization", KUSTOMIZATION_FILE]]) {
  Deno.test(`Flux cheatsheet rules as a ${name} file: the expected verdicts`, () => {
    const rules = parseRuleFile(file, "flux.yaml");
    assert.equal(rules.length, 3);
    const set = createRuleSet({ rules });
    const wrong: string[] = [];
    for (const [what, obj, status, index] of EXPECTED) {
      const got = set.compute(obj);
      if (got.status !== status || got.rule !== `file:flux.yaml#${index}`) {
        wrong.push(`${what}: expected ${status} by #${index}, got ${JSON.stringify(got)}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
}

Deno.test("the Kustomization file gives the same rules as the list, at their own lines", () => {
  const list = parseRuleFile(LIST_FILE, "flux.yaml");
  const ks = parseRuleFile(KUSTOMIZATION_FILE, "flux.yaml");
  const strip = (r: (typeof list)[number]) => {
    const { line: _line, lines: _lines, ...rest } = r;
    return rest;
  };
  assert.deepEqual(ks.map(strip), list.map(strip));
  const offset = 14; // the list starts on line 15 of the Kustomization
  assert.deepEqual(ks.map((r) => r.line), list.map((r) => r.line + offset));
  assert.deepEqual(
    ks.map((r) => r.lines),
    list.map((r) =>
      Object.fromEntries(Object.entries(r.lines).map(([k, v]) => [k, (v as number) + offset]))
    ),
  );
});

Deno.test("Flux messages: the Ready condition's message is the line users read", () => {
  const set = createRuleSet({ rules: parseRuleFile(KUSTOMIZATION_FILE, "ks.yaml") });
  const got = set.compute(config({ conditions: [cond("Ready", "False", { message: "bad key" })] }));
  assert.equal(got.status, "Failed");
  assert.equal(got.message, "bad key");
  assert.equal(got.conditions[0].message, "bad key");
});
