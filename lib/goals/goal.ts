/**
 * What a wait waits for, as `--for` spells it: kstatus's `current`, `deleted`, `known` and
 * `complete`, and kubectl's `create`, `delete`, `condition=TYPE[=VALUE]`,
 * `jsonpath='{…}'[=VALUE]`, plus `cel='EXPR'`. Parsing is syntax only and loads nothing: a CEL
 * expression is compiled later (see `compileGoals`), so the CLI starts without the CEL library.
 *
 * @module
 */

import { InputError } from "../errors.ts";
import { type JsonPath, JsonPathError, parseJsonPath } from "./jsonpath.ts";

/** A parsed `--for`. */
export type GoalSpec =
  | { type: "current" | "deleted" | "known" | "complete" | "create"; text: string }
  | { type: "condition"; text: string; condition: string; value: string }
  | { type: "jsonpath"; text: string; path: JsonPath; value?: string }
  | { type: "cel"; text: string; expression: string };

/** The kinds of goal. */
export type GoalType = GoalSpec["type"];

/** What `--for` accepts, for error messages and help. */
export const GOAL_USAGE =
  "current, deleted (or delete), known, complete, create, condition=TYPE[=VALUE], " +
  "jsonpath='{.path}'[=VALUE] or cel='EXPRESSION'";

type KeywordGoal = "current" | "deleted" | "known" | "complete" | "create";

const KEYWORDS: Record<string, KeywordGoal> = {
  current: "current",
  deleted: "deleted",
  delete: "deleted",
  known: "known",
  complete: "complete",
  create: "create",
};

/**
 * Parses one `--for` value. Keywords are case-insensitive, as kubectl's `create`/`delete`;
 * `condition=` without a value means `True` (compared case-insensitively, as kubectl does).
 *
 * @example
 * ```ts
 * import { parseGoal } from "./goal.ts";
 * parseGoal("condition=Available"); // { type: "condition", condition: "Available", value: "True", ... }
 * parseGoal("delete").type; // "deleted"
 * ```
 * @throws {InputError} naming what was expected.
 */
export function parseGoal(text: string): GoalSpec {
  const keyword = KEYWORDS[text.trim().toLowerCase()];
  if (keyword) return { type: keyword, text: keyword };
  const bad = (why: string) => new InputError(`--for ${JSON.stringify(text)}: ${why}`);
  if (text.startsWith("condition=")) {
    const rest = text.slice("condition=".length);
    const eq = rest.indexOf("=");
    const condition = eq < 0 ? rest : rest.slice(0, eq);
    const value = eq < 0 ? "True" : rest.slice(eq + 1);
    if (!condition) throw bad("expected condition=TYPE[=VALUE], e.g. condition=Available");
    if (!value) throw bad("expected a value after the second =, e.g. condition=Ready=False");
    return { type: "condition", text: `condition=${condition}=${value}`, condition, value };
  }
  if (text.startsWith("jsonpath=")) return parseJsonPathGoal(text, bad);
  if (text.startsWith("cel=")) {
    const expression = text.slice("cel=".length).trim();
    if (!expression) throw bad("expected a CEL expression after cel=, e.g. cel='status.ready'");
    return { type: "cel", text: `cel=${expression}`, expression };
  }
  throw bad(`expected ${GOAL_USAGE}`);
}

function parseJsonPathGoal(text: string, bad: (why: string) => InputError): GoalSpec {
  const parts = splitOnSingleEquals(text.slice("jsonpath=".length));
  if (parts.length > 2) {
    throw bad(
      "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or " +
        "--for=jsonpath='{.status.readyReplicas}'",
    );
  }
  let path: JsonPath;
  try {
    path = parseJsonPath(unquote(parts[0]));
  } catch (e) {
    if (e instanceof JsonPathError) throw bad(e.message);
    throw e;
  }
  if (parts.length === 1) return { type: "jsonpath", text: `jsonpath=${path.text}`, path };
  const value = parts[1].replace(/^['"]+|['"]+$/g, "");
  if (!value) {
    throw bad(
      "jsonpath wait has to have a value after equal sign, like " +
        "--for=jsonpath='{.status.readyReplicas}'=3",
    );
  }
  return { type: "jsonpath", text: `jsonpath=${path.text}=${value}`, path, value };
}

/** Quotes left by a caller that did not go through a shell (an annotation): `'{.a}'`. */
function unquote(s: string): string {
  const m = /^'(.*)'$|^"(.*)"$/s.exec(s.trim());
  return m ? (m[1] ?? m[2]) : s;
}

/** Splits on each single `=`; `==` (inside a filter) does not split. */
function splitOnSingleEquals(input: string): string[] {
  const out: string[] = [];
  let part = "";
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== "=") {
      part += input[i];
    } else if (input[i + 1] === "=") {
      part += "==";
      i++;
    } else {
      out.push(part);
      part = "";
    }
  }
  out.push(part);
  return out;
}

/**
 * Parses every `--for` given (none means `current`); several must all hold. `deleted` cannot
 * be combined with a goal that needs the object to exist.
 *
 * @throws {InputError}
 */
export function parseGoals(texts: readonly string[]): GoalSpec[] {
  const goals = texts.length === 0 ? [parseGoal("current")] : texts.map(parseGoal);
  const unique = goals.filter((g, i) => goals.findIndex((o) => o.text === g.text) === i);
  if (unique.some((g) => g.type === "deleted") && unique.length > 1) {
    throw new InputError(
      `--for deleted cannot be combined with --for ${
        unique.find((g) => g.type !== "deleted")!.text
      }: an object cannot be gone and there`,
    );
  }
  return unique;
}

/** The goals as one text: `current`, or `condition=Available=True and create`. */
export function goalsText(goals: readonly GoalSpec[]): string {
  return goals.map((g) => g.text).join(" and ");
}

/**
 * The word a summary uses for objects at their goal: `Current`, `deleted`, `known`,
 * `complete`, `created`, or `at goal (…)` for the others.
 */
export function goalTarget(goals: readonly GoalSpec[]): string {
  if (goals.length === 1) {
    const word = WORDS[goals[0].type];
    if (word) return word;
  }
  return `at goal (${goalsText(goals)})`;
}

const WORDS: Partial<Record<GoalType, string>> = {
  current: "Current",
  deleted: "deleted",
  known: "known",
  complete: "complete",
  create: "created",
};
