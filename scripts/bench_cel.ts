// Compares CEL evaluators from npm for kstatus' CEL health rules.
//
//   deno run -A scripts/bench_cel.ts [--quick]
//
// For each library it prints: pass counts on the CEL spec conformance data (as shipped in
// @bufbuild/cel-spec, the JSON-representable core suites only), a feature matrix for what
// Flux-style health rules need, and rule evaluations per second (rule compiled once).
// Results are written up in docs/cel.md.

// Inline pins on purpose: the candidates are not project dependencies (deno.json stays as is).
// deno-lint-ignore no-import-prefix
import * as buf from "npm:@bufbuild/cel@0.6.1";
// deno-lint-ignore no-import-prefix
import { tests as conformanceData } from "npm:@bufbuild/cel-spec@0.6.1/testdata/conformance.js";
// deno-lint-ignore no-import-prefix
import * as mb from "npm:@marcbachmann/cel-js@8.0.0";
// deno-lint-ignore no-import-prefix
import * as celjs from "npm:cel-js@0.8.2";

type Vars = Record<string, unknown>;
type Program = (vars: Vars) => unknown;

/** Error kinds a caller needs to tell apart. */
type ErrKind = "absent" | "other";

interface Adapter {
  name: string;
  /** Parses (and where the library has it, plans) once; throws on a syntax error. */
  compile(expr: string): Program;
  /** Optional static check step; returns an error message or undefined when accepted. */
  check?(expr: string): string | undefined;
  /** Converts a conformance int64 binding into this library's input form. */
  int(v: bigint): unknown;
  /** Converts a conformance uint64 binding. */
  uint(v: bigint): unknown;
  /** Converts a map binding (keys already converted). */
  map(entries: [unknown, unknown][]): unknown;
  /** Classifies an evaluation error: reference to an absent field/variable, or something else. */
  classify(e: unknown): ErrKind;
  /** Extracts a source position from a parse error, if the library gives one. */
  position(e: unknown): string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Adapters

const bufEnv = buf.celEnv();
const bufAdapter: Adapter = {
  name: "@bufbuild/cel@0.6.1",
  compile(expr) {
    const fn = buf.plan(bufEnv, buf.parse(expr));
    return (vars) => {
      const r = fn(vars as Record<string, buf.CelInput>);
      if (buf.isCelError(r)) throw r;
      return r;
    };
  },
  int: (v) => v,
  uint: (v) => buf.celUint(v),
  map: (entries) => new Map(entries),
  classify(e) {
    const msg = e instanceof Error ? e.message : String(e);
    return /^(field not found|unresolved attribute|no such key)/.test(msg) ? "absent" : "other";
  },
  position(e) {
    const loc = (e as { location?: { start?: { line: number; column: number; offset: number } } })
      .location?.start;
    return loc ? `line ${loc.line} col ${loc.column} (offset ${loc.offset})` : undefined;
  },
};

const mbEnv = new mb.Environment({
  unlistedVariablesAreDyn: true,
  enableOptionalTypes: true,
  homogeneousAggregateLiterals: false,
});
const mbAdapter: Adapter = {
  name: "@marcbachmann/cel-js@8.0.0",
  compile(expr) {
    const fn = mbEnv.parse(expr);
    return (vars) => fn(vars);
  },
  check(expr) {
    const r = mbEnv.check(expr);
    return r.valid ? undefined : r.error?.message.split("\n")[0];
  },
  int: (v) => v,
  uint: (v) => v,
  map: (entries) => new Map(entries),
  classify(e) {
    const code = (e as { code?: string }).code;
    return code === "no_such_key" || code === "unknown_variable" ? "absent" : "other";
  },
  position(e) {
    const r = (e as { range?: { start: number; end: number } }).range;
    return r ? `offset ${r.start}..${r.end}` : undefined;
  },
};

const celjsAdapter: Adapter = {
  name: "cel-js@0.8.2",
  compile(expr) {
    const p = celjs.parse(expr);
    if (!p.isSuccess) throw new celjs.CelParseError(p.errors.join("; "));
    const cst = p.cst;
    return (vars) => celjs.evaluate(cst, vars);
  },
  int: (v) => Number(v),
  uint: (v) => Number(v),
  map: (entries) => Object.fromEntries(entries.map(([k, v]) => [String(k), v])),
  classify(e) {
    const msg = e instanceof Error ? e.message : String(e);
    return /^Identifier ".*" not found in context/.test(msg) ? "absent" : "other";
  },
  position(e) {
    // chevrotain messages carry no position; the token list is all there is.
    const msg = e instanceof Error ? e.message : "";
    const m = /line:? ?(\d+).*col(?:umn)?:? ?(\d+)/i.exec(msg);
    return m ? `line ${m[1]} col ${m[2]}` : undefined;
  },
};

const adapters: Adapter[] = [bufAdapter, mbAdapter, celjsAdapter];

// ---------------------------------------------------------------------------------------------
// Canonical forms, so results from all libraries can be compared with the spec's expectations.
// Numeric kinds (int/uint/double) are folded: 1, 1u and 1.0 all compare equal here.

function canonNumber(n: number): string {
  if (Number.isNaN(n)) return "num:NaN";
  if (!Number.isFinite(n)) return n > 0 ? "num:Inf" : "num:-Inf";
  if (Number.isInteger(n)) return "num:" + BigInt(n).toString();
  return "num:" + String(n);
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function canonEntries(entries: Iterable<[unknown, unknown]>): string {
  const parts = Array.from(entries, ([k, v]) => canon(k) + "=>" + canon(v)).sort();
  return "{" + parts.join(",") + "}";
}

function canon(v: unknown): string {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "boolean":
      return "bool:" + v;
    case "string":
      return "str:" + v;
    case "bigint":
      return "num:" + v.toString();
    case "number":
      return canonNumber(v);
  }
  if (v instanceof Uint8Array) return "bytes:" + hex(v);
  if (buf.isCelUint(v)) return "num:" + v.value.toString();
  if (buf.isCelType(v)) return "type:" + v.name;
  if (buf.isCelList(v)) return "[" + Array.from(v.values(), canon).join(",") + "]";
  if (buf.isCelMap(v)) return canonEntries(v.entries() as Iterable<[unknown, unknown]>);
  if (Array.isArray(v)) return "[" + v.map(canon).join(",") + "]";
  if (v instanceof Map) return canonEntries(v.entries());
  const ctor = (v as { constructor?: { name?: string } }).constructor?.name;
  if (ctor === "UnsignedInt") return "num:" + String((v as { value: bigint }).value);
  if (ctor === "Type") return "type:" + String((v as { name: string }).name);
  if (ctor === "Object") return canonEntries(Object.entries(v as Record<string, unknown>));
  return "other:" + ctor;
}

// ---------------------------------------------------------------------------------------------
// Conformance data (cel.expr.conformance.test.SimpleTest in proto JSON form)

// deno-lint-ignore no-explicit-any
type Json = any;

class NotPortable extends Error {}

function b64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

function expectedCanon(v: Json): string {
  if ("nullValue" in v) return "null";
  if ("boolValue" in v) return "bool:" + v.boolValue;
  if ("stringValue" in v) return "str:" + v.stringValue;
  if ("int64Value" in v) return "num:" + BigInt(v.int64Value).toString();
  if ("uint64Value" in v) return "num:" + BigInt(v.uint64Value).toString();
  if ("doubleValue" in v) return canonNumber(Number(v.doubleValue));
  if ("bytesValue" in v) return "bytes:" + hex(b64(v.bytesValue));
  if ("typeValue" in v) return "type:" + v.typeValue;
  if ("listValue" in v) {
    return "[" + (v.listValue.values ?? []).map(expectedCanon).join(",") + "]";
  }
  if ("mapValue" in v) {
    const parts = (v.mapValue.entries ?? []).map((e: Json) =>
      expectedCanon(e.key) + "=>" + expectedCanon(e.value)
    );
    return "{" + parts.sort().join(",") + "}";
  }
  throw new NotPortable("value kind " + Object.keys(v).join());
}

function toInput(a: Adapter, v: Json): unknown {
  if ("nullValue" in v) return null;
  if ("boolValue" in v) return v.boolValue;
  if ("stringValue" in v) return v.stringValue;
  if ("int64Value" in v) return a.int(BigInt(v.int64Value));
  if ("uint64Value" in v) return a.uint(BigInt(v.uint64Value));
  if ("doubleValue" in v) return Number(v.doubleValue);
  if ("bytesValue" in v) return b64(v.bytesValue);
  if ("listValue" in v) return (v.listValue.values ?? []).map((x: Json) => toInput(a, x));
  if ("mapValue" in v) {
    return a.map(
      (v.mapValue.entries ?? []).map((e: Json) => [toInput(a, e.key), toInput(a, e.value)]),
    );
  }
  throw new NotPortable("binding kind " + Object.keys(v).join());
}

/** Suites that only need JSON-like values (no protobuf messages, no extension libraries). */
const CORE_SUITES = new Set([
  "basic",
  "comparisons",
  "conversions",
  "fields",
  "fp_math",
  "integer_math",
  "lists",
  "logic",
  "macros",
  "macros2",
  "namespace",
  "optionals",
  "parse",
  "plumbing",
  "string",
  "timestamps",
  "type_deductions",
]);

interface Case {
  suite: string;
  name: string;
  expr: string;
  bindings: Record<string, Json>;
  expected: { error: true } | { value: string };
}

function collectCases(): { cases: Case[]; skipped: number } {
  const cases: Case[] = [];
  let skipped = 0;
  const walk = (top: string, s: Json) => {
    for (const t of s.tests ?? []) {
      const o = t.original;
      try {
        const text = JSON.stringify(o);
        if (
          o.container || o.checkOnly || o.disableMacros || o.unknown || o.anyUnknowns ||
          o.typedResult || /TestAllTypes|google\.protobuf|cel\.expr|NestedEnum|GlobalEnum/.test(
            text,
          ) || (o.typeEnv ?? []).some((d: Json) => d.ident?.type?.messageType)
        ) throw new NotPortable("proto");
        const expected = o.evalError || o.anyEvalErrors
          ? { error: true as const }
          : { value: expectedCanon(o.value ?? { boolValue: true }) };
        const bindings: Record<string, Json> = {};
        for (const [k, b] of Object.entries(o.bindings ?? {})) {
          const val = (b as Json).value;
          if (!val) throw new NotPortable("binding");
          toInput(bufAdapter, val); // throws NotPortable for message values
          bindings[k] = val;
        }
        cases.push({ suite: top, name: o.name ?? o.expr, expr: o.expr, bindings, expected });
      } catch (e) {
        if (!(e instanceof NotPortable)) throw e;
        skipped++;
      }
    }
    for (const sub of s.suites ?? []) walk(top, sub);
  };
  for (const s of (conformanceData as Json).suites) {
    if (CORE_SUITES.has(s.name)) walk(s.name, s);
  }
  return { cases, skipped };
}

function runCase(a: Adapter, c: Case): boolean {
  let got: { error: true } | { value: string };
  try {
    const vars: Vars = {};
    for (const [k, v] of Object.entries(c.bindings)) vars[k] = toInput(a, v);
    got = { value: canon(a.compile(c.expr)(vars)) };
  } catch {
    got = { error: true };
  }
  if ("error" in c.expected) return "error" in got;
  return "value" in got && got.value === c.expected.value;
}

// ---------------------------------------------------------------------------------------------
// Feature matrix for Kubernetes health rules over JSON.parse'd objects

const OBJ_JSON = `{
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "namespace": "prod", "generation": 7,
    "labels": {"app": "web", "tier": "frontend"}, "annotations": {}},
  "spec": {"replicas": 3, "paused": false, "selector": {"matchLabels": {"app": "web"}}},
  "status": {
    "observedGeneration": 7, "replicas": 3, "readyReplicas": 3, "updatedReplicas": 3,
    "availableReplicas": 3, "message": null,
    "conditions": [
      {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
       "lastTransitionTime": "2025-01-01T00:00:00Z"},
      {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
       "lastTransitionTime": "2025-01-01T00:00:00Z"},
      {"type": "Ready", "status": "True", "reason": "Succeeded", "message": "ready",
       "lastTransitionTime": "2025-01-01T00:00:00Z"},
      {"type": "Stalled", "status": "False", "reason": "Succeeded",
       "lastTransitionTime": "2025-01-01T00:00:00Z"}
    ]
  }
}`;

function objVars(bigint = false): Vars {
  if (!bigint) return JSON.parse(OBJ_JSON) as Vars;
  return JSON.parse(
    OBJ_JSON,
    (_k, v) => typeof v === "number" && Number.isInteger(v) ? BigInt(v) : v,
  ) as Vars;
}

interface Feature {
  name: string;
  expr: string;
  /** Parse the object with integral numbers turned into BigInt (CEL int) first. */
  bigint?: boolean;
  /** Expected canonical value, or "absent" / "error" for the error kind expected. */
  want: string | "absent" | "error";
}

const FEATURES: Feature[] = [
  { name: "has() present", expr: "has(status.conditions)", want: "bool:true" },
  { name: "has() absent", expr: "has(status.foo)", want: "bool:false" },
  {
    name: "exists",
    expr: "status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
    want: "bool:true",
  },
  { name: "all", expr: "status.conditions.all(c, has(c.reason))", want: "bool:true" },
  {
    name: "exists_one",
    expr: "status.conditions.exists_one(c, c.type == 'Ready')",
    want: "bool:true",
  },
  { name: "filter", expr: "status.conditions.filter(c, c.status == 'True').size()", want: "num:3" },
  { name: "map", expr: "status.conditions.map(c, c.type)[2]", want: "str:Ready" },
  { name: "a.?b.orValue()", expr: "status.?foo.orValue('dflt')", want: "str:dflt" },
  { name: "a.?b present", expr: "spec.?replicas.orValue(0) == 3", want: "bool:true" },
  {
    name: "a[?k] optional index",
    expr: "metadata.labels[?'app'].orValue('') == 'web'",
    want: "bool:true",
  },
  { name: "startsWith", expr: "metadata.name.startsWith('we')", want: "bool:true" },
  { name: "endsWith", expr: "metadata.name.endsWith('eb')", want: "bool:true" },
  { name: "contains", expr: "status.conditions[2].message.contains('ead')", want: "bool:true" },
  { name: "matches", expr: "metadata.name.matches('^w[a-z]+$')", want: "bool:true" },
  {
    name: "size() fn + method",
    expr: "size(metadata.name) == 3 && 'ab'.size() == 2",
    want: "bool:true",
  },
  { name: "ternary", expr: "spec.paused ? 'p' : 'r'", want: "str:r" },
  { name: "in list", expr: "'Ready' in status.conditions.map(c, c.type)", want: "bool:true" },
  { name: "in map", expr: "'app' in metadata.labels", want: "bool:true" },
  { name: "JSON num == int literal", expr: "status.replicas == 3", want: "bool:true" },
  {
    name: "JSON num == JSON num",
    expr: "status.observedGeneration == metadata.generation",
    want: "bool:true",
  },
  { name: "JSON num < int literal", expr: "status.readyReplicas < 4", want: "bool:true" },
  { name: "JSON num in int list", expr: "status.replicas in [1, 2, 3]", want: "bool:true" },
  { name: "JSON num - int", expr: "spec.replicas - status.readyReplicas == 0", want: "bool:true" },
  { name: "JSON num + int literal", expr: "status.replicas + 1 == 4", want: "bool:true" },
  {
    name: "same, ints as BigInt",
    expr: "status.replicas + 1 == 4",
    want: "bool:true",
    bigint: true,
  },
  { name: "null == null", expr: "status.message == null", want: "bool:true" },
  { name: "value != null", expr: "status.conditions != null", want: "bool:true" },
  { name: "int() of JSON num", expr: "int(status.replicas) == 3", want: "bool:true" },
  {
    name: "timestamp()",
    expr: "timestamp(status.conditions[0].lastTransitionTime) < timestamp('2026-01-01T00:00:00Z')",
    want: "bool:true",
  },
  { name: "absent field -> absent", expr: "status.foo == 'x'", want: "absent" },
  { name: "absent nested -> absent", expr: "status.foo.bar == 'x'", want: "absent" },
  { name: "undeclared var -> absent", expr: "nosuchvar == 1", want: "absent" },
  { name: "absent map key [] -> absent", expr: "metadata.labels['nope'] == 'x'", want: "absent" },
  { name: "bad overload -> other", expr: "metadata.name + 1 == 'x'", want: "error" },
  { name: "index out of range -> other", expr: "status.conditions[9].type == 'x'", want: "error" },
  { name: "|| absorbs error", expr: "status.foo == 'x' || true", want: "bool:true" },
];

function runFeature(a: Adapter, f: Feature): string {
  try {
    const got = canon(a.compile(f.expr)(objVars(f.bigint)));
    return got === f.want ? "yes" : `no (${got})`;
  } catch (e) {
    const kind = a.classify(e);
    if (f.want === "absent" || f.want === "error") {
      const want = f.want === "absent" ? "absent" : "other";
      return kind === want ? "yes" : `no (${kind} error)`;
    }
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return `no (${msg.slice(0, 50)})`;
  }
}

interface ErrorProbe {
  name: string;
  run(a: Adapter): string;
}

const ERROR_PROBES: ErrorProbe[] = [
  {
    name: "parse error position (`a &&\\n  (b`)",
    run(a) {
      try {
        a.compile("a &&\n  (b");
        return "no error";
      } catch (e) {
        return a.position(e) ?? "none";
      }
    },
  },
  {
    name: "check rejects 1 + 'a'",
    run: (a) => (a.check ? (a.check("1 + 'a'") ? "yes" : "no") : "no checker"),
  },
  {
    name: "check rejects unknownFn(1)",
    run: (a) => (a.check ? (a.check("unknownFn(1)") ? "yes" : "no") : "no checker"),
  },
  {
    name: "check accepts dyn rule",
    run: (a) =>
      a.check
        ? (a.check("status.conditions.exists(c, c.type == 'Ready')") ? "no" : "yes")
        : "no checker",
  },
];

// ---------------------------------------------------------------------------------------------
// Throughput

const RULES = [
  "status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
  "status.observedGeneration == metadata.generation && " +
  "status.conditions.filter(c, c.type == 'Ready').all(c, c.status == 'True')",
];

function opsPerSec(a: Adapter, expr: string, ms: number): number | string {
  let fn: Program;
  try {
    fn = a.compile(expr);
    const vars = objVars();
    if (fn(vars) !== true) return "wrong result";
    for (let i = 0; i < 2000; i++) fn(vars); // warm-up
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms) {
      for (let i = 0; i < 500; i++) fn(vars);
      n += 500;
      t = performance.now();
    }
    return Math.round(n / ((t - t0) / 1000));
  } catch (e) {
    return "error: " + (e instanceof Error ? e.message.split("\n")[0] : String(e));
  }
}

// ---------------------------------------------------------------------------------------------

function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => "| " + r.map((c, i) => c.padEnd(w[i])).join(" | ") + " |";
  return [line(header), "| " + w.map((n) => "-".repeat(n)).join(" | ") + " |", ...rows.map(line)]
    .join("\n");
}

function main() {
  const quick = Deno.args.includes("--quick");
  const names = adapters.map((a) => a.name);

  const { cases, skipped } = collectCases();
  console.log(
    `## Conformance (@bufbuild/cel-spec@0.6.1 core suites: ${cases.length} JSON-representable` +
      ` cases, ${skipped} proto-message cases skipped; numeric kinds folded)\n`,
  );
  const suites = [...new Set(cases.map((c) => c.suite))];
  const totals = adapters.map(() => 0);
  const rows = suites.map((s) => {
    const sc = cases.filter((c) => c.suite === s);
    return [
      s,
      String(sc.length),
      ...adapters.map((a, i) => {
        const p = sc.filter((c) => runCase(a, c)).length;
        totals[i] += p;
        return String(p);
      }),
    ];
  });
  rows.push([
    "TOTAL",
    String(cases.length),
    ...totals.map((t) => `${t} (${(100 * t / cases.length).toFixed(1)}%)`),
  ]);
  console.log(table(["suite", "cases", ...names], rows));

  console.log("\n## Feature support (object from JSON.parse)\n");
  console.log(
    table(
      ["feature", "expression", ...names],
      FEATURES.map((f) => [f.name, "`" + f.expr + "`", ...adapters.map((a) => runFeature(a, f))]),
    ),
  );
  const featTotals = adapters.map((a) => FEATURES.filter((f) => runFeature(a, f) === "yes").length);
  console.log(
    "\nfeatures passed: " +
      adapters.map((a, i) => `${a.name} ${featTotals[i]}/${FEATURES.length}`).join(", "),
  );

  console.log("\n## Error reporting\n");
  console.log(
    table(["probe", ...names], ERROR_PROBES.map((p) => [p.name, ...adapters.map((a) => p.run(a))])),
  );

  console.log(
    `\n## Evaluations/s (compiled once; ${Deno.build.os}, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno})\n`,
  );
  const ms = quick ? 300 : 1500;
  console.log(
    table(
      ["rule", ...names],
      RULES.map((r) => [
        "`" + r + "`",
        ...adapters.map((a) => {
          const v = opsPerSec(a, r, ms);
          return typeof v === "number" ? v.toLocaleString("en-US") : v;
        }),
      ]),
    ),
  );
}

if (import.meta.main) main();
