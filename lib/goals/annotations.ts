/**
 * Per-object choices written in manifests, under one annotation prefix, `kstatus.dev/`:
 * `kstatus.dev/skip: "true"` (listed as Skipped, never waited on) and `kstatus.dev/for: GOAL`
 * (this object's own `--for`, in place of the command line's).
 *
 * @module
 */

import { InputError } from "../errors.ts";
import { isObject, lookup } from "../fields.ts";
import type { KubeObject } from "../types.ts";
import { type GoalSpec, parseGoal } from "./goal.ts";

/** The prefix of every annotation kstatus reads. */
export const ANNOTATION_PREFIX = "kstatus.dev/";
/** `"true"`: the object is listed as Skipped and never waited on. */
export const SKIP_ANNOTATION = "kstatus.dev/skip";
/** A `--for` value for this object alone. */
export const FOR_ANNOTATION = "kstatus.dev/for";

/** What an object's annotations ask for. */
export interface ObjectChoice {
  /** Never wait on it. */
  skip: boolean;
  /** Its own goal. */
  goal?: GoalSpec;
}

/**
 * The choices in `obj`'s annotations, `undefined` when it has none of ours.
 *
 * @example
 * ```ts
 * import { objectChoice } from "./annotations.ts";
 * objectChoice({ metadata: { annotations: { "kstatus.dev/skip": "true" } } }); // { skip: true }
 * ```
 * @throws {InputError} for a value that does not parse, or an unknown `kstatus.dev/` key.
 */
export function objectChoice(obj: KubeObject): ObjectChoice | undefined {
  const annotations = lookup(obj, ["metadata", "annotations"]);
  if (!isObject(annotations)) return undefined;
  let found = false;
  const choice: ObjectChoice = { skip: false };
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    found = true;
    const text = typeof value === "string" ? value : String(value);
    if (key === SKIP_ANNOTATION) {
      const v = text.trim().toLowerCase();
      if (v !== "true" && v !== "false") {
        throw new InputError(
          `annotation ${SKIP_ANNOTATION}: expected "true" or "false", got ${JSON.stringify(text)}`,
        );
      }
      choice.skip = v === "true";
    } else if (key === FOR_ANNOTATION) {
      try {
        choice.goal = parseGoal(text.trim());
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        throw new InputError(`annotation ${FOR_ANNOTATION}: ${e.message.replace(/^--for /, "")}`);
      }
    } else {
      throw new InputError(
        `unknown annotation ${key}: kstatus reads ${SKIP_ANNOTATION} and ${FOR_ANNOTATION}`,
      );
    }
  }
  return found ? choice : undefined;
}
