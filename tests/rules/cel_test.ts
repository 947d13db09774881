/**
 * Tests of lib/rules/cel.ts: the CEL variables of an object, the absent-field distinction and
 * the compiler's errors.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CelCompileError, celVariables, createCelCompiler, isAbsentFieldError } from "../../mod.ts";

/** Runs `source` (compiled as bool) on `obj`, returning the value or the thrown error. */
function run(source: string, obj: Record<string, unknown>): { value?: unknown; error?: unknown } {
  const program = createCelCompiler().compile(source, "bool");
  try {
    return { value: program.run(celVariables(obj)) };
  } catch (error) {
    return { error };
  }
}

/** The CelCompileError thrown by compiling `source`. */
function compileError(source: string, want: "bool" | "string"): CelCompileError {
  try {
    createCelCompiler().compile(source, want);
  } catch (e) {
    assert.ok(e instanceof CelCompileError, `expected a CelCompileError, got ${e}`);
    return e;
  }
  assert.fail(`${JSON.stringify(source)} compiled as ${want}`);
}

Deno.test("celVariables: whole numbers become bigint, others stay numbers", () => {
  const vars = celVariables({
    spec: { replicas: 3, ratio: 0.5, list: [1, 2.5, { n: 4 }] },
    status: { huge: 2 ** 60, negative: -2, text: "7", flag: true, none: null },
  });
  assert.deepEqual(vars.spec, { replicas: 3n, ratio: 0.5, list: [1n, 2.5, { n: 4n }] });
  // Beyond 2^53 a number is not a safe integer: it stays a double rather than a wrong int.
  assert.deepEqual(vars.status, {
    huge: 2 ** 60,
    negative: -2n,
    text: "7",
    flag: true,
    none: null,
  });
});

Deno.test("celVariables: metadata.managedFields is dropped, the rest of metadata kept", () => {
  const obj = {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: {
      name: "w",
      generation: 2,
      labels: { app: "w" },
      managedFields: [{ manager: "kubectl", operation: "Apply" }],
    },
    data: { key: "value" },
  };
  const vars = celVariables(obj);
  assert.deepEqual(vars.metadata, { name: "w", generation: 2n, labels: { app: "w" } });
  assert.equal(vars.apiVersion, "example.com/v1");
  assert.equal(vars.kind, "Widget");
  assert.deepEqual(vars.data, { key: "value" });
  // The input is not changed.
  assert.equal(obj.metadata.managedFields.length, 1);
  assert.equal(obj.metadata.generation, 2);
});

Deno.test("celVariables: a managedFields key outside metadata is kept", () => {
  const vars = celVariables({ status: { managedFields: [1] } });
  assert.deepEqual(vars.status, { managedFields: [1n] });
});

Deno.test("CEL arithmetic on object fields works on ints", () => {
  assert.deepEqual(run("status.replicas + 1 == 3", { status: { replicas: 2 } }), { value: true });
  assert.deepEqual(run("status.replicas + 1 == 3", { status: { replicas: 3 } }), { value: false });
  assert.deepEqual(
    run("status.readyReplicas == spec.replicas", {
      spec: { replicas: 2 },
      status: { readyReplicas: 2 },
    }),
    { value: true },
  );
  assert.deepEqual(run("metadata.generation > 1", { metadata: { generation: 2 } }), {
    value: true,
  });
});

Deno.test("isAbsentFieldError: an absent field is absent", () => {
  const { error } = run("status.phase == 'Ready'", { status: {} });
  assert.ok(error, "expected an error");
  assert.equal(isAbsentFieldError(error), true);
});

Deno.test("isAbsentFieldError: an absent variable is absent", () => {
  const { error } = run("status.phase == 'Ready'", { metadata: { name: "x" } });
  assert.ok(error, "expected an error");
  assert.equal(isAbsentFieldError(error), true);
});

Deno.test("isAbsentFieldError: an absent nested field is absent", () => {
  const { error } = run("status.a.b.c == 1", { status: { a: {} } });
  assert.ok(error, "expected an error");
  assert.equal(isAbsentFieldError(error), true);
});

Deno.test("isAbsentFieldError: an index out of range is not absent", () => {
  const { error } = run("status.conditions[5].type == 'x'", { status: { conditions: [] } });
  assert.ok(error, "expected an error");
  assert.equal(isAbsentFieldError(error), false);
});

Deno.test("isAbsentFieldError: a type error is not absent", () => {
  const { error } = run("status.phase + 1 == 2", { status: { phase: "Running" } });
  assert.ok(error, "expected an error");
  assert.equal(isAbsentFieldError(error), false);
});

Deno.test("isAbsentFieldError: things that are not evaluation errors are not absent", () => {
  assert.equal(isAbsentFieldError(new Error("No such key: phase")), false);
  assert.equal(isAbsentFieldError("no_such_key"), false);
  assert.equal(isAbsentFieldError(undefined), false);
  assert.equal(isAbsentFieldError(compileError("status.phase ==", "bool")), false);
});

Deno.test("compile: a syntax error has its offset and code", () => {
  const e = compileError("status.phase ==", "bool");
  assert.equal(e.code, "unexpected_token");
  assert.equal(e.offset, 15); // the end of the text
  assert.match(e.message, /^syntax error: /);
  assert.ok(!e.message.includes("\n"), "one line");

  const mid = compileError("a && && b", "bool");
  assert.equal(mid.code, "unexpected_token");
  assert.equal(mid.offset, 5); // the second &&
  assert.match(mid.message, /^syntax error: /);
});

Deno.test("compile: a bool expression compiled as a message (string) is rejected", () => {
  const e = compileError("1 == 1", "string");
  assert.equal(e.code, "type");
  assert.equal(e.offset, 0);
  assert.equal(e.message, "expected a string expression, this one gives bool");
});

Deno.test("compile: a string expression compiled as a status (bool) is rejected", () => {
  const e = compileError("'ready'", "bool");
  assert.equal(e.message, "expected a bool expression, this one gives string");
  const i = compileError("1 + 2", "bool");
  assert.equal(i.message, "expected a bool expression, this one gives int");
});

Deno.test("compile: a dyn expression may be compiled as either type", () => {
  const compiler = createCelCompiler();
  assert.equal(
    compiler.compile("status.ready", "bool").run(celVariables({ status: { ready: true } })),
    true,
  );
  assert.equal(
    compiler.compile("status.message", "string").run(celVariables({ status: { message: "hi" } })),
    "hi",
  );
});

Deno.test("compile: an unknown function is rejected as a type error", () => {
  const e = compileError("nosuch(status.phase)", "bool");
  assert.match(e.message, /^type error: /);
  assert.match(e.message, /nosuch/);
  assert.equal(e.code, "no_matching_overload");
});

Deno.test("compile: the program keeps its source", () => {
  const p = createCelCompiler().compile("status.phase == 'Ready'", "bool");
  assert.equal(p.source, "status.phase == 'Ready'");
});

Deno.test("optional syntax: status.?phase.orValue('x')", () => {
  const compiler = createCelCompiler();
  const p = compiler.compile("status.?phase.orValue('x')", "string");
  assert.equal(p.run(celVariables({ status: {} })), "x");
  assert.equal(p.run(celVariables({ status: { phase: "Bound" } })), "Bound");
  const b = compiler.compile("status.?phase.orValue('x') == 'x'", "bool");
  assert.equal(b.run(celVariables({ status: { phase: "Bound" } })), false);
  assert.equal(b.run(celVariables({ status: {} })), true);
});

Deno.test("has() guards an absent field", () => {
  const p = createCelCompiler().compile("has(status.phase) && status.phase == 'Ready'", "bool");
  assert.equal(p.run(celVariables({ status: {} })), false);
  assert.equal(p.run(celVariables({ status: { phase: "Ready" } })), true);
});
