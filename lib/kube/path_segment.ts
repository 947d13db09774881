/**
 * Names and namespaces become URL path segments: the API server's rule
 * (`IsValidPathSegmentName`) refuses `.`, `..` and any `/` or `%`, which
 * would otherwise address another path than the object asked for.
 *
 * @module
 */

/**
 * Why `value` cannot be a path segment, or `undefined` when it can.
 *
 * @example
 * ```ts
 * import { pathSegmentProblem } from "./path_segment.ts";
 * pathSegmentProblem("web"); // undefined
 * pathSegmentProblem(".."); // 'may not be ".."'
 * pathSegmentProblem("a/b"); // 'may not contain "/"'
 * ```
 */
export function pathSegmentProblem(value: string): string | undefined {
  if (value === "." || value === "..") return `may not be "${value}"`;
  for (const c of ["/", "%"]) if (value.includes(c)) return `may not contain "${c}"`;
  return undefined;
}
