/**
 * Whether the built-in pack has a rule for objects of a kind, from its generated index
 * (builtin/kinds.gen.ts) alone, so that `compute` loads the pack only for an object it covers.
 *
 * @module
 */

import { groupOf, versionOf } from "../groupkind.ts";
import { ruleMatcher } from "./glob.ts";

/**
 * True when a rule of the index (kind, or `*`, to the `apiVersion` patterns of its rules)
 * matches objects of this `apiVersion` and `kind`, as the rule set matches them.
 */
export function packCovers(
  index: ReadonlyMap<string, readonly string[]>,
  apiVersion: string,
  kind: string,
): boolean {
  const group = groupOf(apiVersion);
  const version = versionOf(apiVersion);
  for (const key of [kind, "*"]) {
    for (const pattern of index.get(key) ?? []) {
      if (ruleMatcher({ apiVersion: pattern, kind: key }).test(group, version, kind)) return true;
    }
  }
  return false;
}
