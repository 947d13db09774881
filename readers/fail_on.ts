/**
 * Fail fast, opt-in: pod problems that the contract keeps InProgress until a
 * deadline (an image that cannot be pulled, a missing ConfigMap) turn the pod
 * and every InProgress owner above it Failed at once, naming the pod, the
 * container and the reason.
 *
 * @module
 */

import { genericStatusReader } from "./base.ts";
import { containerStatuses } from "../lib/containers.ts";
import { isObject, lookup } from "../lib/fields.ts";
import { groupKindKey } from "../lib/groupkind.ts";
import type { StatusReader, StatusReaderRegistry } from "../lib/status_reader.ts";
import type { KubeObject, ResourceStatus } from "../lib/types.ts";
import type { FailOnReason } from "./fail_on_reasons.ts";

export { FAIL_ON_REASONS, type FailOnReason, parseFailOn } from "./fail_on_reasons.ts";

/**
 * Why a pod counts as failed under `reasons`: `container NAME: REASON: MESSAGE`
 * for a waiting container (init containers included), `Unschedulable: MESSAGE`
 * for a pod that cannot be scheduled; `undefined` when none applies.
 *
 * @example
 * ```ts
 * import { podFailOnCause } from "@kstatus/kstatus";
 * const pod = {
 *   apiVersion: "v1",
 *   kind: "Pod",
 *   metadata: { name: "web" },
 *   status: { containerStatuses: [{ name: "app", state: { waiting: { reason: "ErrImagePull" } } }] },
 * };
 * podFailOnCause(pod, new Set(["ErrImagePull"])); // "container app: ErrImagePull"
 * ```
 */
export function podFailOnCause(
  pod: KubeObject,
  reasons: ReadonlySet<FailOnReason>,
): string | undefined {
  for (const cs of containerStatuses(pod)) {
    const waiting = lookup(cs, ["state", "waiting"]);
    if (!isObject(waiting) || typeof waiting.reason !== "string") continue;
    if (!reasons.has(waiting.reason as FailOnReason)) continue;
    const name = typeof cs.name === "string" ? cs.name : "?";
    return withMessage(`container ${name}: ${waiting.reason}`, waiting.message);
  }
  if (reasons.has("Unschedulable")) {
    const conditions = lookup(pod, ["status", "conditions"]);
    const scheduled = Array.isArray(conditions)
      ? conditions.find((c) => isObject(c) && c.type === "PodScheduled" && c.status === "False")
      : undefined;
    if (isObject(scheduled) && scheduled.reason === "Unschedulable") {
      return withMessage("Unschedulable", scheduled.message);
    }
  }
  return undefined;
}

function withMessage(head: string, message: unknown): string {
  return typeof message === "string" && message !== "" ? `${head}: ${message}` : head;
}

function isPod(status: ResourceStatus): boolean {
  return status.identifier.group === "" && status.identifier.kind === "Pod";
}

/** Pods under `status` (recursively) failing under `reasons`, with their causes. */
function failingPods(
  status: ResourceStatus,
  reasons: ReadonlySet<FailOnReason>,
  out: { name: string; cause: string }[] = [],
): { name: string; cause: string }[] {
  for (const child of status.generatedResources) {
    const cause = isPod(child) && child.resource && child.status !== "Current"
      ? podFailOnCause(child.resource, reasons)
      : undefined;
    if (cause) out.push({ name: child.identifier.name, cause });
    else failingPods(child, reasons, out);
  }
  return out;
}

/**
 * Applies the fail-on rule to one status whose children were already read:
 * an InProgress pod with a cause becomes Failed with the cause as message; an
 * InProgress owner with such a pod below it becomes Failed naming the pod; an
 * owner already Failed by its own rules (`1 pods have failed`) keeps its status
 * and gains the pod's name and cause in its message. Current, Terminating,
 * NotFound and Unknown statuses are left alone.
 *
 * @example
 * ```ts
 * import { applyFailOn, computeStatus } from "@kstatus/kstatus";
 * const pod = {
 *   apiVersion: "v1",
 *   kind: "Pod",
 *   metadata: { name: "web", namespace: "default" },
 *   status: {
 *     phase: "Pending",
 *     containerStatuses: [{ name: "app", state: { waiting: { reason: "ImagePullBackOff" } } }],
 *   },
 * };
 * const { status, message } = computeStatus(pod);
 * const id = { group: "", kind: "Pod", namespace: "default", name: "web" };
 * const rs = { identifier: id, status, message, resource: pod, generatedResources: [] };
 * applyFailOn(rs, new Set(["ImagePullBackOff"])).status; // "Failed"
 * ```
 */
export function applyFailOn(
  status: ResourceStatus,
  reasons: ReadonlySet<FailOnReason>,
): ResourceStatus {
  if (status.status !== "InProgress" && status.status !== "Failed") return status;
  if (isPod(status)) {
    if (status.status === "Failed") return status;
    const cause = status.resource ? podFailOnCause(status.resource, reasons) : undefined;
    return cause
      ? { ...status, status: "Failed", message: cause, decidedBy: `--fail-on ${cause}` }
      : status;
  }
  const pods = failingPods(status, reasons);
  if (pods.length === 0) return status;
  const more = pods.length > 1 ? ` (and ${pods.length - 1} more pods)` : "";
  const named = `pod ${pods[0].name}: ${pods[0].cause}${more}`;
  const message = status.status === "Failed" ? `${status.message} (${named})` : named;
  return { ...status, status: "Failed", message, decidedBy: `--fail-on ${named}` };
}

function wrap(reader: StatusReader, reasons: ReadonlySet<FailOnReason>): StatusReader {
  return {
    supports: (gk) => reader.supports(gk),
    childKinds: reader.childKinds,
    readStatus: async (ctx, id) => applyFailOn(await reader.readStatus(ctx, id), reasons),
    readStatusForObject: async (ctx, obj) =>
      applyFailOn(await reader.readStatusForObject(ctx, obj), reasons),
  };
}

/**
 * A copy of `registry` whose readers apply {@linkcode applyFailOn}, with a
 * Pod entry added when the registry has none (pods are read by the generic
 * reader otherwise). Later changes to `registry` are not seen by the copy.
 *
 * @example
 * ```ts
 * import { defaultStatusReaders, withFailOn } from "@kstatus/kstatus";
 * const registry = withFailOn(defaultStatusReaders(), ["ImagePullBackOff", "ErrImagePull"]);
 * registry.has("Pod"); // true
 * ```
 */
export function withFailOn(
  registry: StatusReaderRegistry,
  reasons: Iterable<FailOnReason>,
): StatusReaderRegistry {
  const set = new Set(reasons);
  const out: StatusReaderRegistry = new Map();
  for (const [key, reader] of registry) out.set(key, wrap(reader, set));
  const pod = groupKindKey({ group: "", kind: "Pod" });
  if (!out.has(pod)) {
    // The generic reader supports every kind; this entry must answer for pods only.
    const podReader = wrap(genericStatusReader, set);
    out.set(pod, { ...podReader, supports: (gk) => gk.group === "" && gk.kind === "Pod" });
  }
  return out;
}
