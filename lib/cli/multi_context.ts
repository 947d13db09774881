/**
 * Several clusters in one run (`--context a --context b`, `--all-contexts`): the same wait runs
 * in each context at once, one engine and one reader per cluster, and their outputs are merged:
 * event lines prefixed with `[context]`, tables grouped under `CONTEXT name`, JSON lines carrying
 * `context`, then one summary and the exit code of the worst context.
 *
 * Worst first: interrupted (130/143) > 4 (cluster unreachable or refusing) > 3 (bad input) >
 * 1 (a resource Failed) > 2 (timed out, not ready) > 0. Failed ranks above timed out as it does
 * within one cluster (a wait that timed out with a Failed resource exits 1), so a run over several
 * clusters answers as the same resources in one cluster would.
 *
 * @module
 */

import { type Clock, systemClock } from "../engine/clock.ts";
import type { ResourceStatusCollector } from "../engine/collector.ts";
import { goalsText } from "../goals/goal.ts";
import { formatDuration } from "../printers/format.ts";
import { rfc3339 } from "../printers/json.ts";
import { createLiveRegion, renderTable } from "../printers/table.ts";
import { escapeControl } from "../text/escape.ts";
import type { ContextLister } from "./connection.ts";
import { readStdinText, type StdinSource } from "../manifest_input.ts";
import { CliExit, ExitCode } from "./exit_codes.ts";
import {
  createReporter,
  notReady,
  type Outcome,
  type Reporter,
  type ReporterOptions,
  summaryLine,
  warningLine,
} from "./reporter.ts";
import { runWait, type WaitCommandOptions, type WaitDeps } from "./wait_command.ts";

/** Which contexts a run covers: `--context` given several times, or `--all-contexts`. */
export interface ContextChoice {
  /** `--context` values, in the order given. */
  contexts: string[];
  /** `--all-contexts`. */
  all: boolean;
}

/** What a run over several contexts needs besides {@linkcode WaitDeps}. */
export interface MultiWaitDeps extends WaitDeps {
  /** Lists the kubeconfig's contexts; without it `--all-contexts` is refused. */
  listContexts?: ContextLister;
}

/** True when the flags ask for more than the single-context path. */
export function isMultiContext(choice: ContextChoice): boolean {
  return choice.all || new Set(choice.contexts).size > 1;
}

/** Exit codes from the worst down (see the module doc); anything else ranks last. */
const SEVERITY: readonly number[] = [
  ExitCode.Terminated,
  ExitCode.Interrupted,
  ExitCode.Cluster,
  ExitCode.BadInput,
  ExitCode.Failed,
  ExitCode.NotReady,
  ExitCode.Ok,
];

/** The worst of several exit codes. */
export function worstExitCode(codes: readonly number[]): number {
  const rank = (c: number) => SEVERITY.includes(c) ? SEVERITY.indexOf(c) : SEVERITY.length;
  return codes.reduce((worst, c) => rank(c) < rank(worst) ? c : worst, ExitCode.Ok as number);
}

/** With `--fail-fast`, the codes that stop the other contexts (a timeout ends them all anyway). */
const STOPS_OTHERS: readonly number[] = [ExitCode.Failed, ExitCode.BadInput, ExitCode.Cluster];

/** Why the other contexts were stopped, as the abort reason. */
const FAIL_FAST = "fail-fast";

/** How one context ended. */
interface LaneResult {
  context: string;
  code: number;
  /** Stopped by `--fail-fast` because another context failed. */
  stopped: boolean;
}

/** One context's share of the output. */
interface Lane {
  context: string;
  /** The reporter options `runWait` gave, once it got that far. */
  options?: ReporterOptions;
  /** The latest state, for the live table. */
  collector?: ResourceStatusCollector;
  /** How it ended, as the reporter was told. */
  outcome?: Outcome;
  /** The time `finish` was called, so its summary line can be rebuilt. */
  finishedAt?: number;
  /** The lines the reporter printed when the wait ended (summary, table, pending resources). */
  finishLines: string[];
  /** The message of an error that ended it before the wait (unreachable, bad input). */
  setupError?: string;
  /** Why it was stopped before its wait began (`--fail-fast`). */
  stoppedBefore?: string;
  /** Its stderr lines, unprefixed. */
  errLines: string[];
}

/**
 * Runs `wait` (or `status`, `explain`) in every chosen context at once and returns the exit
 * code of the worst one. A context that cannot be reached is reported and the others go on,
 * unless `--fail-fast`, which stops them on the first context that fails.
 */
export async function runMultiWait(
  options: WaitCommandOptions,
  choice: ContextChoice,
  deps: MultiWaitDeps,
): Promise<number> {
  const contexts = await chooseContexts(options, choice, deps);
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  const stop = new AbortController();
  const interrupt = deps.interrupt ? AbortSignal.any([deps.interrupt, stop.signal]) : stop.signal;
  const readStdin = deps.readStdin && once(deps.readStdin);
  const view = createView(options, deps, contexts, clock, startedAt);
  try {
    return await runLanes(options, deps, view, stop, interrupt, readStdin);
  } finally {
    view.close();
  }
}

async function runLanes(
  options: WaitCommandOptions,
  deps: MultiWaitDeps,
  view: View,
  stop: AbortController,
  interrupt: AbortSignal,
  readStdin: (() => Promise<string>) | undefined,
): Promise<number> {
  const settled = await Promise.allSettled(view.lanes.map(async (lane): Promise<LaneResult> => {
    const context = lane.context;
    let code: number;
    let setupError: string | undefined;
    try {
      code = await runWait({ ...options, context }, {
        ...deps,
        out: view.out(lane),
        err: view.err(lane),
        readStdin,
        interrupt,
        reporter: view.reporter(lane),
      });
    } catch (e) {
      if (!(e instanceof CliExit)) {
        stop.abort(e);
        throw e;
      }
      code = e.code;
      setupError = e.message;
    }
    const stopped = stop.signal.reason === FAIL_FAST && !deps.interrupt?.aborted &&
      (code === ExitCode.Interrupted || code === ExitCode.Terminated);
    // A context stopped while connecting was told it was interrupted: not worth a line.
    if (setupError !== undefined && !stopped) view.setupError(lane, setupError);
    if (options.failFast && STOPS_OTHERS.includes(code) && !stop.signal.aborted) {
      stop.abort(FAIL_FAST);
    }
    return { context, code, stopped };
  }));
  const failure = settled.find((s) => s.status === "rejected");
  if (failure) throw (failure as PromiseRejectedResult).reason;
  const results = settled.map((s) => (s as PromiseFulfilledResult<LaneResult>).value);
  const code = worstExitCode(results.filter((r) => !r.stopped).map((r) => r.code));
  view.finish(results, code);
  return code;
}

/** The contexts to run in, each once; errors are bad input (exit 3). */
async function chooseContexts(
  options: WaitCommandOptions,
  choice: ContextChoice,
  deps: MultiWaitDeps,
): Promise<string[]> {
  if (!choice.all) return [...new Set(choice.contexts)];
  if (choice.contexts.length > 0) {
    throw new CliExit(ExitCode.BadInput, "error: --all-contexts and --context exclude each other");
  }
  if (!deps.listContexts) {
    throw new CliExit(ExitCode.BadInput, "error: --all-contexts needs a kubeconfig");
  }
  let names: string[];
  try {
    names = await deps.listContexts(options, deps.env);
  } catch (e) {
    throw new CliExit(ExitCode.BadInput, `error: ${(e as Error).message}`);
  }
  if (names.length === 0) {
    throw new CliExit(ExitCode.BadInput, "error: --all-contexts: the kubeconfig has no contexts");
  }
  return names;
}

/** Reads stdin once for every context (`-f -`, `--rules -`). */
/** Stdin read once, as text, for every context (a byte stream can be consumed only once). */
function once(read: StdinSource): () => Promise<string> {
  let text: Promise<string> | undefined;
  return () => text ??= readStdinText(read);
}

/** The merged output of the contexts. */
interface View {
  lanes: Lane[];
  out(lane: Lane): (line: string) => void;
  err(lane: Lane): (line: string) => void;
  reporter(lane: Lane): (options: ReporterOptions) => Reporter;
  setupError(lane: Lane, message: string): void;
  finish(results: LaneResult[], code: number): void;
  /** Stops redrawing (the live board), whether or not `finish` ran. */
  close(): void;
}

function createView(
  options: WaitCommandOptions,
  deps: MultiWaitDeps,
  contexts: string[],
  clock: Clock,
  startedAt: number,
): View {
  const json = options.output === "json";
  const live = !json && !options.explain && deps.isTerminal &&
    (options.output === "auto" || options.output === "table");
  const events = !json && !options.explain && !live && options.output !== "table";
  const lanes: Lane[] = contexts.map((context) => ({ context, finishLines: [], errLines: [] }));
  const prefix = (lane: Lane) => `[${escapeControl(lane.context)}] `;
  // Stderr lines written while the live table is drawn would shift it: they wait for the end.
  const deferred: string[] = [];
  const board = live ? createBoard(lanes, deps, clock) : undefined;
  // While a lane's reporter finishes, its lines are kept for the one summary at the end.
  const capturing = new Set<Lane>();
  const out = (lane: Lane) => (line: string) => {
    if (capturing.has(lane)) lane.finishLines.push(line);
    else if (json) deps.out(withContext(line, lane.context));
    else deps.out(prefix(lane) + line);
  };

  return {
    lanes,
    out,
    err: (lane) => (line) => {
      lane.errLines.push(line);
      if (live) deferred.push(prefix(lane) + line);
      else deps.err(prefix(lane) + line);
    },
    reporter: (lane) => (ropts) => {
      // The summary line of a stopped context is rebuilt from the same clock reading.
      const reporterOptions: ReporterOptions = {
        ...ropts,
        now: () => lane.finishedAt ?? ropts.now(),
        // The live board draws every context; the final block is the table of each.
        mode: live ? "table" : ropts.mode,
        out: out(lane),
      };
      lane.options = reporterOptions;
      const inner = createReporter(reporterOptions);
      return {
        event(event, collector) {
          lane.collector = collector;
          if (board) board.draw();
          else inner.event(event, collector);
        },
        warning(ev) {
          if (board) board.note(prefix(lane) + warningLine(ev));
          else inner.warning(ev);
        },
        notice(text) {
          if (board) board.note(`${prefix(lane)}note: ${escapeControl(text)}`);
          else inner.notice(text);
        },
        finish(outcome, collector, code, diagnostics) {
          lane.collector = collector;
          lane.outcome = outcome;
          lane.finishedAt = ropts.now();
          capturing.add(lane);
          try {
            inner.finish(outcome, collector, code, diagnostics);
          } finally {
            capturing.delete(lane);
          }
          board?.draw();
        },
      };
    },
    setupError(lane, message) {
      lane.setupError = message.replace(/^error: /, "");
      if (message) {
        if (live) deferred.push(prefix(lane) + message);
        else deps.err(prefix(lane) + message);
      }
      if (json && message) {
        deps.out(JSON.stringify({
          type: "error",
          context: lane.context,
          timestamp: rfc3339(new Date(clock.now())),
          error: lane.setupError,
        }));
      }
      board?.draw();
    },
    finish(results, code) {
      const elapsed = clock.now() - startedAt;
      for (const r of results) {
        if (r.stopped) markStopped(lanes.find((l) => l.context === r.context)!, results, json);
      }
      const overall = overallLine(results, code, elapsed, options.once);
      if (json) {
        deps.out(jsonSummary(lanes, results, code, elapsed, options, clock));
      } else if (events) {
        for (const lane of lanes) for (const line of laneBlock(lane)) deps.out(prefix(lane) + line);
        deps.out(overall);
      } else {
        const block = lanes.flatMap((
          lane,
        ) => [`CONTEXT ${escapeControl(lane.context)}`, ...laneBlock(lane), ""]);
        if (board) board.last([...block, overall]);
        else for (const line of [...block, overall]) deps.out(line);
      }
      for (const line of deferred) deps.err(line);
      deferred.length = 0;
    },
    close() {
      board?.stop();
      for (const line of deferred) deps.err(line);
    },
  };
}

/** What a context's final block says: its reporter's lines, or why it never got that far. */
function laneBlock(lane: Lane): string[] {
  if (lane.stoppedBefore !== undefined) return [lane.stoppedBefore];
  if (lane.setupError !== undefined) return [`error: ${lane.setupError}`];
  if (lane.finishLines.length > 0) return lane.finishLines;
  return lane.errLines.length > 0 ? lane.errLines : ["nothing to report"];
}

/**
 * A context stopped by `--fail-fast` was told it was interrupted: its summary says what
 * happened instead.
 */
function markStopped(lane: Lane, results: LaneResult[], json: boolean): void {
  const culprits = results.filter((r) => !r.stopped && STOPS_OTHERS.includes(r.code));
  const because = `stopped by --fail-fast (${
    culprits.map((r) => escapeControl(r.context)).join(", ")
  } failed)`;
  if (!lane.options || !lane.outcome || !lane.collector || lane.finishedAt === undefined) {
    lane.stoppedBefore = because;
    return;
  }
  const statuses = lane.collector.latestObservation().resourceStatuses;
  const said = summaryLine(
    lane.outcome,
    statuses,
    lane.options.target,
    lane.finishedAt - lane.options.startedAt,
  );
  const pending = notReady(statuses).length;
  const instead = `${because} after ${formatDuration(lane.finishedAt - lane.options.startedAt)}: ` +
    `${pending} of ${statuses.length} not ${lane.options.target}`;
  lane.finishLines = lane.finishLines.map((line) => {
    if (!json) return line === said ? instead : line;
    const parsed = JSON.parse(line);
    return parsed.type === "summary"
      ? JSON.stringify({ ...parsed, result: "stopped", message: instead })
      : line;
  });
}

/** The last line: each context's ending, grouped, and the exit code. */
function overallLine(results: LaneResult[], code: number, elapsedMs: number, once: boolean) {
  const groups = new Map<string, string[]>();
  for (const r of results) {
    const label = r.stopped ? "stopped" : codeLabel(r.code, once);
    groups.set(label, [...groups.get(label) ?? [], escapeControl(r.context)]);
  }
  const parts = [...groups].map(([label, names]) =>
    `${names.length} ${label} (${names.join(", ")})`
  );
  return `${results.length} contexts after ${formatDuration(elapsedMs)}: ${
    parts.join(", ")
  }; exit ${code}`;
}

function codeLabel(code: number, once: boolean): string {
  switch (code) {
    case ExitCode.Ok:
      return once ? "all Current" : "at goal";
    case ExitCode.Failed:
      return "Failed";
    case ExitCode.NotReady:
      return once ? "not ready" : "timed out";
    case ExitCode.BadInput:
      return "bad input";
    case ExitCode.Cluster:
      return "unreachable or refusing";
    default:
      return "interrupted";
  }
}

/** A JSON line with `context` after its `type`. */
function withContext(line: string, context: string): string {
  const parsed = JSON.parse(line);
  return JSON.stringify({ type: parsed.type, context, ...parsed });
}

/**
 * The one JSON summary: the single-context fields for the whole run (`result` is that of the
 * context that decided the exit code), `contexts` with each context's own summary, and every
 * resource with its `context`.
 */
function jsonSummary(
  lanes: Lane[],
  results: LaneResult[],
  code: number,
  elapsedMs: number,
  options: WaitCommandOptions,
  clock: Clock,
): string {
  const perContext = lanes.map((lane, i) => {
    const summary = lane.finishLines.map((l) => JSON.parse(l)).find((o) => o.type === "summary");
    const { context, code: exitCode, stopped } = results[i];
    if (summary && lane.setupError === undefined) {
      const { type: _t, timestamp: _ts, goal: _g, ...rest } = summary;
      return { context, ...rest };
    }
    return {
      context,
      result: stopped ? "stopped" : exitCode >= ExitCode.Interrupted ? "interrupted" : "error",
      exitCode,
      message: lane.stoppedBefore ?? lane.setupError ?? lane.errLines.join("; "),
    };
  });
  const deciding = perContext.find((c, i) => !results[i].stopped && c.exitCode === code);
  return JSON.stringify({
    type: "summary",
    timestamp: rfc3339(new Date(clock.now())),
    goal: lanes.find((l) => l.options)?.options?.goal ??
      (options.once ? "current" : goalsText(options.goals)),
    result: deciding?.result ?? "goal",
    exitCode: code,
    elapsedMs: Math.round(elapsedMs),
    message: overallLine(results, code, elapsedMs, options.once),
    contexts: perContext,
    resources: perContext.flatMap((c) =>
      ((c as { resources?: object[] }).resources ?? []).map((r) => ({ context: c.context, ...r }))
    ),
  });
}

/** The live table of every context, redrawn in place. */
interface Board {
  draw(): void;
  /** A Warning event or note, shown under the tables. */
  note(line: string): void;
  /** Draws the final block, whole, and stops redrawing. */
  last(lines: string[]): void;
  /** Stops redrawing. */
  stop(): void;
}

/** How many live Warning events the board shows. */
const LIVE_NOTES = 5;

function createBoard(lanes: Lane[], deps: MultiWaitDeps, clock: Clock): Board {
  const region = createLiveRegion(deps.out, { width: deps.columns, height: deps.rows });
  const notes: string[] = [];
  const color = !deps.env.NO_COLOR && deps.env.TERM !== "dumb";
  const block = () => [
    ...lanes.flatMap((lane) => {
      if (lane.setupError !== undefined) {
        return [`CONTEXT ${escapeControl(lane.context)}  error: ${lane.setupError}`];
      }
      if (!lane.collector || !lane.options) {
        return [`CONTEXT ${escapeControl(lane.context)}  connecting…`];
      }
      const statuses = lane.collector.latestObservation().resourceStatuses;
      const done = statuses.length - notReady(statuses).length;
      const failed = statuses.filter((s) => s.status === "Failed").length;
      const target = lane.options.target.replace(/ \(.*\)$/, "");
      const elapsed = formatDuration((lane.finishedAt ?? clock.now()) - lane.options.startedAt);
      return [
        `CONTEXT ${escapeControl(lane.context)}  ${done}/${statuses.length} ${target}${
          failed ? `, ${failed} Failed` : ""
        }  (${elapsed})`,
        ...renderTable(statuses, { color, width: deps.columns, nowMs: clock.now() }),
      ];
    }),
    ...(notes.length > 0 ? ["", ...notes] : []),
  ];
  let done = false;
  const draw = () => {
    if (!done) region.draw(block());
  };
  // Redraw every second so the elapsed times move even when nothing changes.
  const timer = setInterval(draw, 1000);
  const stop = () => {
    done = true;
    clearInterval(timer);
  };
  return {
    stop,
    draw,
    note(line) {
      notes.push(line);
      if (notes.length > LIVE_NOTES) notes.shift();
      draw();
    },
    last(lines) {
      stop();
      region.draw(lines, { fit: false });
    },
  };
}
