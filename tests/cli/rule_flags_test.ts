/**
 * Tests of the lazy rule set of `compute` (lib/cli/rule_flags.ts): the pack's generated index
 * (kinds.gen.ts) agrees with the pack, so no kind it has a rule for can be missed; the lazy set
 * judges every object as the eager one does; and it loads neither the pack nor CEL for the
 * contract's kinds.
 *
 * @module
 */

import assert from "node:assert/strict";
import { BUILTIN_FIXTURES } from "../../lib/rules/builtin/fixtures.gen.ts";
import { BUILTIN_KINDS } from "../../lib/rules/builtin/kinds.gen.ts";
import { BUILTIN_RULES } from "../../lib/rules/builtin/rules.gen.ts";
import { STRICT_RULES } from "../../lib/rules/builtin/strict.gen.ts";
import { builtinRuleId } from "../../lib/rules/rule_set.ts";
import { ruleMatcher } from "../../lib/rules/glob.ts";
import { packCovers } from "../../lib/rules/pack_index.ts";
import {
  lazyRuleSetFromFlags,
  type RuleFlags,
  ruleSetFromFlags,
} from "../../lib/cli/rule_flags.ts";
import { groupOf, versionOf } from "../../lib/groupkind.ts";
import type { KubeObject } from "../../lib/types.ts";

const NOW = new Date("2026-01-01T00:00:00Z");

/** Every fixture object of the pack and of the strict checks. */
const FIXTURE_OBJECTS: KubeObject[] = [...BUILTIN_RULES, ...STRICT_RULES].flatMap((r) =>
  (BUILTIN_FIXTURES[builtinRuleId(r, STRICT_RULES.includes(r) ? "strict" : "builtin")] ?? [])
    .map((f) => f.object)
);

/** Objects no pack rule judges: the contract's kinds, the generic rule, odd identities. */
const OTHER_OBJECTS: KubeObject[] = [
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", generation: 1 },
    spec: { replicas: 1 },
    status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
  },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, status: { phase: "Running" } },
  { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } },
  { apiVersion: "a/b/c", kind: "Certificate", metadata: { name: "odd" } },
  { apiVersion: "v1", kind: "constructor", metadata: { name: "proto" } },
];

Deno.test("pack index: lists every kind of the pack with its rules' apiVersion patterns, in order", () => {
  const expected = new Map<string, string[]>();
  for (const r of BUILTIN_RULES) {
    expected.set(r.kind, [...(expected.get(r.kind) ?? []), r.apiVersion]);
  }
  assert.deepEqual([...BUILTIN_KINDS], [...expected]);
});

Deno.test("pack index: covers exactly the objects some pack rule matches", () => {
  assert.ok(FIXTURE_OBJECTS.length > 500, `${FIXTURE_OBJECTS.length} fixture objects`);
  const matchers = BUILTIN_RULES.map(ruleMatcher);
  for (const o of [...FIXTURE_OBJECTS, ...OTHER_OBJECTS]) {
    const [apiVersion, kind] = [String(o.apiVersion), String(o.kind)];
    const matched = matchers.some((m) => m.test(groupOf(apiVersion), versionOf(apiVersion), kind));
    assert.equal(packCovers(BUILTIN_KINDS, apiVersion, kind), matched, `${apiVersion} ${kind}`);
  }
  assert.ok(packCovers(BUILTIN_KINDS, "cert-manager.io/v1", "Certificate"));
  assert.ok(packCovers(BUILTIN_KINDS, "s3.aws.upbound.io/v1beta1", "Bucket")); // kind `*`
  assert.ok(!packCovers(BUILTIN_KINDS, "apps/v1", "Deployment"));
  assert.ok(!packCovers(BUILTIN_KINDS, "v1", "constructor"));
});

/** The result, or the error thrown (some objects are malformed on purpose). */
function outcome<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
}

const FLAG_SETS: RuleFlags[] = [
  { rules: [], builtinRules: true },
  { rules: [], builtinRules: false },
  { rules: ["builtin:strict"], builtinRules: true },
];

Deno.test("lazy rule set: judges every object as the eager rule set does", async () => {
  for (const flags of FLAG_SETS) {
    const eager = await ruleSetFromFlags(flags);
    const { set, prepare } = await lazyRuleSetFromFlags(flags);
    for (const o of [...OTHER_OBJECTS, ...FIXTURE_OBJECTS]) {
      await prepare(o);
      const [apiVersion, kind] = [String(o.apiVersion), String(o.kind)];
      const what = `${JSON.stringify(flags)} ${apiVersion} ${kind} ${JSON.stringify(o.metadata)}`;
      assert.deepEqual(set.ruleFor(apiVersion, kind), eager.ruleFor(apiVersion, kind), what);
      assert.deepEqual(set.strictFor(apiVersion, kind), eager.strictFor(apiVersion, kind), what);
      assert.deepEqual(
        outcome(() => set.compute(o, NOW)),
        outcome(() => eager.compute(o, NOW)),
        what,
      );
    }
    assert.deepEqual(set.rules, eager.rules);
  }
});

Deno.test("lazy rule set: the contract's kinds need neither the pack nor CEL; a pack kind does", async () => {
  const { set, prepare } = await lazyRuleSetFromFlags({ rules: [], builtinRules: true });
  for (const o of OTHER_OBJECTS) assert.equal(prepare(o), undefined, String(o.kind));
  // Not loaded yet: the pack's rules cannot be listed, a pack kind cannot be judged.
  assert.throws(() => set.rules, /internal/);
  assert.throws(() => set.ruleFor("cert-manager.io/v1", "Certificate"), /internal: prepare/);
  const certificate = FIXTURE_OBJECTS.find((o) => o.kind === "Certificate")!;
  const loading = prepare(certificate);
  assert.ok(loading instanceof Promise);
  await loading;
  assert.equal(prepare(certificate), undefined);
  assert.equal(
    set.ruleFor("cert-manager.io/v1", "Certificate").id,
    "builtin:cert-manager.io/Certificate",
  );
});
