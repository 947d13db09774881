/**
 * Counting requests per verb and resource, for the engine's statistics and
 * the benchmarks (`list apps/deployments`, `watch pods`, `discovery`).
 *
 * @module
 */

import type { ResourceMapping } from "./types.ts";

/** Counts requests sent to the API server; every try of a retried request counts. */
export interface RequestCounter {
  /** Counts per `"<verb> <group>/<resource>"` (core resources without group), sorted by key. */
  snapshot(): Record<string, number>;
  /** All requests counted. */
  total(): number;
  /** Sets every count back to zero. */
  reset(): void;
  /** Counts one request. */
  add(verb: string, mapping?: Pick<ResourceMapping, "group" | "resource">): void;
}

/**
 * The counter key of a request: `list apps/deployments`, `get pods`, `discovery`.
 *
 * @example
 * ```ts
 * import { requestKey } from "@kstatus/kstatus/kube";
 * requestKey("list", { group: "apps", resource: "deployments" }); // "list apps/deployments"
 * requestKey("get", { group: "", resource: "pods" }); // "get pods"
 * ```
 */
export function requestKey(
  verb: string,
  mapping?: Pick<ResourceMapping, "group" | "resource">,
): string {
  if (!mapping) return verb;
  return mapping.group
    ? `${verb} ${mapping.group}/${mapping.resource}`
    : `${verb} ${mapping.resource}`;
}

/**
 * A new, empty counter.
 *
 * @example
 * ```ts
 * import { createRequestCounter } from "./requests.ts";
 * const c = createRequestCounter();
 * c.add("list", { group: "apps", resource: "deployments" });
 * c.snapshot(); // { "list apps/deployments": 1 }
 * c.total(); // 1
 * ```
 */
export function createRequestCounter(): RequestCounter {
  const counts = new Map<string, number>();
  let total = 0;
  return {
    snapshot() {
      const out: Record<string, number> = {};
      for (const key of [...counts.keys()].sort()) out[key] = counts.get(key)!;
      return out;
    },
    total: () => total,
    reset() {
      counts.clear();
      total = 0;
    },
    add(verb, mapping) {
      const key = requestKey(verb, mapping);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      total++;
    },
  };
}
