/**
 * `kstatus compute`: the status of objects from manifests, offline.
 *
 * @module
 */

import type { RuleSet } from "../rules/rule_set.ts";
import { formatIdentifier, identifierOf } from "../groupkind.ts";
import { loadManifests } from "../manifests.ts";
import type { ComputeResult, Condition, Status } from "../types.ts";
import { ExitCode } from "./exit_codes.ts";
import { escapeControl } from "../text/escape.ts";

/** Options of {@linkcode runCompute}. */
export interface ComputeCommandOptions {
  /** How objects are judged (the contract, the built-in pack, the user's rules). */
  ruleSet: RuleSet;
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
  const objects = await loadManifests(options.files, {
    recursive: options.recursive,
    readStdin: options.readStdin,
  });
  // Zero objects are vacuously Current (exit 0), but say so: an empty pipe is often a mistake.
  if (objects.length === 0) options.warn?.(`no objects found in ${options.files.join(", ")}`);
  const rows: Row[] = objects.map(({ object, file, line }) => {
    const id = identifierOf(object);
    let result: ComputeResult;
    let error: string | undefined;
    try {
      result = options.ruleSet.compute(object, options.now);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      const rule = options.ruleSet.ruleFor(String(object.apiVersion), String(object.kind)).id;
      result = { ...NO_RESULT, rule };
    }
    return {
      id: escapeControl(formatIdentifier(id)),
      status: result.status,
      message: error ?? result.message,
      conditions: result.conditions,
      error,
      json: {
        ...id,
        status: result.status,
        // As in the other JSON outputs, the message says why when there is an error.
        message: error ?? result.message,
        conditions: result.conditions,
        rule: result.rule,
        ...(error ? { error } : {}),
        file,
        line,
      },
    };
  });
  if (options.output === "json") {
    for (const row of rows) options.write(JSON.stringify(row.json));
  } else {
    const idWidth = Math.max(0, ...rows.map((r) => r.id.length));
    const statusWidth = Math.max(0, ...rows.map((r) => r.status.length));
    for (const row of rows) {
      options.write(
        `${row.id.padEnd(idWidth)}  ${row.status.padEnd(statusWidth)}  ${
          escapeControl(row.message)
        }`.trimEnd(),
      );
    }
  }
  return exitCodeFor(rows.map((r) => r.status));
}

/** 0 when every status is Current, 1 when any is Failed, else 2. */
export function exitCodeFor(statuses: readonly Status[]): number {
  if (statuses.includes("Failed")) return ExitCode.Failed;
  if (statuses.every((s) => s === "Current")) return ExitCode.Ok;
  return ExitCode.NotReady;
}
