/**
 * CEL for health rules: one environment, expressions compiled (parsed and type-checked) once,
 * objects turned into CEL values once per evaluation, and the one distinction rules need between
 * evaluation errors: an absent field (the expression is false) or anything else.
 *
 * @module
 */

import { Environment, EvaluationError, ParseError } from "../deps/cel.ts";

/** The result type an expression must have: a status expression or a message expression. */
export type CelResultType = "bool" | "string";

/** A compiled expression. */
export interface CelProgram {
  /** The expression's text. */
  readonly source: string;
  /**
   * True when the expression does arithmetic, so whole numbers must be CEL `int`s (see
   * {@linkcode celVariables}); comparisons work on the plain JSON numbers, which is cheaper.
   */
  readonly needsInts: boolean;
  /** Evaluates against an object's top-level fields; throws on errors. */
  run(vars: Readonly<Record<string, unknown>>): unknown;
}

/** An expression that does not parse or type-check, with where in it the problem is. */
export class CelCompileError extends Error {
  /** 0-based offset of the problem in the expression. */
  readonly offset: number;
  /** The evaluator's error code, e.g. `unexpected_token`, `no_such_overload`. */
  readonly code: string;

  /**
   * Creates the error.
   *
   * @param message what is wrong
   * @param offset 0-based offset in the expression
   * @param code the evaluator's code
   */
  constructor(message: string, offset: number, code: string) {
    super(message);
    this.name = "CelCompileError";
    this.offset = offset;
    this.code = code;
  }
}

/** Compiles expressions; one per rule set, cheap to make. */
export interface CelCompiler {
  /**
   * Compiles `source`, type-checking that it can yield `want` unless `check` is false (for
   * rules already checked, such as the built-in pack's). @throws {CelCompileError}
   */
  compile(source: string, want: CelResultType, check?: boolean): CelProgram;
}

/**
 * A compiler whose variables are untyped (`dyn`): any top-level field of an object may be
 * referenced. The optional syntax (`a.?b`, `.orValue()`) is on, as in Flux's cheatsheet.
 *
 * @example
 * ```ts
 * import { celVariables, createCelCompiler } from "@kstatus/kstatus";
 * const program = createCelCompiler().compile("status.phase == 'Ready'", "bool");
 * console.log(program.run(celVariables({ status: { phase: "Ready" } }))); // true
 * ```
 */
export function createCelCompiler(): CelCompiler {
  const env = new Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true });
  return {
    compile(source, want, check = true) {
      let run: ((vars: Record<string, unknown>) => unknown) & {
        check(): { valid: boolean; type?: unknown; error?: unknown };
      };
      try {
        run = env.parse(source) as typeof run;
      } catch (e) {
        throw compileError(e);
      }
      // Parsed once, type-checked once: the check keeps its types on the parsed expression,
      // which then runs without checking again. Unchecked, the first run checks it (the pack's
      // expressions were checked when it was generated: compiling one costs a parse only).
      if (check) {
        const checked = run.check();
        if (!checked.valid) throw compileError(checked.error);
        const type = String(checked.type);
        if (type !== want && type !== "dyn") {
          throw new CelCompileError(
            `expected a ${want} expression, this one gives ${type}`,
            0,
            "type",
          );
        }
      }
      return {
        source,
        needsInts: doesArithmetic(source),
        run: (vars) => runQuietly(run, vars as Record<string, unknown>),
      };
    },
  };
}

/** String literals (set apart before looking for arithmetic operators). */
const STRING_LITERALS = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;
/** A `+` next to a string literal or a `string()` call: concatenation, not arithmetic. */
const CONCATENATION = /\$\s*\+|\+\s*(?:\$|string\()/g;
const ARITHMETIC = /[-+*/%]/;

/** True when `source` may do arithmetic (false positives only cost a conversion). */
function doesArithmetic(source: string): boolean {
  return ARITHMETIC.test(source.replace(STRING_LITERALS, "$").replace(CONCATENATION, ""));
}

/**
 * Runs a program without stack traces on its errors: an absent field is an error inside the
 * evaluator and the common case for objects without status, and capturing a stack for each
 * costs more than the evaluation.
 */
function runQuietly(
  run: (vars: Record<string, unknown>) => unknown,
  vars: Record<string, unknown>,
): unknown {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run(vars);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function compileError(e: unknown): CelCompileError {
  const err = e as { message?: string; code?: string; range?: { start: number } };
  const first = String(err?.message ?? e).split("\n")[0];
  const kind = e instanceof ParseError ? "syntax error" : "type error";
  return new CelCompileError(`${kind}: ${first}`, err?.range?.start ?? 0, err?.code ?? "unknown");
}

/**
 * True for an evaluation error that means a referenced field or variable is absent, which makes
 * a rule's expression false rather than an error.
 *
 * @example
 * ```ts
 * import { celVariables, createCelCompiler, isAbsentFieldError } from "@kstatus/kstatus";
 * const program = createCelCompiler().compile("status.phase == 'Ready'", "bool");
 * try {
 *   program.run(celVariables({ metadata: {} }));
 * } catch (e) {
 *   console.log(isAbsentFieldError(e)); // true: there is no status
 * }
 * ```
 */
export function isAbsentFieldError(e: unknown): boolean {
  if (!(e instanceof EvaluationError)) return false;
  const code = (e as { code?: string }).code;
  return code === "no_such_key" || code === "unknown_variable" || code === "no_such_field";
}

/** Top-level fields no rule reads, left out so large objects stay cheap to convert. */
const SKIPPED_METADATA = new Set(["managedFields"]);

/**
 * The CEL variables of an object: its top-level fields, with whole numbers as CEL `int`s (as
 * the API server's JSON decoder gives them to cel-go, so `status.replicas + 1` works) and
 * `metadata.managedFields` left out.
 *
 * @example
 * ```ts
 * import { celVariables } from "@kstatus/kstatus";
 * const vars = celVariables({ status: { replicas: 2, ratio: 0.5 } });
 * console.log(vars.status); // { replicas: 2n, ratio: 0.5 }
 * ```
 */
export function celVariables(obj: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (
      key === "metadata" && value !== null && typeof value === "object" && !Array.isArray(value)
    ) {
      const meta: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (!SKIPPED_METADATA.has(k)) meta[k] = toCel(v);
      }
      out[key] = meta;
    } else {
      out[key] = toCel(value);
    }
  }
  return out;
}

function toCel(value: unknown): unknown {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(toCel);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toCel(v);
  return out;
}
