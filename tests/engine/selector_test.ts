import assert from "node:assert/strict";
import { compileLabelSelector, labelsOf, parseSelector, SelectorError } from "../../mod.ts";
import { test } from "./fixtures.ts";

/** Label sets the matching tests run over. */
const LABELS: Record<string, Record<string, string>> = {
  none: {},
  web: { app: "web" },
  webFront: { app: "web", tier: "front" },
  webBack: { app: "web", tier: "back" },
  api: { app: "api", tier: "front", env: "prod" },
  test: { app: "web", env: "test" },
  emptyTier: { app: "web", tier: "" },
};

/** The names of the LABELS entries a matcher accepts. */
function accepted(matches: (l: Record<string, string>) => boolean): string[] {
  return Object.entries(LABELS).filter(([, l]) => matches(l)).map(([name]) => name);
}

test("compileLabelSelector: matchLabels and each operator", () => {
  const cases: Array<[unknown, string, string[]]> = [
    [{}, "", Object.keys(LABELS)],
    [{ matchLabels: null, matchExpressions: null }, "", Object.keys(LABELS)],
    [{ matchLabels: { tier: "front", app: "web" } }, "app=web,tier=front", ["webFront"]],
    [
      { matchExpressions: [{ key: "tier", operator: "In", values: ["front", "back"] }] },
      "tier in (back,front)",
      ["webFront", "webBack", "api"],
    ],
    [
      { matchExpressions: [{ key: "env", operator: "NotIn", values: ["test"] }] },
      "env notin (test)",
      ["none", "web", "webFront", "webBack", "api", "emptyTier"],
    ],
    [
      { matchExpressions: [{ key: "tier", operator: "Exists" }] },
      "tier",
      ["webFront", "webBack", "api", "emptyTier"],
    ],
    [
      { matchExpressions: [{ key: "tier", operator: "DoesNotExist", values: [] }] },
      "!tier",
      ["none", "web", "test"],
    ],
    [
      {
        matchLabels: { app: "web" },
        matchExpressions: [
          { key: "tier", operator: "In", values: ["front", ""] },
          { key: "env", operator: "DoesNotExist" },
        ],
      },
      "app=web,!env,tier in (,front)",
      ["webFront", "emptyTier"],
    ],
  ];
  for (const [raw, text, expected] of cases) {
    const selector = compileLabelSelector(raw);
    assert.equal(selector.toString(), text, JSON.stringify(raw));
    assert.deepEqual(accepted(selector.matches), expected, JSON.stringify(raw));
  }
});

test("compileLabelSelector: malformed selectors are SelectorErrors", () => {
  const bad: unknown[] = [
    null,
    "app=web",
    { matchLabels: ["app"] },
    { matchLabels: { replicas: 3 } },
    { matchExpressions: { key: "a" } },
    { matchExpressions: [{ operator: "Exists" }] },
    { matchExpressions: [{ key: "a", operator: "In", values: [] }] },
    { matchExpressions: [{ key: "a", operator: "NotIn" }] },
    { matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] },
    { matchExpressions: [{ key: "a", operator: "Equals", values: ["x"] }] },
  ];
  for (const raw of bad) {
    assert.throws(() => compileLabelSelector(raw), SelectorError, JSON.stringify(raw));
  }
});

test("parseSelector: query syntax", () => {
  const cases: Array<[string, string[]]> = [
    ["", Object.keys(LABELS)],
    ["app=web", ["web", "webFront", "webBack", "test", "emptyTier"]],
    ["app==web,tier=front", ["webFront"]],
    ["tier!=front", ["none", "web", "webBack", "test", "emptyTier"]],
    ["tier in (front, back)", ["webFront", "webBack", "api"]],
    ["env notin (test)", ["none", "web", "webFront", "webBack", "api", "emptyTier"]],
    ["tier", ["webFront", "webBack", "api", "emptyTier"]],
    ["!tier", ["none", "web", "test"]],
    [" app = web , ! env ", ["web", "webFront", "webBack", "emptyTier"]],
    ["tier=", ["emptyTier"]],
    ["tier in (,front)", ["webFront", "api", "emptyTier"]],
    ["tier in(front)", ["webFront", "api"]],
    ["tier in ()", ["emptyTier"]],
    ["tier notin (front,)", ["none", "web", "webBack", "test"]],
    ["app.kubernetes.io/name=web", []],
  ];
  for (const [text, expected] of cases) {
    const selector = parseSelector(text);
    assert.deepEqual(accepted(selector.matches), expected, text);
    assert.equal(selector.toString(), text.trim());
  }
});

test("parseSelector: malformed selectors are SelectorErrors", () => {
  for (
    const text of ["a=b=c", "tier in front", "a b", "=web", "(a)", "tier in (a b)", "tier in (a=b)"]
  ) {
    assert.throws(() => parseSelector(text), SelectorError, text);
  }
});

test("compiled selectors printed and parsed back match the same labels", () => {
  const selectors: unknown[] = [
    { matchLabels: { app: "web" } },
    { matchLabels: { app: "web", tier: "" } },
    {
      matchExpressions: [
        { key: "tier", operator: "In", values: ["front", ""] },
        { key: "env", operator: "NotIn", values: ["test", "dev"] },
      ],
    },
    { matchExpressions: [{ key: "tier", operator: "Exists" }] },
    { matchExpressions: [{ key: "env", operator: "DoesNotExist" }] },
  ];
  for (const raw of selectors) {
    const compiled = compileLabelSelector(raw);
    const reparsed = parseSelector(compiled.toString());
    assert.deepEqual(accepted(reparsed.matches), accepted(compiled.matches), compiled.toString());
  }
});

test("labelsOf: string labels only", () => {
  assert.deepEqual(labelsOf({}), {});
  assert.deepEqual(labelsOf({ metadata: { labels: null } }), {});
  assert.deepEqual(labelsOf({ metadata: { labels: { a: "1", b: 2, c: "" } } }), { a: "1", c: "" });
});

Deno.test("parseSelector: errors say where (0-based offset) and a trailing comma is one", () => {
  for (
    const [text, offset] of [["app=web,", 8], ["a=b, x y", 5], ["a in (b c)", 0], [
      " , a",
      1,
    ]] as const
  ) {
    assert.throws(() => parseSelector(text), (e: unknown) => {
      assert.ok(e instanceof SelectorError);
      assert.equal(e.offset, offset, text);
      return true;
    });
  }
  assert.equal(parseSelector("  ").matches({}), true);
});
