/**
 * Name patterns of rules (`*.crossplane.io`, `*`), kept apart from the CEL modules so that
 * commands which only list rules do not load the evaluator.
 *
 * @module
 */

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
