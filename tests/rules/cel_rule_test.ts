/**
 * Tests of lib/rules/cel_rule.ts: which objects a rule matches, how a compiled rule judges an
 * object (docs/rules.md "How a rule is evaluated"), and compile errors.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  compileRule,
  createCelCompiler,
  InputError,
  type KubeObject,
  parseRuleFile,
  ruleMatcher,
} from "../../mod.ts";

// ---------------------------------------------------------------------------------------------
// ruleMatcher
// ---------------------------------------------------------------------------------------------

Deno.test("ruleMatcher: an exact apiVersion and kind", () => {
  const m = ruleMatcher({ apiVersion: "cert-manager.io/v1", kind: "Certificate" });
  assert.equal(m.test("cert-manager.io", "v1", "Certificate"), true);
  assert.equal(m.test("cert-manager.io", "v1alpha2", "Certificate"), false);
  assert.equal(m.test("acme.cert-manager.io", "v1", "Certificate"), false);
  assert.equal(m.test("cert-manager.io", "v1", "Issuer"), false);
  assert.equal(m.test("cert-manager.io", "v1", "certificate"), false, "kinds are exact");
});

Deno.test("ruleMatcher: a version wildcard", () => {
  const m = ruleMatcher({ apiVersion: "cert-manager.io/*", kind: "Certificate" });
  assert.equal(m.test("cert-manager.io", "v1", "Certificate"), true);
  assert.equal(m.test("cert-manager.io", "v1alpha2", "Certificate"), true);
  assert.equal(m.test("xcert-manager.io", "v1", "Certificate"), false);
});

Deno.test("ruleMatcher: a group pattern with kind *", () => {
  const m = ruleMatcher({ apiVersion: "*.crossplane.io/*", kind: "*" });
  assert.equal(m.test("s3.aws.crossplane.io", "v1beta1", "Bucket"), true);
  assert.equal(m.test("pkg.crossplane.io", "v1", "Provider"), true);
  assert.equal(m.test("crossplane.io", "v1", "Provider"), false, "needs a subdomain");
  assert.equal(m.test("crossplaneXio.example", "v1", "Provider"), false, "dots are literal");
  assert.equal(m.test("s3.aws.crossplane.io.evil.com", "v1", "Bucket"), false, "anchored");
  assert.equal(m.test("", "v1", "Pod"), false);
});

Deno.test("ruleMatcher: a kind * with an exact group", () => {
  const m = ruleMatcher({ apiVersion: "example.com/v1", kind: "*" });
  assert.equal(m.test("example.com", "v1", "Anything"), true);
  assert.equal(m.test("example.com", "v2", "Anything"), false);
  assert.equal(m.test("other.com", "v1", "Anything"), false);
});

Deno.test("ruleMatcher: core v1 matches the core group only", () => {
  const m = ruleMatcher({ apiVersion: "v1", kind: "ConfigMap" });
  assert.equal(m.test("", "v1", "ConfigMap"), true);
  assert.equal(m.test("example.com", "v1", "ConfigMap"), false);
  assert.equal(m.test("", "v2", "ConfigMap"), false);
});

Deno.test("ruleMatcher: */* matches every group, the core group included", () => {
  const m = ruleMatcher({ apiVersion: "*/*", kind: "Widget" });
  assert.equal(m.test("example.com", "v1", "Widget"), true);
  assert.equal(m.test("", "v1", "Widget"), true);
  assert.equal(m.test("example.com", "v1", "Gadget"), false);
});

Deno.test("ruleMatcher: specificity: kind over group over version", () => {
  const s = (apiVersion: string, kind: string) => ruleMatcher({ apiVersion, kind }).specificity;
  const ordered = [
    s("example.com/v1", "Widget"),
    s("example.com/*", "Widget"),
    s("*.com/v1", "Widget"),
    s("*/*", "Widget"),
    s("example.com/v1", "*"),
    s("example.com/*", "*"),
    s("*.com/v1", "*"),
    s("*/*", "*"),
  ];
  for (let i = 1; i < ordered.length; i++) {
    assert.ok(ordered[i - 1] > ordered[i], `specificities ${ordered.join(" > ")}`);
  }
  assert.equal(s("v1", "Pod"), s("example.com/v1", "Widget"), "core v1 is exact");
});

// ---------------------------------------------------------------------------------------------
// compileRule: evaluation
// ---------------------------------------------------------------------------------------------

const FILE = "rules/widgets.yaml";
const ID = "file:rules/widgets.yaml#1";

/** Compiles the single rule of `yaml` (a rules file of one rule). */
function rule(yaml: string) {
  const [def] = parseRuleFile(yaml, FILE);
  return compileRule(def, createCelCompiler(), ID);
}

/** A Widget with `status` (left out when undefined) and metadata `meta`. */
function widget(status?: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  const o: KubeObject = {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", namespace: "default", generation: 1, ...meta },
  };
  if (status !== undefined) o.status = status;
  return o;
}

const PHASES = rule(`- apiVersion: example.com/v1
  kind: Widget
  inProgress: status.phase == 'Pending' || status.phase == 'Both'
  failed: status.phase == 'Failed' || status.phase == 'Both' || status.phase == 'FailedReady'
  current: status.phase == 'Ready' || status.phase == 'FailedReady'
`);

Deno.test("evaluate: current true → Current, no conditions, the rule id", () => {
  assert.deepEqual(PHASES.evaluate(widget({ phase: "Ready" })), {
    status: "Current",
    message: "current expression matched",
    conditions: [],
    rule: ID,
    decidedBy: "current: status.phase == 'Ready' || status.phase == 'FailedReady'",
  });
  assert.equal(PHASES.id, ID);
  assert.equal(PHASES.definition.kind, "Widget");
});

Deno.test("evaluate: failed true → Failed with a Stalled condition", () => {
  assert.deepEqual(PHASES.evaluate(widget({ phase: "Failed" })), {
    status: "Failed",
    message: "failed expression matched",
    conditions: [{
      type: "Stalled",
      status: "True",
      reason: "HealthCheckFailed",
      message: "failed expression matched",
    }],
    rule: ID,
    decidedBy: "failed: status.phase == 'Failed' || status.phase == 'Both' || " +
      "status.phase == 'FailedReady'",
  });
});

Deno.test("evaluate: inProgress true → InProgress with a Reconciling condition", () => {
  assert.deepEqual(PHASES.evaluate(widget({ phase: "Pending" })), {
    status: "InProgress",
    message: "inProgress expression matched",
    conditions: [{
      type: "Reconciling",
      status: "True",
      reason: "HealthCheckInProgress",
      message: "inProgress expression matched",
    }],
    rule: ID,
    decidedBy: "inProgress: status.phase == 'Pending' || status.phase == 'Both'",
  });
});

Deno.test("evaluate: inProgress is checked before failed, failed before current", () => {
  assert.equal(PHASES.evaluate(widget({ phase: "Both" })).status, "InProgress");
  assert.equal(PHASES.evaluate(widget({ phase: "FailedReady" })).status, "Failed");
});

Deno.test("evaluate: none true → InProgress", () => {
  const withStatus = PHASES.evaluate(widget({ phase: "Sleeping" }));
  assert.equal(withStatus.status, "InProgress");
  assert.equal(withStatus.message, "no health check expression matched yet");
  assert.equal(withStatus.conditions[0].reason, "HealthCheckInProgress");
  assert.equal(withStatus.rule, ID);
  const fresh = PHASES.evaluate(widget());
  assert.equal(fresh.status, "InProgress");
  assert.equal(fresh.message, "waiting for the controller's status");
});

Deno.test("evaluate: Terminating comes first", () => {
  const r = PHASES.evaluate(
    widget({ phase: "Ready", observedGeneration: 1 }, {
      deletionTimestamp: "2024-05-01T12:00:00Z",
      generation: 2,
    }),
  );
  assert.deepEqual(r, {
    status: "Terminating",
    message: "Resource scheduled for deletion",
    conditions: [],
    rule: ID,
  });
});

Deno.test("evaluate: observedGeneration != generation → InProgress with the contract's text", () => {
  const r = PHASES.evaluate(widget({ phase: "Ready", observedGeneration: 2 }, { generation: 3 }));
  const message = "Widget generation is 3, but latest observed generation is 2";
  assert.deepEqual(r, {
    status: "InProgress",
    message,
    conditions: [{
      type: "Reconciling",
      status: "True",
      reason: "LatestGenerationNotObserved",
      message,
    }],
    rule: ID,
  });
  // A matching, or absent, observedGeneration lets the expressions decide.
  assert.equal(
    PHASES.evaluate(widget({ phase: "Ready", observedGeneration: 3 }, { generation: 3 })).status,
    "Current",
  );
  assert.equal(PHASES.evaluate(widget({ phase: "Ready" }, { generation: 3 })).status, "Current");
});

Deno.test("evaluate: an absent field makes an expression false", () => {
  const r = rule(`- apiVersion: example.com/v1
  kind: Widget
  failed: status.error.code == 500
  current: status.phase == 'Ready'
`);
  // status.error absent: failed is false, current decides.
  assert.equal(r.evaluate(widget({ phase: "Ready" })).status, "Current");
  // No status at all: every expression false.
  assert.equal(r.evaluate(widget()).status, "InProgress");
});

Deno.test("evaluate: an absent field makes a negated expression false too", () => {
  const r = rule(`- apiVersion: example.com/v1
  kind: Widget
  failed: "!(status.phase == 'Running')"
  current: "true"
`);
  // Absent phase: !(…) is false, not true, so the object is not Failed.
  assert.equal(r.evaluate(widget({})).status, "Current");
  assert.equal(r.evaluate(widget({ phase: "Crashed" })).status, "Failed");
  assert.equal(r.evaluate(widget({ phase: "Running" })).status, "Current");
});

Deno.test("evaluate: an index out of range → Unknown naming rule, file:line, expression", () => {
  const r = rule(`- apiVersion: example.com/v1
  kind: Widget
  inProgress: status.conditions[5].type == 'x'
  current: "true"
`);
  const got = r.evaluate(widget({ conditions: [] }));
  assert.equal(got.status, "Unknown");
  assert.deepEqual(got.conditions, []);
  assert.equal(got.rule, ID);
  assert.ok(
    got.message.startsWith(
      `rule ${ID} (${FILE}:3): inProgress expression "status.conditions[5].type == 'x'": `,
    ),
    got.message,
  );
  assert.match(got.message, /index/);
});

Deno.test("evaluate: a type error → Unknown", () => {
  const r = rule(`- apiVersion: example.com/v1
  kind: Widget
  current: status.phase + 1 == 2
`);
  const got = r.evaluate(widget({ phase: "Ready" }));
  assert.equal(got.status, "Unknown");
  assert.ok(
    got.message.startsWith(`rule ${ID} (${FILE}:3): current expression "status.phase + 1 == 2": `),
    got.message,
  );
  assert.match(got.message, /overload/);
});

Deno.test("evaluate: an error stops evaluation, even when a later expression is true", () => {
  const r = rule(`- apiVersion: example.com/v1
  kind: Widget
  failed: status.phase + 1 == 2
  current: "true"
`);
  assert.equal(r.evaluate(widget({ phase: "x" })).status, "Unknown");
});

Deno.test("evaluate: a result that is not a bool → Unknown", () => {
  const r = rule(`- apiVersion: example.com/v1
  kind: Widget
  current: status.ready
`);
  assert.equal(r.evaluate(widget({ ready: true })).status, "Current");
  const got = r.evaluate(widget({ ready: "yes" }));
  assert.equal(got.status, "Unknown");
  assert.equal(
    got.message,
    `rule ${ID} (${FILE}:3): current expression "status.ready": gave string, not a bool`,
  );
  assert.equal(r.evaluate(widget({ ready: 1 })).status, "Unknown");
});

Deno.test("message: the message expression is used", () => {
  const r = rule(`- apiVersion: example.com/v1
  kind: Widget
  failed: status.phase == 'Failed'
  current: status.phase == 'Ready'
  message: "'phase is ' + status.phase"
`);
  assert.equal(r.evaluate(widget({ phase: "Ready" })).message, "phase is Ready");
  const f = r.evaluate(widget({ phase: "Failed" }));
  assert.equal(f.message, "phase is Failed");
  assert.equal(f.conditions[0].message, "phase is Failed");
  assert.equal(r.evaluate(widget({ phase: "Other" })).message, "phase is Other");
});

Deno.test("message: a failing message expression falls back to the Ready condition", () => {
  const r = rule(`- apiVersion: example.com/v1
  kind: Widget
  current: status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')
  message: status.detail.text
`);
  const ready = {
    conditions: [
      { type: "Synced", status: "True", message: "not this one" },
      { type: "Ready", status: "True", message: "all replicas are up" },
    ],
  };
  assert.deepEqual(r.evaluate(widget(ready)), {
    status: "Current",
    message: "all replicas are up",
    conditions: [],
    rule: ID,
    decidedBy: "current: status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
  });
  // Without a Ready message: the expression that matched.
  assert.equal(
    r.evaluate(widget({ conditions: [{ type: "Ready", status: "True" }] })).message,
    "current expression matched",
  );
  // An empty message expression result falls back too.
  assert.equal(
    r.evaluate(widget({ ...ready, detail: { text: "" } })).message,
    "all replicas are up",
  );
  assert.equal(r.evaluate(widget({ ...ready, detail: { text: "custom" } })).message, "custom");
});

Deno.test("message: without a message expression, the Ready condition's message", () => {
  const r = rule(`- apiVersion: example.com/v1
  kind: Widget
  failed: status.conditions.exists(c, c.type == 'Ready' && c.status == 'False')
  current: "false"
`);
  const got = r.evaluate(
    widget({ conditions: [{ type: "Ready", status: "False", message: "quota exceeded" }] }),
  );
  assert.equal(got.status, "Failed");
  assert.equal(got.message, "quota exceeded");
  // None matched: the Ready message too.
  const waiting = r.evaluate(
    widget({ conditions: [{ type: "Ready", status: "Unknown", message: "provisioning" }] }),
  );
  assert.equal(waiting.status, "InProgress");
  assert.equal(waiting.message, "provisioning");
});

// ---------------------------------------------------------------------------------------------
// compileRule: compile errors
// ---------------------------------------------------------------------------------------------

/** The InputError of compiling the single rule of `yaml`. */
function compileFailure(yaml: string): InputError {
  try {
    rule(yaml);
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${e}`);
    return e;
  }
  assert.fail("the rule compiled");
}

Deno.test("compile error: a syntax error with file:line of the expression and a caret", () => {
  const e = compileFailure(`- apiVersion: example.com/v1
  kind: Widget
  inProgress: "false"
  current: status.phase == 'Ready' &&
`);
  assert.equal(e.file, FILE);
  assert.equal(e.line, 4);
  const lines = e.message.split("\n");
  assert.match(
    lines[0],
    /^rules\/widgets\.yaml:4: rule 1 \(example\.com\/v1 Widget\): current: syntax error: /,
  );
  assert.equal(lines[1], "    status.phase == 'Ready' &&");
  assert.equal(lines[2], `    ${" ".repeat("status.phase == 'Ready' &&".length)}^`);
  assert.equal(lines.length, 3);
});

Deno.test("compile error: the caret points into the middle of an expression", () => {
  const e = compileFailure(`- apiVersion: example.com/v1
  kind: Widget
  current: "true"
  failed: a && && b
`);
  assert.equal(e.line, 4);
  const lines = e.message.split("\n");
  assert.match(lines[0], /: rule 1 \(example\.com\/v1 Widget\): failed: syntax error: /);
  assert.equal(lines[1], "    a && && b");
  assert.equal(lines[2], "         ^");
});

Deno.test("compile error: a message expression that is not a string", () => {
  const e = compileFailure(`- apiVersion: example.com/v1
  kind: Widget
  current: "true"
  message: 1 == 1
`);
  assert.equal(e.line, 4);
  assert.match(e.message, /message: expected a string expression, this one gives bool/);
});

Deno.test("compile error: an unknown function", () => {
  const e = compileFailure(`- apiVersion: example.com/v1
  kind: Widget
  current: isReady(status)
`);
  assert.equal(e.line, 3);
  assert.match(e.message, /current: type error: .*isReady/);
});
