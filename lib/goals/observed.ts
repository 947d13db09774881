/**
 * `--require-observed`: evidence that an object's controller has seen its current spec, so a
 * freshly applied custom resource is not called ready on an empty or stale status.
 *
 * @module
 */

import { isInteger, isObject, lookup } from "../fields.ts";
import { parseRfc3339 } from "../rfc3339.ts";
import type { KubeObject } from "../types.ts";

/** What was first seen of an object at its current generation. */
export interface ObservedBaseline {
  /** `metadata.generation` at the first read. */
  generation: number;
  /** `metadata.resourceVersion` at the first read. */
  resourceVersion: string;
}

/** Evidence found, or the generation still waited for. */
export type ObservedResult = { observed: true } | { observed: false; generation: number };

/**
 * Whether the controller has seen `obj`'s spec. In order:
 * - no `metadata.generation`: nothing to observe;
 * - `status.observedGeneration`: it must be ≥ the generation;
 * - conditions carrying their own `observedGeneration`: each must be ≥ the generation;
 * - otherwise a status write: at generation 1 any write through the status subresource
 *   (there was never another spec), else one after the wait began (the status entry of
 *   `managedFields` is later than the second the wait started in), or any change of
 *   `resourceVersion` since `baseline` (the first read at this generation).
 */
export function controllerObserved(
  obj: KubeObject,
  baseline: ObservedBaseline | undefined,
  startedAtMs: number,
): ObservedResult {
  const generation = lookup(obj, ["metadata", "generation"]);
  if (!isInteger(generation)) return { observed: true };
  const waiting = { observed: false as const, generation };
  const observedGeneration = lookup(obj, ["status", "observedGeneration"]);
  if (isInteger(observedGeneration)) {
    return observedGeneration >= generation ? { observed: true } : waiting;
  }
  const conditions = lookup(obj, ["status", "conditions"]);
  const own = (Array.isArray(conditions) ? conditions : [])
    .map((c) => isObject(c) ? c.observedGeneration : undefined)
    .filter(isInteger);
  if (own.length > 0) return own.every((g) => g >= generation) ? { observed: true } : waiting;
  const statusWrite = statusWriteTime(obj);
  if (statusWrite !== undefined) {
    if (generation === 1) return { observed: true };
    // managedFields times have whole seconds: only a later second is surely after the start.
    if (statusWrite >= Math.floor(startedAtMs / 1000) * 1000 + 1000) return { observed: true };
  }
  const resourceVersion = lookup(obj, ["metadata", "resourceVersion"]);
  if (
    baseline && baseline.generation === generation && typeof resourceVersion === "string" &&
    resourceVersion !== baseline.resourceVersion
  ) return { observed: true };
  return waiting;
}

/** The latest time of a `managedFields` entry for the status subresource (ms), if any. */
function statusWriteTime(obj: KubeObject): number | undefined {
  const entries = lookup(obj, ["metadata", "managedFields"]);
  if (!Array.isArray(entries)) return undefined;
  let latest: number | undefined;
  for (const e of entries) {
    if (!isObject(e) || e.subresource !== "status") continue;
    const t = typeof e.time === "string" ? parseRfc3339(e.time) : NaN;
    const ms = Number.isNaN(t) ? 0 : t;
    latest = latest === undefined ? ms : Math.max(latest, ms);
  }
  return latest;
}

/** The baseline to keep for `obj`: the previous one while the generation is the same. */
export function nextBaseline(
  obj: KubeObject,
  previous: ObservedBaseline | undefined,
): ObservedBaseline | undefined {
  const generation = lookup(obj, ["metadata", "generation"]);
  const resourceVersion = lookup(obj, ["metadata", "resourceVersion"]);
  if (!isInteger(generation) || typeof resourceVersion !== "string") return previous;
  if (previous && previous.generation === generation) return previous;
  return { generation, resourceVersion };
}
