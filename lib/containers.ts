/**
 * A Pod's container statuses, init containers first: the one walk that the pod rule's
 * messages, `--fail-on` and the diagnostics' log targets all make.
 *
 * @module
 */

import { isObject, lookup } from "./fields.ts";
import type { KubeObject } from "./types.ts";

/**
 * The entries of `status.initContainerStatuses` then `status.containerStatuses` that are
 * objects; a missing or malformed list gives none.
 *
 * @example
 * ```ts
 * import { containerStatuses } from "./containers.ts";
 * const pod = {
 *   status: {
 *     initContainerStatuses: [{ name: "init" }],
 *     containerStatuses: [{ name: "app" }, "junk"],
 *   },
 * };
 * console.log([...containerStatuses(pod)].map((cs) => cs.name)); // ["init", "app"]
 * ```
 */
export function* containerStatuses(pod: KubeObject): Generator<Record<string, unknown>> {
  for (const field of ["initContainerStatuses", "containerStatuses"]) {
    const statuses = lookup(pod, ["status", field]);
    if (!Array.isArray(statuses)) continue;
    for (const cs of statuses) if (isObject(cs)) yield cs;
  }
}
