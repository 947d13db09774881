/**
 * Failures that cannot recover by themselves, which end a wait at once (exit 1) instead of
 * waiting out the timeout: a Deployment past its progress deadline, a failed Job, a Pod that
 * failed and is never restarted.
 *
 * @module
 */

import { isInteger, isObject, lookup } from "../fields.ts";
import type { KubeObject, ObjectIdentifier } from "../types.ts";

/** The message of a terminal failure of `obj`, or `undefined`. */
export function terminalFailure(id: ObjectIdentifier, obj: KubeObject): string | undefined {
  const key = `${id.group}/${id.kind}`;
  if (key === "apps/Deployment") {
    const generation = lookup(obj, ["metadata", "generation"]);
    const observed = lookup(obj, ["status", "observedGeneration"]);
    // A deadline passed under an older spec says nothing about the new one.
    if (isInteger(generation) && isInteger(observed) && observed < generation) return undefined;
    const c = condition(obj, "Progressing");
    if (c?.reason === "ProgressDeadlineExceeded") {
      return `Deployment exceeded its progress deadline${c.message ? `: ${c.message}` : ""}`;
    }
  } else if (key === "batch/Job") {
    const c = condition(obj, "Failed");
    if (c?.status === "True") {
      return `Job failed${c.reason ? `: ${c.reason}` : ""}${c.message ? `: ${c.message}` : ""}`;
    }
  } else if (key === "/Pod") {
    if (
      lookup(obj, ["status", "phase"]) === "Failed" &&
      lookup(obj, ["spec", "restartPolicy"]) === "Never"
    ) {
      const reason = lookup(obj, ["status", "reason"]);
      const message = lookup(obj, ["status", "message"]);
      const containers = failedContainers(obj);
      return `Pod failed and is never restarted (restartPolicy Never)${
        typeof reason === "string" && reason ? `: ${reason}` : ""
      }${typeof message === "string" && message ? `: ${message}` : ""}${
        containers ? `: ${containers}` : ""
      }`;
    }
  }
  return undefined;
}

function condition(
  obj: KubeObject,
  type: string,
): { status?: string; reason?: string; message?: string } | undefined {
  const list = lookup(obj, ["status", "conditions"]);
  if (!Array.isArray(list)) return undefined;
  const c = list.find((c) => isObject(c) && c.type === type);
  return isObject(c) ? c as { status?: string; reason?: string; message?: string } : undefined;
}

/** `container app exited with 1 (Error)`, for each container that terminated unsuccessfully. */
function failedContainers(obj: KubeObject): string {
  const statuses = lookup(obj, ["status", "containerStatuses"]);
  if (!Array.isArray(statuses)) return "";
  const parts: string[] = [];
  for (const cs of statuses) {
    const t = lookup(cs, ["state", "terminated"]);
    if (!isObject(t) || t.exitCode === 0) continue;
    parts.push(
      `container ${lookup(cs, ["name"])} exited with ${t.exitCode}${
        typeof t.reason === "string" ? ` (${t.reason})` : ""
      }`,
    );
  }
  return parts.join(", ");
}
