/**
 * `kstatus compute`: the status of objects from manifests, offline.
 *
 * @module
 */

import type { RuleSet } from "../rules/rule_set.ts";
import { formatIdentifier, identifierOf } from "../groupkind.ts";
import type { StdinSource } from "../manifest_input.ts";
import type { ManifestObject } from "../manifest_objects.ts";
import type { ComputeResult, Condition, Status } from "../types.ts";
import { CliExit, ExitCode } from "./exit_codes.ts";

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
  readStdin?: StdinSource;
  /** Time to judge pods' scheduling window against. */
  now?: Date;
  /** Aborted on SIGINT/SIGTERM, with the signal name as reason. */
  interrupt?: AbortSignal;
  /** Resolves when stdout takes more lines (a slow reader must not make us buffer all). */
  drain?: () => Promise<void>;
}

interface Row {
  id: string;
  status: Status;
  message: string;
}

const NO_RESULT: ComputeResult = { status: "Unknown", message: "", conditions: [] };

/**
 * Text rows are held back until this many have come, to align the columns; later rows are
 * printed as they come (a longer name widens the columns from there on), so memory stays flat.
 */
const ALIGN_WINDOW = 10_000;

/**
 * Computes and prints the status of every object, as the objects are read; returns the exit
 * code: 0 all Current, 1 any Failed, 2 otherwise. Bad input throws `InputError` (what was read
 * before it is printed); a signal ends it with 130 or 143, even while stdin stays open.
 */
export async function runCompute(options: ComputeCommandOptions): Promise<number> {
  const held: Row[] = [];
  let widths: [number, number] | undefined;
  const printText = (row: Row) => {
    widths = [Math.max(widths![0], row.id.length), Math.max(widths![1], row.status.length)];
    options.write(
      `${row.id.padEnd(widths[0])}  ${row.status.padEnd(widths[1])}  ${row.message}`.trimEnd(),
    );
  };
  const flush = () => {
    widths ??= [0, 0];
    for (const row of held) {
      widths = [Math.max(widths[0], row.id.length), Math.max(widths[1], row.status.length)];
    }
    held.splice(0).forEach(printText);
  };
  let count = 0;
  let failed = false;
  let allCurrent = true;
  const stop = new AbortController();
  // Loaded when needed: the YAML readers stay out of the start-up of every other command.
  const { streamManifests } = await import("../manifests.ts");
  const objects = streamManifests(options.files, {
    recursive: options.recursive,
    readStdin: options.readStdin,
    signal: stop.signal,
  });
  // Rows still held when the input turns out bad are dropped: a short input with a mistake
  // prints only the error, as before.
  for await (const manifest of untilInterrupted(objects, options.interrupt, stop)) {
    const { row, json } = judge(manifest, options);
    count++;
    failed ||= row.status === "Failed";
    allCurrent &&= row.status === "Current";
    if (options.output === "json") options.write(JSON.stringify(json));
    else if (widths) printText(row);
    else if (held.push(row) >= ALIGN_WINDOW) flush();
    if (count % 256 === 0) await options.drain?.();
  }
  flush();
  // Zero objects are vacuously Current (exit 0), but say so: an empty pipe is often a mistake.
  if (count === 0) options.warn?.(`no objects found in ${options.files.join(", ")}`);
  return exitCodeFor(failed, allCurrent);
}

function judge(
  { object, file, line }: ManifestObject,
  options: ComputeCommandOptions,
): { row: Row; json: Record<string, unknown> } {
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
  // As in the other JSON outputs, the message says why when there is an error.
  const message = error ?? result.message;
  const conditions: Condition[] = result.conditions;
  return {
    row: { id: formatIdentifier(id), status: result.status, message },
    json: {
      ...id,
      status: result.status,
      message,
      conditions,
      rule: result.rule,
      ...(error ? { error } : {}),
      file,
      line,
    },
  };
}

/**
 * The objects, until a signal: then reading stops (a pending read of an open stdin is left
 * behind, to be closed by the caller) and the command ends with 130/143.
 */
async function* untilInterrupted<T>(
  source: AsyncGenerator<T>,
  interrupt: AbortSignal | undefined,
  stop: AbortController,
): AsyncGenerator<T> {
  if (!interrupt) return yield* source;
  try {
    while (true) {
      const next = await abortable(source.next(), interrupt);
      if (next.done) return;
      yield next.value;
    }
  } catch (e) {
    if (!interrupt.aborted) throw e;
    stop.abort(interrupt.reason);
    const signal = interrupt.reason === "SIGTERM" ? "SIGTERM" : "SIGINT";
    throw new CliExit(
      signal === "SIGTERM" ? ExitCode.Terminated : ExitCode.Interrupted,
      `interrupted (${signal})`,
    );
  }
}

/**
 * Settles like `promise`, or rejects with the signal's reason when it aborts first. Not
 * `Promise.race` with one long-lived promise: each race would leave a reaction on it, and one
 * race per object grows memory without bound.
 */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** 1 when any status is Failed, else 0 when every one is Current, else 2. */
function exitCodeFor(failed: boolean, allCurrent: boolean): number {
  if (failed) return ExitCode.Failed;
  return allCurrent ? ExitCode.Ok : ExitCode.NotReady;
}
