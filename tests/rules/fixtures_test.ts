/**
 * Tests of lib/rules/fixtures.ts: running rules' fixtures, what passes and what fails.
 *
 * @module
 */

import assert from "node:assert/strict";
import { InputError, parseRuleFile, runFixtures } from "../../mod.ts";

const FILE = `- apiVersion: example.com/v1
  kind: Widget
  failed: status.phase == 'Failed'
  current: status.phase == 'Ready'
  message: "'phase ' + status.phase"
  fixtures:
    - name: ready
      status: Current
      message: phase Ready
      object: { status: { phase: Ready } }
    - name: wrong-status
      status: Current
      object: { status: { phase: Failed } }
    - name: wrong-message
      status: Failed
      message: broken
      object: { status: { phase: Failed } }
    - name: status-only
      status: InProgress
      object: { status: { phase: Pending } }
- apiVersion: example.com/v1
  kind: Gadget
  current: "true"
- apiVersion: "*.example.com/*"
  kind: "*"
  current: "true"
  fixtures:
    - name: any
      status: Current
      object: { apiVersion: a.example.com/v1, kind: Thing }
`;

Deno.test("runFixtures: every fixture's result, expected vs got", () => {
  const report = runFixtures(parseRuleFile(FILE, "rules.yaml"));
  assert.equal(report.rules, 3);
  assert.deepEqual(report.withoutFixtures, ["file:rules.yaml#2"]);
  assert.deepEqual(report.results, [
    {
      rule: "file:rules.yaml#1",
      kind: "example.com/v1 Widget",
      fixture: "ready",
      where: "rules.yaml:7",
      expected: { status: "Current", message: "phase Ready" },
      got: { status: "Current", message: "phase Ready" },
      ok: true,
    },
    {
      rule: "file:rules.yaml#1",
      kind: "example.com/v1 Widget",
      fixture: "wrong-status",
      where: "rules.yaml:11",
      expected: { status: "Current" },
      got: { status: "Failed", message: "phase Failed" },
      ok: false,
    },
    {
      rule: "file:rules.yaml#1",
      kind: "example.com/v1 Widget",
      fixture: "wrong-message",
      where: "rules.yaml:14",
      expected: { status: "Failed", message: "broken" },
      got: { status: "Failed", message: "phase Failed" },
      ok: false,
    },
    {
      rule: "file:rules.yaml#1",
      kind: "example.com/v1 Widget",
      fixture: "status-only",
      where: "rules.yaml:18",
      expected: { status: "InProgress" },
      got: { status: "InProgress", message: "phase Pending" },
      ok: true,
    },
    {
      rule: "file:rules.yaml#3",
      kind: "*.example.com/* *",
      fixture: "any",
      where: "rules.yaml:28",
      expected: { status: "Current" },
      got: { status: "Current", message: "current expression matched" },
      ok: true,
    },
  ]);
});

Deno.test("runFixtures: a custom id names the rules", () => {
  const report = runFixtures(parseRuleFile(FILE, "rules.yaml"), (r) => `x:${r.kind}`);
  assert.deepEqual(report.withoutFixtures, ["x:Gadget"]);
  assert.deepEqual([...new Set(report.results.map((r) => r.rule))], ["x:Widget", "x:*"]);
});

Deno.test("runFixtures: the fixtures' objects are judged by their own rule only", () => {
  // A fixture object of another kind is still judged by the rule it belongs to.
  const report = runFixtures(parseRuleFile(
    `- apiVersion: example.com/v1
  kind: Widget
  current: "false"
  fixtures:
    - name: other
      status: InProgress
      object: { apiVersion: apps/v1, kind: Deployment, status: {} }
`,
    "r.yaml",
  ));
  assert.equal(report.results[0].ok, true);
  assert.equal(report.results[0].got.status, "InProgress");
});

Deno.test("runFixtures: Terminating and Unknown fixtures", () => {
  const report = runFixtures(parseRuleFile(
    `- apiVersion: example.com/v1
  kind: Widget
  current: status.phase + 1 == 2
  fixtures:
    - name: deleting
      status: Terminating
      message: Resource scheduled for deletion
      object: { metadata: { deletionTimestamp: "2024-05-01T12:00:00Z" } }
    - name: type-error
      status: Unknown
      object: { status: { phase: x } }
`,
    "r.yaml",
  ));
  assert.deepEqual(report.results.map((r) => [r.fixture, r.ok, r.got.status]), [
    ["deleting", true, "Terminating"],
    ["type-error", true, "Unknown"],
  ]);
});

Deno.test("runFixtures: no rules, no results", () => {
  assert.deepEqual(runFixtures([]), { results: [], rules: 0, withoutFixtures: [] });
});

Deno.test("runFixtures: a rule that does not compile throws an InputError", () => {
  const rules = parseRuleFile(
    "- apiVersion: example.com/v1\n  kind: Widget\n  current: status.phase ==\n",
    "r.yaml",
  );
  assert.throws(
    () => runFixtures(rules),
    (e: unknown) => e instanceof InputError && e.message.startsWith("r.yaml:3: rule 1 "),
  );
});
