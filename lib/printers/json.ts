/**
 * The `json` output: one JSON object per line. The schema is stable:
 *
 * - status line: `{"type":"status","timestamp":RFC3339,"group","kind","namespace","name",
 *   "status","message","error"?,"children":[{group,kind,namespace,name,status,message,error?,children}]}`
 * - error line (engine stopped): `{"type":"error","timestamp","error"}`
 * - summary line (last): `{"type":"summary","timestamp","goal","result","exitCode","elapsedMs",
 *   "message","resources":[{group,kind,namespace,name,status,message,error?}]}`; `result` is
 *   `goal`, `failed`, `timeout`, `interrupted`, `error`, `refused` or `once` (`kstatus status`);
 *   with a cluster connection also `"stats":{"requests","byVerb":{"list apps/deployments":N},"cycles"}`;
 *   a resource that was explained (a bad ending, `status` not Current, `explain`) also has
 *   `"diagnostics":{"rule":{"id"?,"decidedBy"?,"because":[...]},"events":[{object,namespace,type,
 *   reason,message,count,lastTime}],"logs":[{pod,container,previous,lines,truncated}],"notes":[...]}`
 * - with `--events`: `{"type":"event","timestamp","event":{object,namespace,type,reason,message,
 *   count,lastTime}}` as Warning events arrive, `{"type":"note","timestamp","text"}` when they cannot
 *
 * @module
 */

import type { ObjectIdentifier, ResourceStatus, Status } from "../types.ts";
import { displayMessage, displayStatus } from "./format.ts";

/** A resource in JSON output. */
export interface JsonResource extends ObjectIdentifier {
  /** Status. */
  status: Status | "Skipped";
  /** Message (the error text when there is an error). */
  message: string;
  /** Error text, when reading or computing failed. */
  error?: string;
  /** The rule that gave the verdict (`builtin:cert-manager.io/Certificate`, `generic`, ...). */
  rule?: string;
  /** Children, recursively. */
  children?: JsonResource[];
}

/** A status as a plain JSON-able object, children included when `withChildren`. */
export function jsonResource(status: ResourceStatus, withChildren = true): JsonResource {
  const { group, kind, namespace, name } = status.identifier;
  const out: JsonResource = {
    group,
    kind,
    namespace,
    name,
    status: displayStatus(status),
    message: displayMessage(status),
  };
  if (status.error) out.error = status.error.message;
  if (status.rule) out.rule = status.rule;
  if (withChildren) out.children = status.generatedResources.map((c) => jsonResource(c));
  return out;
}

/** The JSON line of a status change. */
export function jsonStatusLine(status: ResourceStatus, now: Date): string {
  return JSON.stringify({ type: "status", timestamp: rfc3339(now), ...jsonResource(status) });
}

/** The JSON line of an engine error. */
export function jsonErrorLine(error: Error, now: Date): string {
  return JSON.stringify({ type: "error", timestamp: rfc3339(now), error: error.message });
}

/** RFC3339 in UTC with whole seconds, as Kubernetes writes timestamps. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, "Z");
}
