/**
 * Helpers on `ResourceStatus`: the poller's de-duplication rule and the
 * spec's sort order.
 *
 * @module
 */

import { sameIdentifier } from "./groupkind.ts";
import type { KubeObject, ObjectIdentifier, ResourceStatus } from "./types.ts";

function generationOf(obj: KubeObject | undefined): number {
  const meta = obj?.metadata as { generation?: unknown } | undefined;
  return typeof meta?.generation === "number" ? meta.generation : 0;
}

/**
 * The poller's de-duplication rule: equal identifiers, status, message,
 * `metadata.generation` of the attached resource (0 when none), goal state, errors (both
 * absent or the same text) and, in order, equal generated resources. Other
 * content of the resource is ignored.
 *
 * @example
 * ```ts
 * import { resourceStatusEqual } from "@kstatus/kstatus";
 * const id = { group: "", kind: "Pod", namespace: "ns", name: "p" };
 * const a = { identifier: id, status: "Current" as const, message: "ok", generatedResources: [] };
 * resourceStatusEqual(a, { ...a }); // true
 * ```
 */
export function resourceStatusEqual(a: ResourceStatus, b: ResourceStatus): boolean {
  if (!sameIdentifier(a.identifier, b.identifier)) return false;
  if (a.status !== b.status || a.message !== b.message || a.rule !== b.rule) return false;
  if (generationOf(a.resource) !== generationOf(b.resource)) return false;
  if (
    a.goal?.met !== b.goal?.met || a.goal?.skipped !== b.goal?.skipped ||
    a.goal?.terminal !== b.goal?.terminal
  ) return false;
  if (Boolean(a.error) !== Boolean(b.error)) return false;
  if (a.error && b.error && a.error.message !== b.error.message) return false;
  const ag = a.generatedResources;
  const bg = b.generatedResources;
  if (ag.length !== bg.length) return false;
  return ag.every((child, i) => resourceStatusEqual(child, bg[i]));
}

/**
 * Orders identifiers by namespace, group, kind, then name (plain string order).
 *
 * @example
 * ```ts
 * import { compareIdentifiers } from "@kstatus/kstatus";
 * const ids = [
 *   { group: "", kind: "Pod", namespace: "b", name: "x" },
 *   { group: "", kind: "Pod", namespace: "a", name: "y" },
 * ];
 * ids.sort(compareIdentifiers); // namespace "a" first
 * ```
 */
export function compareIdentifiers(a: ObjectIdentifier, b: ObjectIdentifier): number {
  for (const key of ["namespace", "group", "kind", "name"] as const) {
    if (a[key] < b[key]) return -1;
    if (a[key] > b[key]) return 1;
  }
  return 0;
}

/**
 * A sorted copy of `statuses` (namespace, group, kind, name).
 *
 * @example
 * ```ts
 * import { type ResourceStatus, sortResourceStatuses } from "@kstatus/kstatus";
 * const status = (name: string): ResourceStatus => ({
 *   identifier: { group: "", kind: "Pod", namespace: "ns", name },
 *   status: "Current",
 *   message: "",
 *   generatedResources: [],
 * });
 * sortResourceStatuses([status("b"), status("a")]).map((s) => s.identifier.name); // ["a", "b"]
 * ```
 */
export function sortResourceStatuses(statuses: readonly ResourceStatus[]): ResourceStatus[] {
  return [...statuses].sort((a, b) => compareIdentifiers(a.identifier, b.identifier));
}
