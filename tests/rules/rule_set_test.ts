/**
 * Tests of lib/rules/rule_set.ts: the layers (user > built-in > contract > generic), which rule
 * wins within a layer, rule ids, and parity with `computeStatus` when no CEL rule applies.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  BUILTIN_RULES,
  builtinRuleId,
  ComputeError,
  computeStatus,
  createRuleSet,
  groupKindKey,
  InputError,
  KIND_RULES,
  type KubeObject,
  parseRuleFile,
} from "../../mod.ts";
import { cases, NOW } from "../compute_cases.ts";

/** Rules parsed from `yaml` as the file `file`. */
const rules = (yaml: string, file: string) => parseRuleFile(yaml, file);

/** A one-rule file text: objects of `apiVersion`/`kind` are Current when `current` holds. */
const one = (apiVersion: string, kind: string, current: string, message?: string) =>
  `- apiVersion: "${apiVersion}"\n  kind: "${kind}"\n  current: ${JSON.stringify(current)}\n` +
  (message === undefined ? "" : `  message: ${JSON.stringify(message)}\n`);

/** A hand-written built-in pack (ids `builtin:...`, file names as the generator renames them). */
const BUILTIN = [
  ...rules(one("example.com/*", "Widget", "true", "'builtin widget'"), "builtin/example.yaml"),
  ...rules(one("*.example.com/*", "*", "true", "'builtin any'"), "builtin/any.yaml"),
];

function widget(apiVersion = "example.com/v1", kind = "Widget", status: unknown = {}): KubeObject {
  return { apiVersion, kind, metadata: { name: "w", namespace: "default" }, status };
}

const DEPLOYMENT: KubeObject = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "shop", generation: 1 },
  spec: { replicas: 1 },
  status: {
    observedGeneration: 1,
    replicas: 1,
    updatedReplicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
    conditions: [{ type: "Available", status: "True" }],
  },
};

Deno.test("layers: a user rule beats the built-in pack", () => {
  const user = rules(one("example.com/v1", "Widget", "true", "'user widget'"), "mine.yaml");
  const set = createRuleSet({ rules: user, builtin: BUILTIN });
  const r = set.compute(widget());
  assert.equal(r.rule, "file:mine.yaml#1");
  assert.equal(r.message, "user widget");
  assert.deepEqual(set.ruleFor("example.com/v1", "Widget"), {
    id: "file:mine.yaml#1",
    layer: "user",
    definition: user[0],
  });
});

Deno.test("layers: a user rule that is less specific still beats the built-in pack", () => {
  const user = rules(one("*/*", "*", "false", "'user any'"), "mine.yaml");
  const set = createRuleSet({ rules: user, builtin: BUILTIN });
  assert.equal(set.compute(widget()).rule, "file:mine.yaml#1");
  assert.equal(set.compute(widget()).status, "InProgress");
});

Deno.test("layers: the built-in pack beats the generic rule", () => {
  const set = createRuleSet({ builtin: BUILTIN });
  assert.deepEqual(set.compute(widget()), {
    status: "Current",
    message: "builtin widget",
    conditions: [],
    rule: "builtin:example.com/Widget",
    decidedBy: "current: true",
  });
  assert.equal(set.ruleFor("example.com/v2", "Widget").layer, "builtin");
  // The most specific built-in rule wins: Widget over the kind-* rule.
  assert.equal(set.compute(widget("a.example.com/v1", "Gadget")).rule, "builtin:*.example.com/*");
  assert.equal(set.compute(widget("a.example.com/v1", "Gadget")).message, "builtin any");
  // No rule: generic.
  const generic = set.compute(widget("other.com/v1", "Widget"));
  assert.equal(generic.rule, "generic");
  assert.equal(generic.message, "Resource is current");
  assert.deepEqual(set.ruleFor("other.com/v1", "Widget"), { id: "generic", layer: "generic" });
});

Deno.test("layers: no built-in pack given means none", () => {
  const set = createRuleSet({});
  assert.equal(set.compute(widget()).rule, "generic");
  assert.deepEqual(set.rules, []);
  const off = createRuleSet({ builtin: [] });
  assert.equal(off.ruleFor("cert-manager.io/v1", "Certificate").id, "generic");
});

Deno.test("layers: the real built-in pack judges a cert-manager Certificate", () => {
  const set = createRuleSet({ builtin: BUILTIN_RULES });
  const choice = set.ruleFor("cert-manager.io/v1", "Certificate");
  assert.equal(choice.id, "builtin:cert-manager.io/Certificate");
  assert.equal(choice.layer, "builtin");
  assert.equal(choice.definition?.kind, "Certificate");
  const cert: KubeObject = {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "web-tls", namespace: "shop", generation: 1 },
    status: {
      conditions: [{
        type: "Ready",
        status: "True",
        reason: "Ready",
        message: "Certificate is up to date and has not expired",
        observedGeneration: 1,
      }],
    },
  };
  assert.deepEqual(set.compute(cert), {
    status: "Current",
    message: "Certificate is up to date and has not expired",
    conditions: [],
    rule: "builtin:cert-manager.io/Certificate",
    decidedBy: "current: status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
  });
  // The generic rule would say the same status, but not the rule.
  const without = createRuleSet({}).compute(cert);
  assert.equal(without.rule, "generic");
  // A fresh Certificate: the pack waits for cert-manager, the generic rule would say Current.
  const fresh = { ...cert, status: undefined };
  delete fresh.status;
  assert.equal(set.compute(fresh).status, "InProgress");
  assert.equal(createRuleSet({}).compute(fresh).status, "Current");
});

Deno.test("user rules: the later file wins at equal specificity", () => {
  const a = rules(one("example.com/v1", "Widget", "true", "'a'"), "a.yaml");
  const b = rules(one("example.com/v1", "Widget", "false", "'b'"), "b.yaml");
  assert.equal(createRuleSet({ rules: [...a, ...b] }).compute(widget()).rule, "file:b.yaml#1");
  assert.equal(createRuleSet({ rules: [...b, ...a] }).compute(widget()).rule, "file:a.yaml#1");
  // Within one file, the later rule.
  const both = rules(
    one("example.com/v1", "Widget", "true") + one("example.com/v1", "Widget", "false"),
    "c.yaml",
  );
  assert.equal(createRuleSet({ rules: both }).compute(widget()).rule, "file:c.yaml#2");
});

Deno.test("user rules: an exact kind beats a wildcard regardless of order", () => {
  const exact = rules(one("example.com/v1", "Widget", "true"), "exact.yaml");
  const wild = rules(one("example.com/*", "*", "false"), "wild.yaml");
  const wildGroup = rules(one("*/*", "Widget", "false"), "wildgroup.yaml");
  for (const order of [[...exact, ...wild], [...wild, ...exact]]) {
    const set = createRuleSet({ rules: order });
    assert.equal(set.compute(widget()).rule, "file:exact.yaml#1");
    assert.equal(set.compute(widget("example.com/v1", "Gadget")).rule, "file:wild.yaml#1");
  }
  for (const order of [[...exact, ...wildGroup], [...wildGroup, ...exact]]) {
    const set = createRuleSet({ rules: order });
    assert.equal(set.compute(widget()).rule, "file:exact.yaml#1");
    assert.equal(set.compute(widget("other.io/v1")).rule, "file:wildgroup.yaml#1");
  }
});

Deno.test("contract kinds: the built-in layer never judges them", () => {
  const builtin = [
    ...rules(one("apps/*", "Deployment", "false", "'builtin deployment'"), "builtin/apps.yaml"),
    ...rules(one("*/*", "*", "false", "'builtin everything'"), "builtin/all.yaml"),
    ...rules(one("v1", "Pod", "false"), "builtin/pod.yaml"),
  ];
  const set = createRuleSet({ builtin });
  const r = set.compute(DEPLOYMENT, NOW);
  assert.deepEqual(r, {
    ...computeStatus(DEPLOYMENT, { now: NOW }),
    rule: "contract:apps/Deployment",
  });
  assert.equal(r.status, "Current");
  assert.deepEqual(set.ruleFor("apps/v1", "Deployment"), {
    id: "contract:apps/Deployment",
    layer: "contract",
  });
  assert.deepEqual(set.ruleFor("v1", "Pod"), { id: "contract:Pod", layer: "contract" });
  assert.equal(set.ruleFor("v1", "ConfigMap").id, "contract:ConfigMap");
  // A kind the contract has no rule for falls to the kind-* built-in rule.
  assert.equal(set.ruleFor("example.com/v1", "Widget").id, "builtin:*/*");
});

Deno.test("contract kinds: a user rule may replace them", () => {
  const user = rules(one("apps/v1", "Deployment", "false", "'mine'"), "mine.yaml");
  const set = createRuleSet({ rules: user });
  const r = set.compute(DEPLOYMENT, NOW);
  assert.equal(r.rule, "file:mine.yaml#1");
  assert.equal(r.status, "InProgress");
  assert.equal(r.message, "mine");
  // extensions/Deployment is another group: still the contract.
  assert.equal(
    set.ruleFor("extensions/v1beta1", "Deployment").id,
    "contract:extensions/Deployment",
  );
  // A user's kind-* rule replaces them too.
  const any = createRuleSet({ rules: rules(one("*/*", "*", "true"), "any.yaml") });
  assert.equal(any.ruleFor("apps/v1", "Deployment").id, "file:any.yaml#1");
  assert.equal(any.ruleFor("v1", "Pod").id, "file:any.yaml#1");
});

Deno.test("ids: file:PATH#N, builtin:group/Kind, contract:..., generic", () => {
  const user = rules(
    one("example.com/v1", "Widget", "true") + one("example.com/v1", "Gadget", "true"),
    "dir/rules.yaml",
  );
  const set = createRuleSet({ rules: user, builtin: BUILTIN });
  assert.equal(set.ruleFor("example.com/v1", "Gadget").id, "file:dir/rules.yaml#2");
  assert.equal(set.ruleFor("b.example.com/v1", "X").id, "builtin:*.example.com/*");
  assert.equal(set.ruleFor("apps/v1", "Deployment").id, "contract:apps/Deployment");
  assert.equal(set.ruleFor("v1", "Pod").id, "contract:Pod");
  assert.equal(set.ruleFor("batch/v1", "Job").id, "contract:batch/Job");
  assert.equal(set.ruleFor("v1", "Namespace").id, "generic");
  assert.deepEqual(
    set.rules.map((c) => [c.id, c.layer]),
    [
      ["file:dir/rules.yaml#1", "user"],
      ["file:dir/rules.yaml#2", "user"],
      ["builtin:example.com/Widget", "builtin"],
      ["builtin:*.example.com/*", "builtin"],
    ],
  );
  assert.equal(
    builtinRuleId({ apiVersion: "cert-manager.io/*", kind: "Certificate" }),
    "builtin:cert-manager.io/Certificate",
  );
  assert.equal(builtinRuleId({ apiVersion: "v1", kind: "Thing" }), "builtin:v1/Thing");
});

Deno.test("a malformed apiVersion goes to the generic rule", () => {
  const user = rules(one("*/*", "*", "false", "'user'"), "any.yaml");
  const set = createRuleSet({ rules: user, builtin: BUILTIN });
  const pod: KubeObject = {
    apiVersion: "a/b/c",
    kind: "Pod",
    metadata: { name: "p" },
    status: { phase: "Unknown" },
  };
  assert.deepEqual(set.compute(pod, NOW), {
    status: "Current",
    message: "Resource is current",
    conditions: [],
    rule: "generic",
  });
  assert.deepEqual(set.ruleFor("a/b/c", "Pod"), { id: "generic", layer: "generic" });
  assert.equal(set.ruleFor("apps/v1/extra", "Deployment").id, "generic");
});

Deno.test("a user rule with a bad expression fails at createRuleSet", () => {
  const user = rules(one("example.com/v1", "Widget", "status.phase =="), "bad.yaml");
  assert.throws(
    () => createRuleSet({ rules: user }),
    (e: unknown) => e instanceof InputError && e.message.startsWith("bad.yaml:3: rule 1 "),
  );
});

Deno.test("a built-in rule that does not compile makes its objects Unknown", () => {
  const broken = rules(one("example.com/*", "Widget", "status.phase =="), "builtin/broken.yaml");
  const set = createRuleSet({ builtin: broken }); // compiled when first used: no throw here
  const r = set.compute(widget());
  assert.equal(r.status, "Unknown");
  assert.equal(r.rule, "builtin:example.com/Widget");
  assert.match(r.message, /^rule builtin:example\.com\/Widget does not compile: /);
});

/** The rule id the contract layer gives an object. */
function contractId(o: KubeObject): string {
  const apiVersion = typeof o.apiVersion === "string" ? o.apiVersion : "";
  const kind = typeof o.kind === "string" ? o.kind : "";
  if (apiVersion.split("/").length > 2) return "generic";
  const slash = apiVersion.indexOf("/");
  const key = groupKindKey({ group: slash < 0 ? "" : apiVersion.slice(0, slash), kind });
  return KIND_RULES.has(key) ? `contract:${key}` : "generic";
}

function parity(name: string, set: ReturnType<typeof createRuleSet>) {
  Deno.test(name, () => {
    const failures: string[] = [];
    let contract = 0;
    for (const c of cases) {
      const input = structuredClone(c.obj);
      try {
        if ("error" in c.want) {
          try {
            set.compute(c.obj, c.now ?? NOW);
            failures.push(`${c.name}: expected a ComputeError`);
          } catch (e) {
            if (!(e instanceof ComputeError)) failures.push(`${c.name}: threw ${e}`);
            else if (typeof c.want.error === "string" && e.message !== c.want.error) {
              failures.push(`${c.name}: error ${JSON.stringify(e.message)}`);
            }
          }
        } else {
          // `decidedBy` is for people and has its own tests (decided_by_test.ts).
          const { decidedBy: _, ...got } = set.compute(c.obj, c.now ?? NOW);
          const want = { ...c.want, rule: contractId(c.obj) };
          if (want.rule !== "generic") contract++;
          assert.deepStrictEqual(got, want);
        }
        assert.deepStrictEqual(c.obj, input, "compute must not mutate its input");
      } catch (e) {
        failures.push(`${c.name}: ${(e as Error).message}`);
      }
    }
    assert.equal(failures.length, 0, failures.join("\n\n"));
    assert.ok(cases.length > 100, `only ${cases.length} cases`);
    assert.ok(contract > 50, `only ${contract} cases judged by the contract`);
  });
}

parity(
  "parity: createRuleSet({}) gives computeStatus's results for every contract case",
  createRuleSet({}),
);
parity(
  "parity: the built-in pack does not change any contract case",
  createRuleSet({ builtin: BUILTIN_RULES }),
);
