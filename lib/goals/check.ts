/**
 * Goals compiled for checking: each `--for` becomes a function from a resource's status (and
 * the object read with it) to "met or not, and why not". CEL expressions are compiled here,
 * with a compiler the caller loads (the CLI imports the CEL library only when it waits).
 *
 * @module
 */

import { InputError } from "../errors.ts";
import { isInteger, isObject, lookup } from "../fields.ts";
import type { CelCompiler } from "../rules/cel.ts";
import type { KubeObject, ResourceStatus } from "../types.ts";
import type { GoalSpec } from "./goal.ts";
import { checkJsonPath } from "./jsonpath.ts";

/** What checking a goal on one resource found. */
export interface GoalCheck {
  /** The goal holds. */
  met: boolean;
  /** Why it does not hold yet, for the message (`condition Available is False`). */
  detail?: string;
}

/** A goal ready to check. */
export interface Goal {
  /** The parsed `--for`. */
  spec: GoalSpec;
  /** Checks the goal on a resource's (already goal-adjusted) status. */
  check(status: ResourceStatus): GoalCheck;
}

/** What compiling CEL goals needs: the rules' CEL helpers, loaded by the caller. */
export interface CelSupport {
  /** A compiler (`createCelCompiler()`). */
  compiler: CelCompiler;
  /** The CEL variables of an object (`celVariables`). */
  variables: (obj: KubeObject) => Record<string, unknown>;
  /** True for an error that means an absent field (`isAbsentFieldError`). */
  isAbsentField: (e: unknown) => boolean;
}

/**
 * Compiles one goal; a CEL goal needs `cel`.
 *
 * @throws {InputError} for a CEL expression that does not compile or is not boolean.
 */
export function compileGoal(spec: GoalSpec, cel?: CelSupport): Goal {
  switch (spec.type) {
    case "current":
    case "complete":
      return { spec, check: (s) => ({ met: s.status === "Current" }) };
    case "deleted":
      return { spec, check: (s) => ({ met: s.status === "NotFound" }) };
    case "known":
      return { spec, check: (s) => ({ met: s.status !== "Unknown" }) };
    case "create":
      return {
        spec,
        check: (s) => ({ met: s.resource !== undefined && s.status !== "NotFound" }),
      };
    case "condition":
      return { spec, check: (s) => checkCondition(spec.condition, spec.value, s.resource) };
    case "jsonpath":
      return {
        spec,
        check(s) {
          if (!s.resource) return { met: false, detail: "not read yet" };
          const r = checkJsonPath(spec.path, spec.value, s.resource);
          if (r.error) return { met: false, detail: `error: ${r.error}` };
          if (r.met) return { met: true };
          return {
            met: false,
            detail: r.found === undefined
              ? `${spec.path.text} not found`
              : `${spec.path.text} is ${JSON.stringify(r.found)}`,
          };
        },
      };
    case "cel":
      return compileCelGoal(spec, cel);
  }
}

function compileCelGoal(spec: Extract<GoalSpec, { type: "cel" }>, cel?: CelSupport): Goal {
  if (!cel) throw new Error("a cel= goal needs the CEL support loaded");
  let program: ReturnType<CelCompiler["compile"]>;
  try {
    program = cel.compiler.compile(spec.expression, "bool");
  } catch (e) {
    throw new InputError(
      `--for ${JSON.stringify(spec.text)}: expected a boolean CEL expression: ${
        (e as Error).message
      }`,
    );
  }
  return {
    spec,
    check(s) {
      if (!s.resource) return { met: false, detail: "not read yet" };
      let result: unknown;
      try {
        result = program.run(program.needsInts ? cel.variables(s.resource) : s.resource);
      } catch (e) {
        if (cel.isAbsentField(e)) return { met: false, detail: "false (a field is absent)" };
        return { met: false, detail: `error: ${(e as Error).message.split("\n")[0]}` };
      }
      if (result === true) return { met: true };
      if (result === false) return { met: false, detail: "false" };
      return { met: false, detail: `error: expected a bool, got ${typeof result}` };
    },
  };
}

/**
 * kubectl's condition check: the first condition of that type (compared case-insensitively)
 * decides; its status must equal `value` case-insensitively, and a condition whose
 * `observedGeneration` (or else `status.observedGeneration`) is behind `metadata.generation`
 * does not count.
 */
function checkCondition(type: string, value: string, obj: KubeObject | undefined): GoalCheck {
  if (!obj) return { met: false, detail: "not read yet" };
  const conditions = lookup(obj, ["status", "conditions"]);
  const list = Array.isArray(conditions) ? conditions : [];
  const want = type.toLowerCase();
  const found = list.find((c) =>
    isObject(c) && typeof c.type === "string" && c.type.toLowerCase() === want &&
    typeof c.status === "string"
  ) as Record<string, unknown> | undefined;
  if (!found) return { met: false, detail: `no condition ${type}` };
  const generation = lookup(obj, ["metadata", "generation"]);
  if (isInteger(generation)) {
    const own = found.observedGeneration;
    const observed = isInteger(own) ? own : lookup(obj, ["status", "observedGeneration"]);
    if (isInteger(observed) && observed < generation) {
      return {
        met: false,
        detail: `condition ${type} is for generation ${observed}, the object is at ${generation}`,
      };
    }
  }
  const status = found.status as string;
  if (status.toLowerCase() === value.toLowerCase()) return { met: true };
  return { met: false, detail: `condition ${type} is ${status}` };
}
