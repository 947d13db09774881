/**
 * Shows the progress of a wait in the chosen output mode, and its outcome.
 *
 * @module
 */

import type { ConnectionStats } from "./connection.ts";
import type { ResourceStatusCollector } from "../engine/collector.ts";
import type { Event } from "../engine/events.ts";
import { identifierKey } from "../groupkind.ts";
import { formatEventLine } from "../printers/events.ts";
import { formatDuration } from "../printers/format.ts";
import {
  jsonErrorLine,
  jsonResource,
  jsonStatusLine,
  jsonSummaryLine,
  rfc3339,
  SCHEMA_VERSION,
} from "../printers/json.ts";
import { createLiveRegion, renderTable, type TerminalSize } from "../printers/table.ts";
import { clip } from "../text/width.ts";
import { ExitCode } from "./exit_codes.ts";
import { renderDiagnostics } from "../printers/diagnostics.ts";
import type { DiagnosticEvent, Diagnostics } from "../diagnostics/types.ts";
import { escapeControl } from "../text/escape.ts";
import type { ResourceStatus } from "../types.ts";

/** How a wait ended. */
export type Outcome =
  | { kind: "goal" }
  | { kind: "failed" }
  | { kind: "timeout" }
  | { kind: "interrupted"; signal: "SIGINT" | "SIGTERM" }
  | { kind: "error"; error: Error }
  | { kind: "refused"; error: Error }
  | { kind: "once" };

/** How many live Warning events the live table shows under it. */
const LIVE_WARNINGS = 5;

/** Output modes after `auto` is resolved. */
export type ReportMode = "live" | "table" | "events" | "json" | "explain" | "quiet";

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
  /** What is waited for, as the JSON summary names it (`current`, `condition=Ready=True`). */
  goal: string;
  /** The word for resources at their goal (`Current`, `deleted`, `at goal (…)`): see `goalTarget`. */
  target: string;
  /** Requests and cycles so far, for the JSON summary. */
  stats?: () => ConnectionStats;
}

/** Shows events as they come and the outcome at the end. */
export interface Reporter {
  /** Called after each event has been applied to the collector. */
  event(event: Event, collector: ResourceStatusCollector): void;
  /** A Warning event of a tracked resource or child, as it arrives (`--events`). */
  warning(event: DiagnosticEvent): void;
  /** Something the user should know while waiting (`live events: forbidden (403) in ...`). */
  notice(text: string): void;
  /**
   * Called once at the end with the exit code about to be returned, and the diagnostics
   * gathered for resources (by `identifierKey`), if any.
   */
  finish(
    outcome: Outcome,
    collector: ResourceStatusCollector,
    exitCode: number,
    diagnostics?: ReadonlyMap<string, Diagnostics>,
  ): void;
}

/**
 * A live Warning event as one line: `event: Warning BackOff on Pod/shop/web-1 (3 times):
 * Back-off restarting failed container`. Text from the cluster is escaped.
 */
export function warningLine(ev: DiagnosticEvent): string {
  const times = ev.count > 1 ? ` (${ev.count} times)` : "";
  const [kind, name] = [
    ev.object.slice(0, ev.object.indexOf("/")),
    ev.object.slice(ev.object.indexOf("/") + 1),
  ];
  return escapeControl(
    `event: ${ev.type} ${ev.reason} on ${kind}/${ev.namespace}/${name}${times}: ${ev.message}`,
  );
}

/** The text blocks of the resources that have diagnostics, in the order of `statuses`. */
export function diagnosticsBlocks(
  statuses: readonly ResourceStatus[],
  diagnostics: ReadonlyMap<string, Diagnostics> | undefined,
): string[] {
  if (!diagnostics) return [];
  return statuses.flatMap((s) => {
    const d = diagnostics.get(identifierKey(s.identifier));
    return d ? renderDiagnostics(s, d) : [];
  });
}

/** Resources that have not reached their goal (as the goal judge said; unread ones neither). */
export function notReady(statuses: readonly ResourceStatus[]): ResourceStatus[] {
  return statuses.filter((s) => !s.goal?.met);
}

/** The summary of a single look: how many of `total` reached `target`, and how many Failed. */
export function onceSummary(
  total: number,
  pending: number,
  failed: number,
  target: string,
): string {
  return `${total - pending} of ${total} ${target}${failed ? `, ${failed} Failed` : ""}`;
}

/** The one-line summary of an outcome. */
export function summaryLine(
  outcome: Outcome,
  statuses: readonly ResourceStatus[],
  target: string,
  elapsedMs: number,
): string {
  const total = statuses.length;
  const pending = notReady(statuses);
  const elapsed = formatDuration(elapsedMs);
  const failed = statuses.filter((s) => s.status === "Failed").length;
  switch (outcome.kind) {
    case "goal": {
      const skipped = statuses.filter((s) => s.goal?.skipped).length;
      return `all ${total} resource${total === 1 ? "" : "s"} ${target} after ${elapsed}${
        skipped ? ` (${skipped} Skipped)` : ""
      }`;
    }
    case "once":
      return onceSummary(total, pending.length, failed, target);
    case "failed":
      return `${failed} resource${failed === 1 ? "" : "s"} Failed after ${elapsed}`;
    case "timeout":
      return `timed out after ${elapsed}: ${pending.length} of ${total} not ${target}`;
    case "interrupted":
      return `interrupted (${outcome.signal}) after ${elapsed}: ${pending.length} of ${total} not ${target}`;
    case "error":
      return `stopped after ${elapsed}: ${escapeControl(outcome.error.message)}`;
    case "refused":
      return `stopped after ${elapsed}: the cluster refused: ${
        escapeControl(outcome.error.message)
      }`;
  }
}

/** The shortest time between two frames of a large live table. */
const DRAW_EVERY_MS = 200;
/** Up to this many resources, the live table is redrawn at every change. */
const DRAW_EVERY_EVENT_UP_TO = 200;

/** Creates the reporter for a mode. */
export function createReporter(options: ReporterOptions): Reporter {
  // Stderr is not the reporter's: the command prints the one line that explains exit code 4.
  const { out } = options;
  const elapsed = () => options.now() - options.startedAt;
  const size = options.terminalSize ?? (() => ({ width: options.width, height: options.height }));
  const fit = (line: string) => {
    const { width } = size();
    return width ? clip(line, width) : line;
  };
  const atGoal = (s: ResourceStatus) => notReady([s]).length === 0;
  const header = (collector: ResourceStatusCollector) => {
    const statuses = collector.latestObservation().resourceStatuses;
    const done = statuses.length - notReady(statuses).length;
    const failed = statuses.filter((s) => s.status === "Failed").length;
    const namespaces = new Set(statuses.map((s) => s.identifier.namespace));
    const [only] = namespaces;
    return fit(
      `kstatus: ${done}/${statuses.length} ${options.target.replace(/ \(.*\)$/, "")}${
        failed ? `, ${failed} Failed` : ""
      }  (${formatDuration(elapsed())})${
        namespaces.size === 1 && only ? `  namespace ${escapeControl(only)}` : ""
      }`,
    );
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
    summaryLine(outcome, collector.latestObservation().resourceStatuses, options.target, elapsed());
  const pendingLines = (
    collector: ResourceStatusCollector,
    diagnostics?: ReadonlyMap<string, Diagnostics>,
  ) =>
    notReady(collector.latestObservation().resourceStatuses).flatMap((s) => {
      const d = diagnostics?.get(identifierKey(s.identifier));
      if (d) return renderDiagnostics(s, d);
      // A resource the engine never got to (fail-fast, an early stop) has no message of its own.
      return s.status === "Unknown" && !s.message && !s.error && !s.resource
        ? [`  ${formatEventLine(s)}: not read yet`]
        : [`  ${formatEventLine(s)}`];
    });

  switch (options.mode) {
    case "events": {
      // The engine also reports changes deeper in the tree; a line that reads the same as
      // the last one for that resource tells nothing new.
      const printed = new Map<string, string>();
      return {
        warning(ev) {
          out(warningLine(ev));
        },
        notice(text) {
          out(`note: ${escapeControl(text)}`);
        },
        event(event) {
          if (event.type === "ResourceUpdate") {
            const key = identifierKey(event.resource.identifier);
            const line = formatEventLine(event.resource);
            if (printed.get(key) !== line) out(line);
            printed.set(key, line);
          }
        },
        finish(outcome, collector, _code, diagnostics) {
          out(summary(outcome, collector));
          if (outcome.kind !== "goal" && outcome.kind !== "once") {
            for (const line of pendingLines(collector, diagnostics)) out(line);
          } else {
            const statuses = collector.latestObservation().resourceStatuses;
            for (const line of diagnosticsBlocks(statuses, diagnostics)) out(line);
          }
        },
      };
    }
    case "json": {
      let errorPrinted = false;
      return {
        warning(ev) {
          out(
            JSON.stringify({
              schemaVersion: SCHEMA_VERSION,
              type: "event",
              timestamp: rfc3339(new Date(options.now())),
              event: ev,
            }),
          );
        },
        notice(text) {
          out(JSON.stringify({
            schemaVersion: SCHEMA_VERSION,
            type: "note",
            timestamp: rfc3339(new Date(options.now())),
            text,
          }));
        },
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
        finish(outcome, collector, exitCode, diagnostics) {
          const statuses = collector.latestObservation().resourceStatuses;
          const resource = (s: ResourceStatus) => {
            const d = diagnostics?.get(identifierKey(s.identifier));
            return d ? { ...jsonResource(s, false), diagnostics: d } : jsonResource(s, false);
          };
          const now = new Date(options.now());
          // Exit 3 and 4 always have an error line: a refusal seen on one resource, or a timeout
          // while the cluster could not be reached, has no engine error.
          if ((exitCode === ExitCode.BadInput || exitCode === ExitCode.Cluster) && !errorPrinted) {
            const error = "error" in outcome
              ? outcome.error
              : statuses.map((s) => s.error).find((e) => e !== undefined) ??
                new Error(summaryLine(outcome, statuses, options.target, elapsed()));
            out(jsonErrorLine(error, now, exitCode));
          }
          out(jsonSummaryLine({
            goal: options.goal,
            result: outcome.kind,
            exitCode,
            elapsedMs: elapsed(),
            message: summaryLine(outcome, statuses, options.target, elapsed()),
            resources: statuses.map(resource),
            ...(options.stats ? { stats: options.stats() } : {}),
          }, now));
        },
      };
    }
    case "quiet":
      // -q: the summary line only.
      return {
        warning() {},
        notice() {},
        event() {},
        finish(outcome, collector) {
          out(summary(outcome, collector));
        },
      };
    case "explain":
      // `kstatus explain`: one block per resource under its status line, then the summary.
      return {
        warning() {},
        notice() {},
        event() {},
        finish(outcome, collector, _code, diagnostics) {
          const statuses = collector.latestObservation().resourceStatuses;
          for (const s of statuses) {
            const d = diagnostics?.get(identifierKey(s.identifier));
            for (const line of d ? renderDiagnostics(s, d) : [`  ${formatEventLine(s)}`]) out(line);
          }
          out(summary(outcome, collector));
        },
      };
    case "table":
      // Off a terminal the table is printed once, at the end: live events are not shown.
      return {
        warning() {},
        notice() {},
        event() {},
        finish(outcome, collector, _code, diagnostics) {
          for (const line of table(collector)) out(line);
          out(summary(outcome, collector));
          const statuses = collector.latestObservation().resourceStatuses;
          for (const line of diagnosticsBlocks(statuses, diagnostics)) out(line);
        },
      };
    case "live": {
      const region = createLiveRegion(out, size);
      let last: ResourceStatusCollector | undefined;
      // The newest Warning events, under the table.
      const warnings: string[] = [];
      const block = (c: ResourceStatusCollector) => [
        header(c),
        ...table(c, live),
        ...(warnings.length > 0 ? ["", ...warnings.map(fit)] : []),
      ];
      let live = true;
      let drawnAt = -Infinity;
      let pending: ReturnType<typeof setTimeout> | undefined;
      const draw = (c: ResourceStatusCollector) => {
        drawnAt = options.now();
        region.draw(block(c));
      };
      // Redraw every second so the elapsed time moves even when nothing changes, and at once
      // when the terminal is resized.
      const timer = setInterval(() => last && draw(last), 1000);
      const stopResize = options.onResize?.(() => last && draw(last));
      return {
        warning(ev) {
          warnings.push(warningLine(ev));
          if (warnings.length > LIVE_WARNINGS) warnings.shift();
          if (last) draw(last);
        },
        notice(text) {
          warnings.push(`note: ${escapeControl(text)}`);
          if (warnings.length > LIVE_WARNINGS) warnings.shift();
          if (last) draw(last);
        },
        event(event, collector) {
          last = collector;
          if (event.type !== "ResourceUpdate" || pending) return;
          // A small table is redrawn at every change, as it comes. A large one at most a few
          // times a second, once for the events of one turn (a poll cycle's come together): a
          // rollout of thousands sends events by the thousand, and each frame sorts and lays out
          // every row.
          if (collector.size <= DRAW_EVERY_EVENT_UP_TO) return draw(collector);
          const wait = Math.max(0, drawnAt + DRAW_EVERY_MS - options.now());
          pending = setTimeout(() => {
            pending = undefined;
            draw(collector);
          }, wait);
        },
        finish(outcome, collector, _code, diagnostics) {
          clearInterval(timer);
          stopResize?.();
          live = false;
          clearTimeout(pending);
          region.draw(block(collector), { fit: false });
          out(summary(outcome, collector));
          const statuses = collector.latestObservation().resourceStatuses;
          for (const line of diagnosticsBlocks(statuses, diagnostics)) out(line);
        },
      };
    }
  }
}
