/**
 * kstatus: are these Kubernetes resources ready yet, and if not, why?
 *
 * Computes the readiness status of Kubernetes objects exactly as the Go
 * original (`sigs.k8s.io/cli-utils` kstatus) does, and polls a cluster until
 * a set of resources is Current.
 *
 * @example
 * ```ts
 * import { computeStatus } from "@kstatus/kstatus";
 * const { status, message } = computeStatus({
 *   apiVersion: "v1",
 *   kind: "Pod",
 *   metadata: { name: "web-0" },
 *   status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
 * });
 * console.log(status, message); // Current Pod is Ready
 * ```
 *
 * @module
 */

export * from "./lib/types.ts";
export { ComputeError, InputError, KstatusError } from "./lib/errors.ts";
export { computeStatus } from "./lib/compute.ts";
export { augmentStatus } from "./lib/augment.ts";
export {
  formatGroupKind,
  formatIdentifier,
  groupKindKey,
  groupKindOf,
  identifierKey,
  identifierOf,
  sameIdentifier,
} from "./lib/groupkind.ts";
export type { KindRule, RuleContext } from "./readers/rule.ts";
export { KIND_RULES } from "./readers/rules.ts";
export { SCHEDULE_WINDOW_MS } from "./readers/pod.ts";
