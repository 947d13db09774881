/**
 * Reading `status.conditions` as typed records, with the Go original's
 * conversion rules, and building the two standard conditions.
 *
 * @module
 */

import { ComputeError } from "./errors.ts";
import { isObject } from "./fields.ts";
import type { ComputeResult, Condition } from "./types.ts";

const CONDITION_FIELDS = ["type", "status", "reason", "message"] as const;

/**
 * Converts `status.conditions` to typed conditions. A missing or `null`
 * status or conditions list gives `[]`; a status that is not an object, a
 * conditions value that is not a list, an entry that is not an object or a
 * field that is not a string throws {@linkcode ComputeError}.
 */
export function readConditions(obj: Record<string, unknown>): Condition[] {
  const status = obj.status;
  if (status === undefined || status === null) return [];
  if (!isObject(status)) {
    throw new ComputeError(`status: expected an object, got ${typeName(status)}`);
  }
  const list = status.conditions;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    throw new ComputeError(`status.conditions: expected a list, got ${typeName(list)}`);
  }
  return list.map((entry, i) => {
    // A null entry decodes to an empty condition in Go, as in JSON decoding.
    if (entry === null) return { type: "", status: "", reason: "", message: "" };
    if (!isObject(entry)) {
      throw new ComputeError(`status.conditions[${i}]: expected an object, got ${typeName(entry)}`);
    }
    const out: Condition = { type: "", status: "", reason: "", message: "" };
    for (const field of CONDITION_FIELDS) {
      const v = entry[field];
      if (v === undefined || v === null) continue;
      if (typeof v !== "string") {
        throw new ComputeError(
          `status.conditions[${i}].${field}: expected a string, got ${typeName(v)}`,
        );
      }
      out[field] = v;
    }
    return out;
  });
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  return typeof v === "object" ? "an object" : typeof v;
}

/** First condition of `type` with `status`, if any. */
export function findCondition(
  conditions: readonly Condition[],
  type: string,
  status: string,
): Condition | undefined {
  return conditions.find((c) => c.type === type && c.status === status);
}

/** An InProgress result with its Reconciling condition. */
export function inProgress(reason: string, message: string, decidedBy?: string): ComputeResult {
  return withDecidedBy({
    status: "InProgress",
    message,
    conditions: [{ type: "Reconciling", status: "True", reason, message }],
  }, decidedBy);
}

/** A Failed result with its Stalled condition. */
export function failed(reason: string, message: string, decidedBy?: string): ComputeResult {
  return withDecidedBy({
    status: "Failed",
    message,
    conditions: [{ type: "Stalled", status: "True", reason, message }],
  }, decidedBy);
}

/** A Current result, which carries no conditions. */
export function current(message: string, decidedBy?: string): ComputeResult {
  return withDecidedBy({ status: "Current", message, conditions: [] }, decidedBy);
}

/** `result` with `decidedBy` set when there is one (absent otherwise, so results compare equal). */
export function withDecidedBy(result: ComputeResult, decidedBy: string | undefined): ComputeResult {
  if (decidedBy) result.decidedBy = decidedBy;
  return result;
}

/** A condition as people read it: `Available=False (MinimumReplicasUnavailable)`. */
export function describeCondition(c: Condition): string {
  return `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ""}`;
}
