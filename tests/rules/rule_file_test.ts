/**
 * Tests of lib/rules/rule_file.ts: parsing rule files (YAML lists, multi-document YAML, JSON,
 * Flux Kustomizations), every error with its file:line, fixtures, and loading files,
 * directories and stdin.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError, loadRuleFiles, parseRuleFile, type RuleDefinition } from "../../mod.ts";

/** The InputError thrown by parsing `text` as `file`. */
function parseError(text: string, file = "rules.yaml"): InputError {
  try {
    parseRuleFile(text, file);
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${e}`);
    return e;
  }
  assert.fail("the file parsed");
}

/** Asserts that parsing `text` fails at `line` with a message matching `pattern`. */
function assertFailsAt(text: string, line: number, pattern: RegExp, file = "rules.yaml") {
  const e = parseError(text, file);
  assert.ok(
    e.message.startsWith(`${file}:${line}: `),
    `expected ${file}:${line}, got ${JSON.stringify(e.message)}`,
  );
  assert.equal(e.file, file);
  assert.equal(e.line, line);
  assert.match(e.message, pattern);
}

const WIDGET = `- apiVersion: example.com/v1
  kind: Widget
  current: status.phase == 'Ready'
`;

Deno.test("parseRuleFile: a list of rules, with every key and their lines", () => {
  const text = `# widgets
- apiVersion: example.com/v1
  kind: Widget
  docs: https://example.com/widgets
  inProgress: status.phase == 'Pending'
  failed: status.phase == 'Failed'
  current: status.phase == 'Ready'
  message: status.?message.orValue('')
- apiVersion: "*.example.com/*"
  kind: "*"
  current: >-
    status.conditions.exists(c,
      c.type == 'Ready' && c.status == 'True')
`;
  const rules = parseRuleFile(text, "my/rules.yaml");
  assert.equal(rules.length, 2);
  const [a, b] = rules;
  assert.deepEqual(
    a,
    {
      apiVersion: "example.com/v1",
      kind: "Widget",
      docs: "https://example.com/widgets",
      inProgress: "status.phase == 'Pending'",
      failed: "status.phase == 'Failed'",
      current: "status.phase == 'Ready'",
      message: "status.?message.orValue('')",
      fixtures: [],
      file: "my/rules.yaml",
      line: 2,
      index: 1,
      lines: { inProgress: 5, failed: 6, current: 7, message: 8 },
    } satisfies RuleDefinition,
  );
  assert.equal(b.apiVersion, "*.example.com/*");
  assert.equal(b.kind, "*");
  assert.equal(
    b.current,
    "status.conditions.exists(c,\n  c.type == 'Ready' && c.status == 'True')",
  );
  assert.equal(b.line, 9);
  assert.equal(b.index, 2);
  assert.deepEqual(b.lines, { current: 11 });
  assert.equal(b.inProgress, undefined);
  assert.equal("failed" in b, false);
});

Deno.test("parseRuleFile: multi-document YAML, indexes run on across documents", () => {
  const text = `${WIDGET}---
# nothing here
---
- apiVersion: v1
  kind: Thing
  current: "true"
- apiVersion: example.com/v2
  kind: Gadget
  current: "false"
`;
  const rules = parseRuleFile(text, "multi.yaml");
  assert.deepEqual(
    rules.map((r) => [r.apiVersion, r.kind, r.index, r.line]),
    [
      ["example.com/v1", "Widget", 1, 1],
      ["v1", "Thing", 2, 7],
      ["example.com/v2", "Gadget", 3, 10],
    ],
  );
});

Deno.test("parseRuleFile: an empty file has no rules", () => {
  assert.deepEqual(parseRuleFile("", "empty.yaml"), []);
  assert.deepEqual(parseRuleFile("# only a comment\n", "empty.yaml"), []);
  assert.deepEqual(parseRuleFile("[]\n", "empty.yaml"), []);
});

Deno.test("parseRuleFile: JSON text", () => {
  const text = JSON.stringify(
    [
      { apiVersion: "example.com/v1", kind: "Widget", current: "status.ready == true" },
      {
        apiVersion: "example.com/v1",
        kind: "Gadget",
        current: "true",
        failed: "status.broken",
        fixtures: [{ name: "a", status: "Current", object: { status: {} } }],
      },
    ],
    null,
    2,
  );
  const rules = parseRuleFile(text, "rules.json");
  assert.equal(rules.length, 2);
  assert.equal(rules[0].kind, "Widget");
  assert.equal(rules[0].current, "status.ready == true");
  assert.equal(rules[0].line, 2);
  assert.equal(rules[1].line, 7);
  assert.equal(rules[1].failed, "status.broken");
  assert.equal(rules[1].lines.failed, 11);
  assert.equal(rules[1].fixtures[0].object.kind, "Gadget");
  assert.equal(rules[1].fixtures[0].line, 13);
});

Deno.test("parseRuleFile: a JSON mistake is reported with its line", () => {
  assertFailsAt(
    '[\n  {"apiVersion": "example.com/v1",\n   "kind": "Widget",,\n   "current": "true"}\n]\n',
    3,
    /^rules\.yaml:3: malformed YAML: /,
  );
  assertFailsAt(
    '[\n  {"apiVersion": "example.com/v1", "kind": "Widget", "current": "true"},\n' +
      '  {"apiVersion": "x/v1", "kind": "Cert*", "current": "true"}\n]\n',
    3,
    /rule 2: kind "Cert\*"/,
  );
});

const KUSTOMIZATION = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  sourceRef:
    kind: GitRepository
    name: flux-system
  healthCheckExprs:
    - apiVersion: example.com/v1
      kind: Widget
      failed: status.phase == 'Failed'
      current: status.phase == 'Ready'
    - apiVersion: example.com/v1
      kind: Gadget
      current: status.ready
`;

Deno.test("parseRuleFile: a Flux Kustomization contributes its healthCheckExprs", () => {
  const rules = parseRuleFile(KUSTOMIZATION, "ks.yaml");
  assert.deepEqual(
    rules.map((r) => [r.kind, r.line, r.index, r.lines]),
    [
      ["Widget", 13, 1, { failed: 15, current: 16 }],
      ["Gadget", 17, 2, { current: 19 }],
    ],
  );
  assert.equal(rules[0].current, "status.phase == 'Ready'");
});

Deno.test("parseRuleFile: a Kustomization without healthCheckExprs contributes none", () => {
  const text = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: infra }
spec:
  path: ./infra
---
${WIDGET}`;
  const rules = parseRuleFile(text, "ks.yaml");
  assert.deepEqual(rules.map((r) => [r.kind, r.line, r.index]), [["Widget", 7, 1]]);
  assert.deepEqual(
    parseRuleFile("apiVersion: kustomize.toolkit.fluxcd.io/v1beta2\nkind: Kustomization\n", "k"),
    [],
  );
});

Deno.test("parseRuleFile: a Kustomization whose healthCheckExprs is not a list", () => {
  assertFailsAt(
    "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  healthCheckExprs: 3\n",
    1,
    /spec\.healthCheckExprs of a Kustomization must be a list/,
  );
});

Deno.test("error: a mapping that is not a Kustomization", () => {
  assertFailsAt(
    `${WIDGET}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n`,
    5,
    /expected a list of rules, or a Flux Kustomization with spec\.healthCheckExprs/,
  );
  // A Kustomization of another group (kustomize's own) is not Flux's.
  assertFailsAt(
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
    1,
    /expected a list of rules/,
  );
  assertFailsAt("just a string\n", 1, /expected a list of rules/);
});

Deno.test("error: an unknown key in a rule, at the line of that key", () => {
  assertFailsAt(
    `${WIDGET}- apiVersion: example.com/v1
  kind: Gadget
  current: "true"
  healthy: "true"
`,
    7,
    /rule 2: unknown key "healthy" \(expected apiVersion, kind, current, inProgress, failed, message, docs, fixtures\)/,
  );
  // A block value: the line of the key, not of the value.
  assertFailsAt(
    `- apiVersion: example.com/v1
  kind: Gadget
  current: "true"
  checks:
    - a
`,
    4,
    /rule 1: unknown key "checks"/,
  );
});

Deno.test("error: a rule that is not a mapping", () => {
  assertFailsAt(`${WIDGET}- just text\n`, 4, /rule 2: expected a mapping, got string "just text"/);
  assertFailsAt("- [1, 2]\n", 1, /rule 1: expected a mapping, got a list/);
});

Deno.test("error: missing current, apiVersion or kind, at the rule's line", () => {
  assertFailsAt(
    `${WIDGET}\n- apiVersion: example.com/v1\n  kind: Gadget\n  failed: "false"\n`,
    5,
    /rule 2: current is required/,
  );
  assertFailsAt("- kind: Gadget\n  current: 'true'\n", 1, /rule 1: apiVersion is required/);
  assertFailsAt("- apiVersion: v1\n  current: 'true'\n", 1, /rule 1: kind is required/);
});

Deno.test("error: an expression that is not a string, at the line of its value", () => {
  assertFailsAt(
    "- apiVersion: example.com/v1\n  kind: Widget\n  current: true\n",
    3,
    /rule 1: current must be a non-empty string, got boolean true/,
  );
  assertFailsAt(
    "- apiVersion: example.com/v1\n  kind: Widget\n  current: 'true'\n  failed:\n    - a\n",
    5,
    /rule 1: failed must be a non-empty string, got a list/,
  );
  assertFailsAt(
    "- apiVersion: example.com/v1\n  kind: Widget\n  current: '  '\n",
    3,
    /rule 1: current must be a non-empty string/,
  );
  assertFailsAt(
    "- apiVersion: example.com/v1\n  kind: Widget\n  current: 'true'\n  docs: 3\n",
    4,
    /rule 1: docs must be a non-empty string, got number 3/,
  );
});

Deno.test("error: a bad apiVersion", () => {
  assertFailsAt(
    "- apiVersion: a/b/c\n  kind: Widget\n  current: 'true'\n",
    1,
    /rule 1: apiVersion "a\/b\/c": expected group\/version \(or v1 for the core group\)/,
  );
  assertFailsAt("- apiVersion: example.com/\n  kind: W\n  current: 'true'\n", 1, /apiVersion/);
  assertFailsAt(
    "- apiVersion: 'ex ample.com/v1'\n  kind: W\n  current: 'true'\n",
    1,
    /only letters, digits, '\.', '-' and '\*' are allowed/,
  );
});

Deno.test("error: a kind with a partial wildcard", () => {
  assertFailsAt(
    `${WIDGET}- apiVersion: cert-manager.io/*\n  kind: Cert*\n  current: 'true'\n`,
    4,
    /rule 2: kind "Cert\*": a kind is exact, or \*/,
  );
});

Deno.test("error: malformed YAML", () => {
  assertFailsAt(
    `${WIDGET}- apiVersion: example.com/v1\n  kind: [Widget\n  current: 'true'\n`,
    6,
    /^rules\.yaml:\d+: malformed YAML: /,
  );
  // A duplicate key is malformed too.
  const e = parseError(`${WIDGET}  kind: Again\n`);
  assert.match(e.message, /^rules\.yaml:4: malformed YAML: /);
  assert.ok(!e.message.includes("\n"), JSON.stringify(e.message));
});

const FIXTURED = (fixtures: string) =>
  `- apiVersion: example.com/v1
  kind: Widget
  current: status.phase == 'Ready'
  fixtures:
${fixtures}`;

Deno.test("fixtures: parsed with their lines, apiVersion and kind default to the rule's", () => {
  const [rule] = parseRuleFile(
    FIXTURED(`    - name: ready
      status: Current
      message: all good
      object:
        metadata: { name: w }
        status: { phase: Ready }
    - name: other-kind
      status: InProgress
      object: { apiVersion: example.com/v2, kind: Widget2, status: {} }
`),
    "f.yaml",
  );
  assert.deepEqual(rule.fixtures, [
    {
      name: "ready",
      status: "Current",
      message: "all good",
      object: {
        apiVersion: "example.com/v1",
        kind: "Widget",
        metadata: { name: "w" },
        status: { phase: "Ready" },
      },
      line: 5,
    },
    {
      name: "other-kind",
      status: "InProgress",
      object: { apiVersion: "example.com/v2", kind: "Widget2", status: {} },
      line: 11,
    },
  ]);
});

Deno.test("fixtures: a wildcard rule's fixture needs its apiVersion and kind", () => {
  const text = (apiVersion: string, kind: string, object: string) =>
    `- apiVersion: "${apiVersion}"
  kind: "${kind}"
  current: "true"
  fixtures:
    - name: one
      status: Current
      object: ${object}
`;
  assertFailsAt(
    text("cert-manager.io/*", "Certificate", "{ kind: Certificate }"),
    5,
    /rule 1: fixture: "one": object needs apiVersion \(the rule has a wildcard\)/,
  );
  assertFailsAt(
    text("cert-manager.io/v1", "*", "{ apiVersion: cert-manager.io/v1 }"),
    5,
    /object needs kind \(the rule has a wildcard\)/,
  );
  const [ok] = parseRuleFile(
    text("*.example.com/*", "*", "{ apiVersion: a.example.com/v1, kind: W }"),
    "w.yaml",
  );
  assert.deepEqual(ok.fixtures[0].object, { apiVersion: "a.example.com/v1", kind: "W" });
});

Deno.test("fixtures: not a list", () => {
  assertFailsAt(
    "- apiVersion: example.com/v1\n  kind: Widget\n  current: 'true'\n  fixtures:\n    name: a\n",
    5,
    /rule 1: fixtures must be a list/,
  );
});

Deno.test("fixtures: an unknown key, at the fixture's line", () => {
  assertFailsAt(
    FIXTURED(`    - name: a
      status: Current
      object: {}
    - name: b
      status: Current
      expect: Current
      object: {}
`),
    8,
    /rule 1: fixture: unknown key "expect" \(expected name, status, message, object\)/,
  );
});

Deno.test("fixtures: a bad status", () => {
  assertFailsAt(
    FIXTURED("    - name: a\n      status: Ready\n      object: {}\n"),
    5,
    /rule 1: fixture: "a": status must be one of InProgress, Failed, Current, Terminating, /,
  );
  assertFailsAt(
    FIXTURED("    - name: a\n      object: {}\n"),
    5,
    /fixture: "a": status must be one of/,
  );
});

Deno.test("fixtures: a duplicate name", () => {
  assertFailsAt(
    FIXTURED(`    - name: a
      status: Current
      object: {}
    - name: a
      status: InProgress
      object: {}
`),
    8,
    /rule 1: fixture name "a" is used twice/,
  );
});

Deno.test("fixtures: missing name, object not a mapping, message not a string", () => {
  assertFailsAt(
    FIXTURED("    - status: Current\n      object: {}\n"),
    5,
    /rule 1: fixture: name is required/,
  );
  assertFailsAt(
    FIXTURED("    - name: a\n      status: Current\n      object: [1]\n"),
    5,
    /fixture: "a": object must be a mapping/,
  );
  assertFailsAt(
    FIXTURED("    - name: a\n      status: Current\n      message: 3\n      object: {}\n"),
    5,
    /fixture: "a": message must be a string/,
  );
  assertFailsAt(FIXTURED("    - just text\n"), 5, /rule 1: fixture: expected a mapping/);
});

/** A temporary directory, removed after `fn`. */
async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kstatus-rules-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const ruleText = (kind: string) =>
  `- apiVersion: example.com/v1\n  kind: ${kind}\n  current: "true"\n`;

Deno.test("loadRuleFiles: a directory's .yaml, .yml and .json files, sorted by name", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "b.yaml"), ruleText("B"));
    await Deno.writeTextFile(join(dir, "a.yml"), ruleText("A"));
    await Deno.writeTextFile(
      join(dir, "c.json"),
      JSON.stringify([{ apiVersion: "example.com/v1", kind: "C", current: "true" }]),
    );
    await Deno.writeTextFile(join(dir, "README.md"), "not rules: {{{");
    await Deno.writeTextFile(join(dir, "d.yaml.bak"), "not rules: {{{");
    await Deno.mkdir(join(dir, "sub"));
    await Deno.writeTextFile(join(dir, "sub", "e.yaml"), ruleText("E"));
    const rules = await loadRuleFiles([dir]);
    assert.deepEqual(
      rules.map((r) => [r.kind, r.file, r.index]),
      [
        ["A", join(dir, "a.yml"), 1],
        ["B", join(dir, "b.yaml"), 1],
        ["C", join(dir, "c.json"), 1],
      ],
    );
  });
});

Deno.test("loadRuleFiles: paths in order; a file given by name is read whatever its name", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "z.yaml"), ruleText("Z"));
    await Deno.writeTextFile(join(dir, "rules.txt"), ruleText("T"));
    const rules = await loadRuleFiles([join(dir, "z.yaml"), join(dir, "rules.txt")]);
    assert.deepEqual(rules.map((r) => r.kind), ["Z", "T"]);
  });
});

Deno.test("loadRuleFiles: errors name the file", async () => {
  await withTempDir(async (dir) => {
    const bad = join(dir, "bad.yaml");
    await Deno.writeTextFile(bad, `${ruleText("A")}- apiVersion: a/b/c\n  kind: B\n  current: x\n`);
    await assert.rejects(
      () => loadRuleFiles([bad]),
      (e: unknown) => e instanceof InputError && e.message.startsWith(`${bad}:4: rule 2: `),
    );
    const missing = join(dir, "missing.yaml");
    await assert.rejects(
      () => loadRuleFiles([missing]),
      (e: unknown) =>
        e instanceof InputError && e.message.startsWith(`${missing}: `) &&
        e.message.includes("no such file or directory"),
    );
  });
});

Deno.test("loadRuleFiles: - reads stdin, among other paths", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "a.yaml"), ruleText("A"));
    let reads = 0;
    const rules = await loadRuleFiles([join(dir, "a.yaml"), "-"], {
      readStdin: () => {
        reads++;
        return Promise.resolve(ruleText("FromStdin"));
      },
    });
    assert.equal(reads, 1);
    assert.deepEqual(rules.map((r) => [r.kind, r.file]), [
      ["A", join(dir, "a.yaml")],
      ["FromStdin", "-"],
    ]);
  });
});

Deno.test("loadRuleFiles: - twice is rejected before reading anything", async () => {
  let reads = 0;
  const readStdin = () => {
    reads++;
    return Promise.resolve(ruleText("A"));
  };
  await assert.rejects(
    () => loadRuleFiles(["-", "-"], { readStdin }),
    (e: unknown) => e instanceof InputError && /given more than once/.test(e.message),
  );
  assert.equal(reads, 0);
});

Deno.test("loadRuleFiles: - without a stdin reader", async () => {
  await assert.rejects(
    () => loadRuleFiles(["-"]),
    (e: unknown) => e instanceof InputError && /standard input is not available/.test(e.message),
  );
});

Deno.test("loadRuleFiles: a malformed stdin names -", async () => {
  await assert.rejects(
    () => loadRuleFiles(["-"], { readStdin: () => Promise.resolve("- kind: [x\n") }),
    (e: unknown) =>
      e instanceof InputError && e.file === "-" && /^-:\d+: malformed YAML/.test(e.message),
  );
});
