/**
 * Shows the progress of a wait in the chosen output mode, and its outcome.
 *
 * @module
 */

import type { ConnectionStats } from "./connection.ts";
import type { ResourceStatusCollector, StopCondition } from "../engine/collector.ts";
import type { Event } from "../engine/events.ts";
import { identifierKey } from "../groupkind.ts";
import { formatEventLine } from "../printers/events.ts";
import { formatDuration } from "../printers/format.ts";
import { jsonErrorLine, jsonResource, jsonStatusLine, rfc3339 } from "../printers/json.ts";
import { createLiveRegion, renderTable } from "../printers/table.ts";
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
export type ReportMode = "live" | "table" | "events" | "json";

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

/** The shortest time between two frames of the live table. */
const DRAW_EVERY_MS = 200;

/** Creates the reporter for a mode. */
export function createReporter(options: ReporterOptions): Reporter {
  // Stderr is not the reporter's: the command prints the one line that explains exit code 4.
  const { out } = options;
  const elapsed = () => options.now() - options.startedAt;
  const header = (collector: ResourceStatusCollector) => {
    const statuses = collector.latestObservation().resourceStatuses;
    const done = statuses.length - notReady(statuses, options.goal).length;
    return `kstatus: ${done}/${statuses.length} ${
      options.goal === "deleted" ? "deleted" : "Current"
    }  (${formatDuration(elapsed())})`;
  };
  const table = (collector: ResourceStatusCollector) =>
    renderTable(collector.latestObservation().resourceStatuses, {
      color: options.color,
      width: options.width,
      nowMs: options.now(),
    });
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
    case "json":
      return {
        event(event) {
          const now = new Date(options.now());
          if (event.type === "ResourceUpdate") out(jsonStatusLine(event.resource, now));
          if (event.type === "Error") out(jsonErrorLine(event.error, now));
        },
        finish(outcome, collector, exitCode) {
          const statuses = collector.latestObservation().resourceStatuses;
          out(JSON.stringify({
            type: "summary",
            timestamp: rfc3339(new Date(options.now())),
            goal: options.goal,
            result: outcome.kind,
            exitCode,
            elapsedMs: Math.round(elapsed()),
            message: summaryLine(outcome, statuses, options.goal, elapsed()),
            resources: statuses.map((s) => jsonResource(s, false)),
            ...(options.stats ? { stats: options.stats() } : {}),
          }));
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
      const region = createLiveRegion(out, { width: options.width, height: options.height });
      let last: ResourceStatusCollector | undefined;
      let drawnAt = -Infinity;
      let pending: ReturnType<typeof setTimeout> | undefined;
      const draw = (c: ResourceStatusCollector) => {
        drawnAt = options.now();
        region.draw([header(c), ...table(c)]);
      };
      // Redraw every second so the elapsed time moves even when nothing changes.
      const timer = setInterval(() => last && draw(last), 1000);
      return {
        event(event, collector) {
          last = collector;
          if (event.type !== "ResourceUpdate" || pending) return;
          // One frame for the events of one turn (a poll cycle's come together), and at most a
          // few a second: a rollout of thousands sends events by the thousand, and each frame
          // sorts and lays out every row.
          const wait = Math.max(0, drawnAt + DRAW_EVERY_MS - options.now());
          pending = setTimeout(() => {
            pending = undefined;
            draw(collector);
          }, wait);
        },
        finish(outcome, collector) {
          clearInterval(timer);
          clearTimeout(pending);
          region.draw([header(collector), ...table(collector)], { fit: false });
          out(summary(outcome, collector));
        },
      };
    }
  }
}
