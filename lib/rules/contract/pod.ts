/**
 * Status rule for core `Pod`.
 *
 * @module
 */

import {
  current,
  describeCondition,
  failed,
  findCondition,
  inProgress,
  readConditions,
} from "../../conditions.ts";
import { containerStatuses } from "../../containers.ts";
import { ComputeError } from "../../errors.ts";
import { isObject, lookup, stringField } from "../../fields.ts";
import { parseRfc3339 } from "../../rfc3339.ts";
import type { ComputeResult, Condition, KubeObject } from "../../types.ts";
import type { RuleContext } from "./rule.ts";

/**
 * How long a pod may stay unschedulable before it counts as Failed, in milliseconds.
 *
 * @example
 * ```ts
 * import { SCHEDULE_WINDOW_MS } from "@kstatus/kstatus";
 * console.log(SCHEDULE_WINDOW_MS / 1000); // 15
 * ```
 */
export const SCHEDULE_WINDOW_MS = 15_000;

/** Computes a Pod's status from its phase, conditions and container states. */
export function podRule(obj: KubeObject, { conditions, now }: RuleContext): ComputeResult {
  const phase = stringField(obj, ["status", "phase"], "");
  switch (phase) {
    case "Succeeded":
      return current("Pod has completed successfully", "status.phase Succeeded");
    case "Failed":
      return current("Pod has completed, but not successfully", "status.phase Failed");
    case "Running": {
      if (findCondition(conditions, "Ready", "True")) return current("Pod is Ready", "Ready=True");
      const looping = crashLoopingContainers(obj);
      if (looping.length > 0) {
        return failed(
          "ContainerCrashLooping",
          `Containers in CrashLoop state: ${looping.join(",")}`,
          looping.map((name) => `container ${name} waiting: CrashLoopBackOff`).join("; "),
        );
      }
      const ready = conditions.find((c) => c.type === "Ready");
      return inProgress(
        "PodRunningNotReady",
        "Pod is running but is not Ready",
        [ready ? describeCondition(ready) : "no Ready condition", ...containerStates(obj)]
          .join("; "),
      );
    }
    case "Pending": {
      const scheduled = unschedulable(conditions);
      if (scheduled) {
        const because = `${describeCondition(scheduled)}${
          scheduled.message ? `: ${scheduled.message}` : ""
        }`;
        if (now.getTime() - SCHEDULE_WINDOW_MS < creationTime(obj)) {
          return inProgress("PodNotScheduled", "Pod has not been scheduled", because);
        }
        return failed("PodUnschedulable", "Pod could not be scheduled", because);
      }
      return inProgress(
        "PodPending",
        "Pod is in the Pending phase",
        ["status.phase Pending", ...containerStates(obj)].join("; "),
      );
    }
    case "":
      return inProgress("PodNotObserved", "Pod phase not available", "no status.phase");
    default:
      throw new ComputeError(`unknown phase ${phase}`);
  }
}

/** The `PodScheduled=False` condition of a pod the scheduler could not place, if any. */
function unschedulable(conditions: readonly Condition[]): Condition | undefined {
  const scheduled = findCondition(conditions, "PodScheduled", "False");
  return scheduled?.reason === "Unschedulable" ? scheduled : undefined;
}

/**
 * Whether the pod rule's verdict on `obj` reads the clock: a Pending pod the scheduler could not
 * place is InProgress until its scheduling window ({@linkcode SCHEDULE_WINDOW_MS}) has passed,
 * then Failed, with no write to the object. The only such verdict of the contract.
 *
 * @example
 * ```ts
 * import { podVerdictMayExpire } from "@kstatus/kstatus";
 * const pod = {
 *   apiVersion: "v1",
 *   kind: "Pod",
 *   metadata: { name: "p", creationTimestamp: "2026-01-01T00:00:00Z" },
 *   status: {
 *     phase: "Pending",
 *     conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }],
 *   },
 * };
 * console.log(podVerdictMayExpire(pod)); // true
 * ```
 */
export function podVerdictMayExpire(obj: KubeObject): boolean {
  try {
    return stringField(obj, ["status", "phase"], "") === "Pending" &&
      unschedulable(readConditions(obj)) !== undefined;
  } catch {
    return true; // a malformed pod: no telling, so yes
  }
}

/**
 * Creation time in ms; a missing timestamp, or one Go's RFC3339 parser refuses
 * (`2024-05-01`, a zone-less time, an RFC 2822 date), is the zero time (long ago).
 */
function creationTime(obj: KubeObject): number {
  const ts = stringField(obj, ["metadata", "creationTimestamp"], "");
  const ms = ts ? parseRfc3339(ts) : NaN;
  return Number.isNaN(ms) ? -Infinity : ms;
}

/**
 * Containers that are not running as they should, for people: `container app waiting:
 * ImagePullBackOff`, `container app terminated: Error (exit code 1)`. Malformed entries are
 * skipped (the verdict never depends on this).
 */
export function containerStates(obj: KubeObject): string[] {
  const out: string[] = [];
  for (const cs of containerStatuses(obj)) {
    if (typeof cs.name !== "string") continue;
    const waiting = lookup(cs, ["state", "waiting", "reason"]);
    const terminated = lookup(cs, ["state", "terminated"]);
    if (typeof waiting === "string" && waiting !== "") {
      out.push(`container ${cs.name} waiting: ${waiting}`);
    } else if (isObject(terminated) && terminated.exitCode !== 0) {
      const reason = typeof terminated.reason === "string" ? terminated.reason : "terminated";
      out.push(`container ${cs.name} terminated: ${reason} (exit code ${terminated.exitCode})`);
    }
  }
  return out;
}

/** Names of containers waiting in CrashLoopBackOff, in status order. */
export function crashLoopingContainers(obj: KubeObject): string[] {
  const statuses = lookup(obj, ["status", "containerStatuses"]);
  if (statuses === undefined) return [];
  if (!Array.isArray(statuses)) {
    throw new ComputeError(".status.containerStatuses accessor error: expected a list");
  }
  const names: string[] = [];
  for (const cs of statuses) {
    // Entries missing a piece are skipped; malformed ones too, where Go would panic.
    if (!isObject(cs) || typeof cs.name !== "string") continue;
    const reason = lookup(cs, ["state", "waiting", "reason"]);
    if (reason === "CrashLoopBackOff") names.push(cs.name);
  }
  return names;
}
