/**
 * The diagnostics flags of `wait`, `status` and `explain`: `--diagnostics-limit`, `--no-logs`,
 * `--no-events`, `--no-diagnostics`, and `--events` (Warning events live during a wait).
 *
 * @module
 */

import type { Command } from "../deps/commander.ts";
import { DEFAULT_DIAGNOSTICS_LIMITS, type DiagnosticsLimits } from "../diagnostics/types.ts";
import type { DiagnosticsOptions } from "../diagnostics/types.ts";
import { InputError } from "../errors.ts";

/** The flags as commander parses them. */
export interface DiagnosticsFlags {
  /** False with `--no-diagnostics`. */
  diagnostics?: boolean;
  /** False with `--no-logs`. */
  logs?: boolean;
  /** True with `--events` (live), false with `--no-events` (none at all), else unset. */
  events?: boolean;
  /** `--diagnostics-limit`. */
  diagnosticsLimit?: string;
}

const KEYS: Record<string, keyof DiagnosticsLimits> = {
  requests: "logRequests",
  pods: "podsPerResource",
  lines: "tailLines",
  bytes: "logBytes",
  events: "eventsPerResource",
};

const d = DEFAULT_DIAGNOSTICS_LIMITS;

/** Adds the diagnostics flags; `live` adds `--events` too (for `wait`). */
export function addDiagnosticsOptions(cmd: Command, live: boolean): Command {
  // `--events` before `--no-events`: commander then leaves the value unset when neither is given
  // (defined the other way round, `--no-events` would make it true by default).
  if (live) {
    cmd.option(
      "--events",
      "print Warning events of the resources and their children as they arrive",
    );
  }
  return cmd
    .option(
      "--diagnostics-limit <limits>",
      "what diagnostics may read: N log requests per run, or comma-separated " +
        `requests=${d.logRequests},pods=${d.podsPerResource} (per resource),lines=${d.tailLines},` +
        `bytes=${d.logBytes} (per container),events=${d.eventsPerResource} (per resource)`,
    )
    .option(
      "--no-logs",
      "diagnostics without container logs (logs may hold data a CI log should not)",
    )
    .option("--no-events", "diagnostics without Warning events")
    .option("--no-diagnostics", "no diagnostics (rule, events, logs) when resources are not ready");
}

/**
 * The diagnostics options of the flags, `false` for `--no-diagnostics`.
 *
 * @throws {InputError} for a malformed `--diagnostics-limit`.
 */
export function diagnosticsFromFlags(flags: DiagnosticsFlags): DiagnosticsOptions | false {
  if (flags.diagnostics === false) return false;
  const out: DiagnosticsOptions = {};
  if (flags.logs === false) out.logs = false;
  if (flags.events === false) out.events = false;
  const text = flags.diagnosticsLimit?.trim();
  if (text) {
    for (const part of text.split(",").map((p) => p.trim())) {
      const m = /^(?:([a-z]+)=)?(\d+)$/.exec(part);
      const key = m ? (m[1] === undefined ? "logRequests" : KEYS[m[1]]) : undefined;
      if (!m || !key) {
        throw new InputError(
          `--diagnostics-limit: "${part}" is not N or one of ${
            Object.keys(KEYS).map((k) => `${k}=N`).join(", ")
          }`,
        );
      }
      out[key] = Number(m[2]);
    }
  }
  return out;
}
