/**
 * One CEL health rule, compiled: which objects it matches, and the verdict it gives them,
 * evaluated as Flux does (RFC 0009) with kstatus's two differences: an absent field makes an
 * expression false, and a `message` expression says why.
 *
 * @module
 */

import { current, failed, inProgress } from "../conditions.ts";
import { InputError } from "../errors.ts";
import { isObject } from "../fields.ts";
import { groupOf, versionOf } from "../groupkind.ts";
import { globMatcher } from "./glob.ts";
import type { ComputeResult, KubeObject } from "../types.ts";
import {
  CelCompileError,
  type CelCompiler,
  type CelProgram,
  celVariables,
  isAbsentFieldError,
} from "./cel.ts";
import type { ExpressionKey, RuleDefinition } from "./rule_file.ts";

/** A rule ready to judge objects. */
export interface CompiledRule {
  /** How outputs name it: `file:rules.yaml#3`, `builtin:cert-manager.io/Certificate`. */
  readonly id: string;
  /** The rule as written. */
  readonly definition: RuleDefinition;
  /** The verdict for an object this rule matches; never throws. */
  evaluate(obj: KubeObject): ComputeResult;
}

/** Which objects a rule matches, and how specifically. */
export interface RuleMatcher {
  /** Higher wins: an exact kind over `*`, an exact group over a pattern, then the version. */
  readonly specificity: number;
  /** True when the rule applies to an object of this group, version and kind. */
  test(group: string, version: string, kind: string): boolean;
}

/**
 * The matcher of a rule's `apiVersion` and `kind` patterns.
 *
 * @example
 * ```ts
 * import { ruleMatcher } from "@kstatus/kstatus";
 * const m = ruleMatcher({ apiVersion: "*.crossplane.io/*", kind: "*" });
 * console.log(m.test("s3.aws.crossplane.io", "v1beta1", "Bucket")); // true
 * ```
 */
export function ruleMatcher(rule: { apiVersion: string; kind: string }): RuleMatcher {
  const groupPattern = groupOf(rule.apiVersion);
  const versionPattern = versionOf(rule.apiVersion);
  const group = globMatcher(groupPattern);
  const version = globMatcher(versionPattern);
  const kindAny = rule.kind === "*";
  const specificity = (kindAny ? 0 : 4) + (groupPattern.includes("*") ? 0 : 2) +
    (versionPattern.includes("*") ? 0 : 1);
  return {
    specificity,
    test: (g, v, k) => (kindAny || k === rule.kind) && group(g) && version(v),
  };
}

/**
 * Compiles a rule's expressions (`checked`: they were type-checked before, as the built-in
 * pack's are when it is generated, so only parsing is left).
 *
 * @throws {InputError} for an expression that does not parse or type-check, naming the file,
 *   the line, the expression and where in it the problem is.
 *
 * @example
 * ```ts
 * import { compileRule, createCelCompiler, parseRuleFile } from "@kstatus/kstatus";
 * const [def] = parseRuleFile(
 *   "- apiVersion: example.com/v1\n  kind: Widget\n  current: status.ready == true\n",
 *   "rules.yaml",
 * );
 * const rule = compileRule(def, createCelCompiler(), "file:rules.yaml#1");
 * const obj = { apiVersion: "example.com/v1", kind: "Widget", status: { ready: true } };
 * console.log(rule.evaluate(obj).status); // Current
 * ```
 */
export function compileRule(
  def: RuleDefinition,
  compiler: CelCompiler,
  id: string,
  options: { checked?: boolean } = {},
): CompiledRule {
  const programs: Partial<Record<ExpressionKey, CelProgram>> = {};
  for (const key of ["inProgress", "failed", "current", "message"] as const) {
    const source = def[key];
    if (source === undefined) continue;
    try {
      programs[key] = compiler.compile(
        source,
        key === "message" ? "string" : "bool",
        !options.checked,
      );
    } catch (e) {
      if (!(e instanceof CelCompileError)) throw e;
      throw new InputError(
        `rule ${def.index} (${def.apiVersion} ${def.kind}): ${key}: ${e.message}\n` +
          caret(source, e.offset),
        { file: def.file, line: def.lines[key] ?? def.line, cause: e },
      );
    }
  }
  // Where an expression is written: an evaluation error names the one that failed.
  const where = (key: ExpressionKey) => `${def.file}:${def.lines[key] ?? def.line}`;
  return {
    id,
    definition: def,
    evaluate: (obj) => ({ ...judge(obj, programs, id, where), rule: id }),
  };
}

/** The expression on one line and a caret under the problem, both indented. */
function caret(source: string, offset: number): string {
  const lines = source.split("\n");
  let rest = Math.max(0, Math.min(offset, source.length));
  for (const line of lines) {
    if (rest <= line.length) return `    ${line}\n    ${" ".repeat(rest)}^`;
    rest -= line.length + 1;
  }
  return `    ${source}`;
}

function judge(
  obj: KubeObject,
  programs: Partial<Record<ExpressionKey, CelProgram>>,
  id: string,
  where: (key: ExpressionKey) => string,
): ComputeResult {
  const metadata = isObject(obj.metadata) ? obj.metadata : {};
  const status = isObject(obj.status) ? obj.status : undefined;
  if (typeof metadata.deletionTimestamp === "string" && metadata.deletionTimestamp !== "") {
    return { status: "Terminating", message: "Resource scheduled for deletion", conditions: [] };
  }
  const generation = metadata.generation;
  const observed = status?.observedGeneration;
  if (typeof generation === "number" && typeof observed === "number" && observed !== generation) {
    const kind = typeof obj.kind === "string" ? obj.kind : "";
    return inProgress(
      "LatestGenerationNotObserved",
      `${kind} generation is ${generation}, but latest observed generation is ${observed}`,
    );
  }
  // Whole numbers become CEL ints only for expressions that do arithmetic (it costs a copy).
  let converted: Record<string, unknown> | undefined;
  const vars = (p: CelProgram) => p.needsInts ? (converted ??= celVariables(obj)) : obj;
  for (const key of ["inProgress", "failed", "current"] as const) {
    const program = programs[key];
    if (!program) continue;
    let result: unknown;
    try {
      result = program.run(vars(program));
    } catch (e) {
      if (isAbsentFieldError(e)) continue;
      return unknown(id, where(key), key, program.source, firstLine(e));
    }
    if (typeof result !== "boolean") {
      return unknown(id, where(key), key, program.source, `gave ${typeof result}, not a bool`);
    }
    if (!result) continue;
    const message = messageOf(programs.message, vars, obj, key);
    const matched = `${key}: ${program.source.trim().replace(/\s+/g, " ")}`;
    if (key === "current") return current(message, matched);
    if (key === "failed") return failed("HealthCheckFailed", message, matched);
    return inProgress("HealthCheckInProgress", message, matched);
  }
  return inProgress(
    "HealthCheckInProgress",
    messageOf(programs.message, vars, obj, undefined) ||
      (status ? "no health check expression matched yet" : "waiting for the controller's status"),
    status ? "no expression matched" : "no status",
  );
}

function unknown(
  id: string,
  where: string,
  key: string,
  source: string,
  error: string,
): ComputeResult {
  return {
    status: "Unknown",
    message: `rule ${id} (${where}): ${key} expression ${JSON.stringify(source)}: ${error}`,
    conditions: [],
  };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/**
 * The message: the rule's `message` expression, else the `Ready` condition's message, else a
 * line naming the expression that matched.
 */
function messageOf(
  program: CelProgram | undefined,
  vars: (p: CelProgram) => Readonly<Record<string, unknown>>,
  obj: KubeObject,
  matched: ExpressionKey | undefined,
): string {
  if (program) {
    try {
      const text = program.run(vars(program));
      if (typeof text === "string" && text !== "") return text;
    } catch {
      // A message that cannot be made falls back to the default: the verdict stands.
    }
  }
  const conditions = isObject(obj.status) ? obj.status.conditions : undefined;
  if (Array.isArray(conditions)) {
    const ready = conditions.find((c) => isObject(c) && c.type === "Ready");
    if (isObject(ready) && typeof ready.message === "string" && ready.message !== "") {
      return ready.message;
    }
  }
  return matched ? `${matched} expression matched` : "";
}
