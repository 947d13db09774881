/**
 * `kstatus compute`: the status of objects from manifests, offline.
 *
 * @module
 */

import type { RuleSet } from "../rules/rule_set.ts";
import { identifierOf } from "../groupkind.ts";
import type { StdinSource } from "../manifest_input.ts";
import { resourceRef } from "../printers/format.ts";
import { jsonResource, jsonSummaryLineOfTexts, rfc3339, SCHEMA_VERSION } from "../printers/json.ts";
import { escapeControl } from "../text/escape.ts";
import { displayWidth, padTo } from "../text/width.ts";
import type { ComputeResult, Condition, KubeObject, ResourceStatus, Status } from "../types.ts";
import { CliExit, ExitCode } from "./exit_codes.ts";
import { onceSummary } from "./reporter.ts";
import type { LazyRuleSet } from "./rule_flags.ts";

/** Options of {@linkcode runCompute}. */
export interface ComputeCommandOptions {
  /**
   * How objects are judged (the contract, the built-in pack, the user's rules), or that rule
   * set with the CEL evaluator loaded when the first object that needs it comes.
   */
  ruleSet: RuleSet | LazyRuleSet;
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
  /** A full garbage collection, asked for every {@linkcode COLLECT_EVERY} objects. */
  collectGarbage?: () => void;
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
 * Objects between two requested garbage collections. Reading leaves garbage (chunks, document
 * text, parsed objects) that Bun collected only every few tens of thousands of objects, so the
 * peak grew with the input; a full collection (about 10 ms on Bun, the live heap being small)
 * every 10,000 objects keeps it flat at no measurable cost in CPU.
 */
export const COLLECT_EVERY = 10_000;

/**
 * Computes and prints the status of every object, as the objects are read; returns the exit
 * code: 0 all Current, 1 any Failed, 2 otherwise. Bad input throws `InputError` (what was read
 * before it is printed); a signal ends it with 130 or 143, even while stdin stays open.
 * `-o json` has the shape of `status -o json`: a status line per object, then the summary.
 */
export async function runCompute(options: ComputeCommandOptions): Promise<number> {
  const started = performance.now();
  const held: Row[] = [];
  let widths: [number, number] | undefined;
  const widen = (row: Row) => {
    widths = [Math.max(widths![0], displayWidth(row.id)), Math.max(widths![1], row.status.length)];
  };
  const printText = (row: Row) => {
    widen(row);
    options.write(`${padTo(row.id, widths![0])}  ${row.status.padEnd(widths![1])}  ${row.message}`
      .trimEnd());
  };
  const flush = () => {
    widths ??= [0, 0];
    held.forEach(widen);
    held.splice(0).forEach(printText);
  };
  // The summary of `-o json` lists every resource: each is kept as its JSON text, not as the
  // status, whose strings would keep alive the input text they were cut from.
  const summarized: string[] = [];
  let count = 0;
  let failedCount = 0;
  let notCurrent = 0;
  const stop = new AbortController();
  // Loaded when needed: the YAML readers stay out of the start-up of every other command.
  const { streamManifests } = await import("../manifest_stream.ts");
  const objects = streamManifests(options.files, {
    recursive: options.recursive,
    readStdin: options.readStdin,
    signal: stop.signal,
  });
  const { set, prepare } = "set" in options.ruleSet
    ? options.ruleSet
    : { set: options.ruleSet, prepare: undefined };
  // Rows still held when the input turns out bad are dropped: a short input with a mistake
  // prints only the error, as before.
  for await (const manifest of untilInterrupted(objects, options.interrupt, stop)) {
    const ready = prepare?.(manifest.object);
    if (ready) await ready;
    const { status, conditions } = judge(manifest.object, set, options.now);
    count++;
    if (status.status === "Failed") failedCount++;
    if (status.status !== "Current") notCurrent++;
    if (options.output === "json") {
      const { file, line } = manifest;
      options.write(JSON.stringify({
        schemaVersion: SCHEMA_VERSION,
        type: "status",
        timestamp: rfc3339(new Date()),
        ...jsonResource(status),
        conditions,
        file,
        line,
      }));
      summarized.push(JSON.stringify(jsonResource(status, false)));
    } else {
      const row = {
        id: escapeControl(resourceRef(status.identifier)),
        status: status.status,
        // As in the other outputs, the message says why when there is an error.
        message: escapeControl(status.error?.message ?? status.message),
      };
      if (widths) printText(row);
      else if (held.push(row) >= ALIGN_WINDOW) flush();
    }
    if (count % 256 === 0) await options.drain?.();
    if (count % COLLECT_EVERY === 0) options.collectGarbage?.();
  }
  flush();
  // Zero objects are vacuously Current (exit 0), but say so: an empty pipe is often a mistake.
  if (count === 0) options.warn?.(`no objects found in ${options.files.join(", ")}`);
  const code = exitCodeFor(failedCount > 0, notCurrent === 0);
  if (options.output === "json") {
    options.write(jsonSummaryLineOfTexts(
      {
        goal: "current",
        result: "once",
        exitCode: code,
        elapsedMs: performance.now() - started,
        message: onceSummary(count, notCurrent, failedCount, "Current"),
      },
      summarized,
      new Date(),
    ));
  }
  return code;
}

/** The status of one object, as the other commands report it, and its computed conditions. */
function judge(
  object: KubeObject,
  ruleSet: RuleSet,
  now?: Date,
): { status: ResourceStatus; conditions: Condition[] } {
  const id = identifierOf(object);
  let result: ComputeResult;
  let error: string | undefined;
  try {
    result = ruleSet.compute(object, now);
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
  return { status, conditions: result.conditions };
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
