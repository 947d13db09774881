/**
 * Name patterns of rules (`*.crossplane.io`, `*`) and which objects a rule matches, kept apart
 * from the CEL modules so that commands which only list or pick rules do not load the evaluator.
 *
 * @module
 */

import { groupOf, versionOf } from "../groupkind.ts";

/**
 * A matcher for a name pattern where `*` stands for any run of characters.
 *
 * @example
 * ```ts
 * import { globMatcher } from "@kstatus/kstatus";
 * console.log(globMatcher("*.crossplane.io")("s3.aws.crossplane.io")); // true
 * ```
 */
export function globMatcher(text: string): (s: string) => boolean {
  if (!text.includes("*")) return (s) => s === text;
  if (text === "*") return () => true;
  const re = new RegExp(`^${text.split("*").map(escapeRegExp).join(".*")}$`);
  return (s) => re.test(s);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
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
