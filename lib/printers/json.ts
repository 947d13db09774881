/**
 * The `json` output: one JSON object per line, each with `"schemaVersion": 1` (raised only for
 * a change that is not additive) and a `type`. The schema is written down in
 * `docs/output.schema.json` (JSON Schema 2020-12) and checked in the tests:
 *
 * - status line: `{"schemaVersion","type":"status","timestamp":RFC3339,"ref","group","kind",
 *   "namespace","name","status","message","error"?,"rule"?,"children":[resource...]}`
 * - error line: `{"schemaVersion","type":"error","timestamp","error","exitCode"?}`, when the
 *   engine stops and, with `-o json`, for any error that ends the command with exit 3 or 4
 * - summary line (last): `{"schemaVersion","type":"summary","timestamp","goal"?,"result",
 *   "exitCode","elapsedMs","message","resources":[resource without children...]}`; `result` is
 *   `goal`, `failed`, `timeout`, `interrupted`, `error`, `refused` or `once` (`kstatus status`,
 *   `kstatus compute`); with a cluster connection also
 *   `"stats":{"requests","byVerb":{"list apps/deployments":N},"cycles","steadyRequests"}`;
 *   a resource that was explained (a bad ending, `status` not Current, `explain`) also has
 *   `"diagnostics":{"rule":{"id"?,"decidedBy"?,"because":[...]},"events":[{object,namespace,type,
 *   reason,message,count,lastTime}],"logs":[{pod,container,previous,lines,truncated}],"notes":[...]}`
 * - with `--events`: `{"schemaVersion","type":"event","timestamp","event":{object,namespace,type,
 *   reason,message,count,lastTime}}` as Warning events arrive, `{"schemaVersion","type":"note",
 *   "timestamp","text"}` when they cannot
 *
 * `ref` is the one name of a resource in every output: `kind.group/namespace/name` (kind in
 * lower case, no group for the core group, no namespace for a cluster-scoped resource), as the
 * event lines, notes and errors print it.
 *
 * @module
 */

import type { ObjectIdentifier, ResourceStatus, Status } from "../types.ts";
import { displayMessage, displayStatus, resourceRef } from "./format.ts";

/** The version of the JSON output's schema (`docs/output.schema.json`). */
export const SCHEMA_VERSION = 1;

/** A resource in JSON output. */
export interface JsonResource extends ObjectIdentifier {
  /** The resource's name in every output: `deployment.apps/shop/web`. */
  ref: string;
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
    ref: resourceRef(status.identifier),
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
  return JSON.stringify({
    schemaVersion: SCHEMA_VERSION,
    type: "status",
    timestamp: rfc3339(now),
    ...jsonResource(status),
  });
}

/** The JSON line of an error (the engine stopped, or the command ended with exit 3 or 4). */
export function jsonErrorLine(error: Error, now: Date, exitCode?: number): string {
  return JSON.stringify({
    schemaVersion: SCHEMA_VERSION,
    type: "error",
    timestamp: rfc3339(now),
    error: error.message,
    ...(exitCode === undefined ? {} : { exitCode }),
  });
}

/** What a summary line says. */
export interface JsonSummary {
  /** What was waited for; absent when the command ended before it was known. */
  goal?: string;
  /** How it ended: `goal`, `failed`, `timeout`, `interrupted`, `error`, `refused`, `once`. */
  result: string;
  /** The process's exit code. */
  exitCode: number;
  /** Time from the start, ms. */
  elapsedMs: number;
  /** The summary for people. */
  message: string;
  /** Every resource, without children. */
  resources: JsonResource[];
  /** Requests and poll cycles, with a cluster connection. */
  stats?: unknown;
}

/** The last JSON line of a command. */
export function jsonSummaryLine(summary: JsonSummary, now: Date): string {
  const { goal, stats, ...rest } = summary;
  return JSON.stringify({
    schemaVersion: SCHEMA_VERSION,
    type: "summary",
    timestamp: rfc3339(now),
    ...(goal === undefined ? {} : { goal }),
    ...rest,
    elapsedMs: Math.round(rest.elapsedMs),
    ...(stats === undefined ? {} : { stats }),
  });
}

/**
 * {@linkcode jsonSummaryLine} with the resources given as their JSON texts, for a summary of many
 * resources kept as text (`compute` on 100,000 objects).
 */
export function jsonSummaryLineOfTexts(
  summary: Omit<JsonSummary, "resources">,
  resources: readonly string[],
  now: Date,
): string {
  // Inside a JSON string every quote is escaped, so this text is only ever the key itself.
  return jsonSummaryLine({ ...summary, resources: [] }, now)
    .replace('"resources":[]', () => `"resources":[${resources.join(",")}]`);
}

/** RFC3339 in UTC with whole seconds, as Kubernetes writes timestamps. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, "Z");
}
