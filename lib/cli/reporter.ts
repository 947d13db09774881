/**
 * Shows the progress of a wait in the chosen output mode, and its outcome.
 *
 * @module
 */

import type { ConnectionStats } from "./connection.ts";
import { ExitCode } from "./exit_codes.ts";
import type { ResourceStatusCollector, StopCondition } from "../engine/collector.ts";
import type { Event } from "../engine/events.ts";
import { identifierKey } from "../groupkind.ts";
import { formatEventLine } from "../printers/events.ts";
import { formatDuration } from "../printers/format.ts";
import { escapeControl } from "../text/escape.ts";
import { jsonErrorLine, jsonResource, jsonStatusLine, jsonSummaryLine } from "../printers/json.ts";
import { createLiveRegion, renderTable, type TerminalSize } from "../printers/table.ts";
import { clip } from "../text/width.ts";
import type { ResourceStatus, Status } from "../types.ts";

/** How a wait ended. */
export type Outcome =
  | { kind: "goal" }
  | { kind: "failed" }
  | { kind: "timeout" }
  | { kind: "interrupted"; signal: "SIGINT" | "SIGTERM" }
  | { kind: "error"; error: Error }
  | { kind: "refused"; error: Error }
  | { kind: "once" };

/** Output modes after `auto` is resolved. */
export type ReportMode = "live" | "table" | "events" | "json" | "quiet";

/** What a reporter needs. */
export interface ReporterOptions {
  /** Output mode. */
  mode: ReportMode;
  /** Writes a line to stdout. */
  out: (line: string) => void;
  /** Colour on. */
  color: boolean;
  /** Terminal width, if known. */
  width?: number;
  /** Terminal height, if known: the live table is cut to fit while it is redrawn. */
  height?: number;
  /** The terminal's size now (it wins over `width` and `height`): read at every redraw. */
  terminalSize?: () => TerminalSize;
  /** Calls `listener` when the terminal is resized; returns how to stop. */
  onResize?: (listener: () => void) => () => void;
  /** `-q`: with `json`, only the error and summary lines. */
  quiet?: boolean;
  /** Current time in ms. */
  now: () => number;
  /** When the wait started (ms). */
  startedAt: number;
  /** What is waited for. */
  goal: StopCondition;
  /** Requests and cycles so far, for the JSON summary. */
  stats?: () => ConnectionStats;
}

/** Shows events as they come and the outcome at the end. */
export interface Reporter {
  /** Called after each event has been applied to the collector. */
  event(event: Event, collector: ResourceStatusCollector): void;
  /** Called once at the end with the exit code about to be returned. */
  finish(outcome: Outcome, collector: ResourceStatusCollector, exitCode: number): void;
  /**
   * A note for people (a resource not found yet): on stderr, or, in the live table, under it
   * (a line written around a live block would break its redraw).
   */
  note?(line: string): void;
}

const GOAL_STATUS: Record<StopCondition, Status | undefined> = {
  current: "Current",
  deleted: "NotFound",
  known: undefined,
  forever: undefined,
};

/** Resources that have not reached the goal. */
export function notReady(
  statuses: readonly ResourceStatus[],
  goal: StopCondition,
): ResourceStatus[] {
  const want = GOAL_STATUS[goal];
  if (goal === "known") return statuses.filter((s) => s.status === "Unknown");
  return want ? statuses.filter((s) => s.status !== want) : [];
}

/** The one-line summary of an outcome. */
export function summaryLine(
  outcome: Outcome,
  statuses: readonly ResourceStatus[],
  goal: StopCondition,
  elapsedMs: number,
): string {
  const total = statuses.length;
  const pending = notReady(statuses, goal);
  const target = goal === "deleted" ? "deleted" : goal === "known" ? "known" : "Current";
  const elapsed = formatDuration(elapsedMs);
  const failed = statuses.filter((s) => s.status === "Failed").length;
  switch (outcome.kind) {
    case "goal":
      return `all ${total} resource${total === 1 ? "" : "s"} ${target} after ${elapsed}`;
    case "once":
      return `${total - pending.length} of ${total} ${target}${failed ? `, ${failed} Failed` : ""}`;
    case "failed":
      return `${failed} resource${failed === 1 ? "" : "s"} Failed after ${elapsed}`;
    case "timeout":
      return `timed out after ${elapsed}: ${pending.length} of ${total} not ${target}`;
    case "interrupted":
      return `interrupted (${outcome.signal}) after ${elapsed}: ${pending.length} of ${total} not ${target}`;
    case "error":
      return `stopped after ${elapsed}: ${outcome.error.message}`;
    case "refused":
      return `stopped after ${elapsed}: the cluster refused: ${outcome.error.message}`;
  }
}

/** Creates the reporter for a mode. */
export function createReporter(options: ReporterOptions): Reporter {
  // Stderr is not the reporter's: the command prints the one line that explains exit code 4.
  const { out } = options;
  const elapsed = () => options.now() - options.startedAt;
  const size = options.terminalSize ?? (() => ({ width: options.width, height: options.height }));
  const atGoal = (s: ResourceStatus) => notReady([s], options.goal).length === 0;
  const header = (collector: ResourceStatusCollector) => {
    const statuses = collector.latestObservation().resourceStatuses;
    const done = statuses.length - notReady(statuses, options.goal).length;
    const namespaces = new Set(statuses.map((s) => s.identifier.namespace));
    const [only] = namespaces;
    const line = `kstatus: ${done}/${statuses.length} ${
      options.goal === "deleted" ? "deleted" : "Current"
    }  (${formatDuration(elapsed())})${
      namespaces.size === 1 && only ? `  namespace ${escapeControl(only)}` : ""
    }`;
    const { width } = size();
    return width ? clip(line, width) : line;
  };
  /** The table; `live` fits it to the terminal (the header line and the cursor's row aside). */
  const table = (collector: ResourceStatusCollector, live = false) => {
    const { width, height } = size();
    return renderTable(collector.latestObservation().resourceStatuses, {
      color: options.color,
      width,
      height: live && height ? height - 2 : undefined,
      nowMs: options.now(),
      atGoal,
    });
  };
  const summary = (outcome: Outcome, collector: ResourceStatusCollector) =>
    summaryLine(outcome, collector.latestObservation().resourceStatuses, options.goal, elapsed());
  const pendingLines = (collector: ResourceStatusCollector) =>
    notReady(collector.latestObservation().resourceStatuses, options.goal).map((s) =>
      // A resource the engine never got to (fail-fast, an early stop) has no message of its own.
      s.status === "Unknown" && !s.message && !s.error && !s.resource
        ? `  ${formatEventLine(s)}: not read yet`
        : `  ${formatEventLine(s)}`
    );

  switch (options.mode) {
    case "events": {
      // The engine also reports changes deeper in the tree; a line that reads the same as
      // the last one for that resource tells nothing new.
      const printed = new Map<string, string>();
      return {
        event(event) {
          if (event.type === "ResourceUpdate") {
            const key = identifierKey(event.resource.identifier);
            const line = formatEventLine(event.resource);
            if (printed.get(key) !== line) out(line);
            printed.set(key, line);
          }
        },
        finish(outcome, collector) {
          out(summary(outcome, collector));
          if (outcome.kind !== "goal" && outcome.kind !== "once") {
            for (const line of pendingLines(collector)) out(line);
          }
        },
      };
    }
    case "json": {
      let errorPrinted = false;
      return {
        event(event) {
          const now = new Date(options.now());
          if (event.type === "ResourceUpdate" && !options.quiet) {
            out(jsonStatusLine(event.resource, now));
          }
          if (event.type === "Error") {
            out(jsonErrorLine(event.error, now));
            errorPrinted = true;
          }
        },
        finish(outcome, collector, exitCode) {
          const statuses = collector.latestObservation().resourceStatuses;
          const now = new Date(options.now());
          // Exit 3 and 4 always have an error line: a refusal seen on one resource, or a timeout
          // while the cluster could not be reached, has no engine error.
          if ((exitCode === ExitCode.BadInput || exitCode === ExitCode.Cluster) && !errorPrinted) {
            const error = "error" in outcome
              ? outcome.error
              : statuses.map((s) => s.error).find((e) => e !== undefined) ??
                new Error(summaryLine(outcome, statuses, options.goal, elapsed()));
            out(jsonErrorLine(error, now, exitCode));
          }
          out(jsonSummaryLine({
            goal: options.goal,
            result: outcome.kind,
            exitCode,
            elapsedMs: elapsed(),
            message: summaryLine(outcome, statuses, options.goal, elapsed()),
            resources: statuses.map((s) => jsonResource(s, false)),
            ...(options.stats ? { stats: options.stats() } : {}),
          }, now));
        },
      };
    }
    case "quiet":
      return {
        event() {},
        finish(outcome, collector) {
          out(summary(outcome, collector));
        },
      };
    case "table":
      return {
        event() {},
        finish(outcome, collector) {
          for (const line of table(collector)) out(line);
          out(summary(outcome, collector));
        },
      };
    case "live": {
      const region = createLiveRegion(out, size);
      let last: ResourceStatusCollector | undefined;
      const notes: string[] = [];
      const fit = (line: string) => {
        const { width } = size();
        return width ? clip(line, width) : line;
      };
      const draw = (c: ResourceStatusCollector) =>
        region.draw([header(c), ...table(c, true), ...notes.map(fit)]);
      // Redraw every second so the elapsed time moves even when nothing changes, and at once
      // when the terminal is resized.
      const timer = setInterval(() => last && draw(last), 1000);
      const stopResize = options.onResize?.(() => last && draw(last));
      return {
        event(event, collector) {
          last = collector;
          if (event.type === "ResourceUpdate") draw(collector);
        },
        finish(outcome, collector) {
          clearInterval(timer);
          stopResize?.();
          region.draw([header(collector), ...table(collector), ...notes.map(fit)], { fit: false });
          out(summary(outcome, collector));
        },
        note(line) {
          notes.push(line);
          if (last) draw(last);
        },
      };
    }
  }
}
