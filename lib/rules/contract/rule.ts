/**
 * The shape of a kind-specific status rule (the Go original's "legacy"
 * rules), applied by `computeStatus` after the generic checks.
 *
 * @module
 */

import type { ComputeResult, Condition, KubeObject } from "../../types.ts";

/** What a kind rule gets besides the object. */
export interface RuleContext {
  /** `status.conditions`, already parsed (the generic checks validated them). */
  conditions: readonly Condition[];
  /** The time to judge time-dependent rules (pod scheduling) against. */
  now: Date;
}

/** A kind rule: always answers, or throws a `ComputeError`. */
export type KindRule = (obj: KubeObject, ctx: RuleContext) => ComputeResult;

/** The object's `kind` as a string (`""` when missing), for messages. */
export function kindOf(obj: KubeObject): string {
  return typeof obj.kind === "string" ? obj.kind : "";
}

/** What decided a replica-count verdict: `status.readyReplicas 1 < spec.replicas 2`. */
export function below(field: string, have: number, spec: number): string {
  return `status.${field} ${have} < spec.replicas ${spec}`;
}
