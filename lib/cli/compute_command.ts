/**
 * `kstatus compute`: the status of objects from manifests, offline.
 *
 * @module
 */

import type { RuleSet } from "../rules/rule_set.ts";
import { identifierOf } from "../groupkind.ts";
import { resourceRef } from "../printers/format.ts";
import { jsonResource, jsonSummaryLine, rfc3339, SCHEMA_VERSION } from "../printers/json.ts";
import { escapeControl } from "../text/escape.ts";
import { displayWidth, padTo } from "../text/width.ts";
import { summaryLine } from "./reporter.ts";
import { loadManifests } from "../manifests.ts";
import type { ComputeResult, Condition, KubeObject, ResourceStatus, Status } from "../types.ts";
import { ExitCode } from "./exit_codes.ts";

/** Options of {@linkcode runCompute}. */
export interface ComputeCommandOptions {
  /**
   * How objects are judged (the contract, the built-in pack, the user's rules), or how to make
   * that rule set once the objects are read.
   */
  ruleSet: RuleSet | ((objects: readonly KubeObject[]) => Promise<RuleSet>);
  /** Files, directories or `-`. */
  files: string[];
  /** `text` (aligned columns) or `json` (one object per line). */
  output: "text" | "json";
  /** Descend into subdirectories. */
  recursive?: boolean;
  /** Where lines go. */
  write: (line: string) => void;
  /** Where notes for people go (stderr). */
  warn?: (line: string) => void;
  /** Reads stdin (tests replace it). */
  readStdin?: () => Promise<string>;
  /** Time to judge pods' scheduling window against. */
  now?: Date;
}

interface Row {
  id: string;
  resource: ResourceStatus;
  status: Status;
  message: string;
  conditions: Condition[];
  error?: string;
  json: Record<string, unknown>;
}

const NO_RESULT: ComputeResult = { status: "Unknown", message: "", conditions: [] };

/**
 * Computes and prints the status of every object; returns the exit code:
 * 0 all Current, 1 any Failed, 2 otherwise. Bad input throws `InputError`.
 */
export async function runCompute(options: ComputeCommandOptions): Promise<number> {
  const started = performance.now();
  const objects = await loadManifests(options.files, {
    recursive: options.recursive,
    readStdin: options.readStdin,
  });
  // Zero objects are vacuously Current (exit 0), but say so: an empty pipe is often a mistake.
  if (objects.length === 0) options.warn?.(`no objects found in ${options.files.join(", ")}`);
  const ruleSet = typeof options.ruleSet === "function"
    ? await options.ruleSet(objects.map((o) => o.object))
    : options.ruleSet;
  const rows: Row[] = objects.map(({ object, file, line }) => {
    const id = identifierOf(object);
    let result: ComputeResult;
    let error: string | undefined;
    try {
      result = ruleSet.compute(object, options.now);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      const rule = ruleSet.ruleFor(String(object.apiVersion), String(object.kind)).id;
      result = { ...NO_RESULT, rule };
    }
    const status: ResourceStatus = {
      identifier: id,
      status: result.status,
      message: result.message,
      resource: object,
      ...(error ? { error: new Error(error) } : {}),
      generatedResources: [],
      ...(result.rule ? { rule: result.rule } : {}),
      // compute's goal is Current, as the summary counts it.
      goal: { met: result.status === "Current" },
    };
    return {
      id: resourceRef(id),
      status: result.status,
      // As in the other outputs, the message says why when there is an error.
      message: error ?? result.message,
      conditions: result.conditions,
      error,
      resource: status,
      json: { ...jsonResource(status), conditions: result.conditions, file, line },
    };
  });
  const code = exitCodeFor(rows.map((r) => r.status));
  if (options.output === "json") {
    // The shape of `status -o json`: a status line per object, then the summary.
    const now = new Date();
    for (const row of rows) {
      options.write(JSON.stringify({
        schemaVersion: SCHEMA_VERSION,
        type: "status",
        timestamp: rfc3339(now),
        ...row.json,
      }));
    }
    const statuses = rows.map((r) => r.resource);
    options.write(jsonSummaryLine({
      goal: "current",
      result: "once",
      exitCode: code,
      elapsedMs: performance.now() - started,
      message: summaryLine({ kind: "once" }, statuses, "Current", 0),
      resources: statuses.map((s) => jsonResource(s, false)),
    }, now));
  } else {
    const idWidth = Math.max(0, ...rows.map((r) => displayWidth(escapeControl(r.id))));
    const statusWidth = Math.max(0, ...rows.map((r) => r.status.length));
    for (const row of rows) {
      options.write(
        `${padTo(escapeControl(row.id), idWidth)}  ${row.status.padEnd(statusWidth)}  ${
          escapeControl(row.message)
        }`.trimEnd(),
      );
    }
  }
  return code;
}

/** 0 when every status is Current, 1 when any is Failed, else 2. */
export function exitCodeFor(statuses: readonly Status[]): number {
  if (statuses.includes("Failed")) return ExitCode.Failed;
  if (statuses.every((s) => s === "Current")) return ExitCode.Ok;
  return ExitCode.NotReady;
}
