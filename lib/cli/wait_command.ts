/**
 * `kstatus wait` and `kstatus status`: poll a cluster until a goal is
 * reached (or look once), show progress, and turn the outcome into an exit
 * code.
 *
 * @module
 */

import { isRefusal, isUnreachable } from "../cluster/errors.ts";
import { type Clock, systemClock } from "../engine/clock.ts";
import { ResourceStatusCollector } from "../engine/collector.ts";
import { createStatusPoller } from "../polling.ts";
import { tickRecheck } from "../rules/tick_recheck.ts";
import { InputError, KstatusError } from "../errors.ts";
import type { FailOnReason } from "../../readers/fail_on.ts";
import { identifierKey } from "../groupkind.ts";
import type { KubeObject, ObjectIdentifier, ResourceStatus } from "../types.ts";
import { formatDuration } from "../printers/format.ts";
import type { Connection, ConnectionFlags, Connector, ReaderChoice } from "./connection.ts";
import { CliExit, ExitCode } from "./exit_codes.ts";
import { missingNamespace, namespacesOfNotFound, notFoundNote } from "./first_look.ts";
import { createReporter, type Outcome, type ReportMode } from "./reporter.ts";
import type { Reporter, ReporterOptions } from "./reporter.ts";
import {
  lazyRuleSetFromFlags,
  type RuleFlags,
  ruleSetFromFlags,
  wantsStrict,
} from "./rule_flags.ts";
import { deferredCel, hasCelGoal, preparedReaders } from "./deferred_judging.ts";
import { strictWarnings } from "./strict_preflight.ts";
import { resolveTargets, type StdinReader, type TargetFlags } from "./targets.ts";
import type { RuleSet } from "../rules/rule_set.ts";
import { collectDiagnostics } from "../diagnostics/collect.ts";
import { watchWarningEvents } from "../diagnostics/live.ts";
import { flatten } from "../diagnostics/tree.ts";
import type { Diagnostics, DiagnosticsOptions } from "../diagnostics/types.ts";
import { notReady } from "./reporter.ts";
import { FOR_ANNOTATION, objectChoice } from "../goals/annotations.ts";
import { type CelSupport, compileGoal, type Goal } from "../goals/check.ts";
import { type GoalSpec, goalsText, goalTarget } from "../goals/goal.ts";
import { createGoalJudge, type KnownChoice } from "../goals/judge.ts";
import type { ManifestObject } from "../manifests.ts";
import { sleep } from "../sleep.ts";
import { escapeControl } from "../text/escape.ts";

/** Everything `wait` and `status` take from the command line. */
export interface WaitCommandOptions extends TargetFlags, ConnectionFlags, Partial<RuleFlags> {
  /** What to wait for (`--for`, all must hold); `status` looks with `current`. */
  goals: GoalSpec[];
  /** `--require-observed`; undefined: on when the goals include `complete`. */
  requireObserved?: boolean;
  /** End at once on a failure that cannot recover by itself (`--no-fail-terminal`: false). */
  failTerminal?: boolean;
  /** Give up after this many ms (0: never). */
  timeoutMs: number;
  /** Milliseconds between polls. */
  intervalMs: number;
  /** Cluster reader. */
  reader: ReaderChoice;
  /** Output mode. */
  output: "auto" | "table" | "events" | "json";
  /** Stop as soon as a resource Failed. */
  failFast: boolean;
  /** Pod problems that count as Failed at once (`--fail-on`). */
  failOn?: readonly FailOnReason[];
  /** Look once and report (`kstatus status`). */
  once: boolean;
  /** `-q`: the summary only. */
  quiet?: boolean;
  /** `-v`: each request on stderr. */
  verbose?: boolean;
  /**
   * Diagnostics for the resources not at their goal when the wait ends badly (and for `status`,
   * those not Current); `false` or absent: none.
   */
  diagnostics?: DiagnosticsOptions | false;
  /** `kstatus explain`: look once and give the diagnostics of every resource, whatever its status. */
  explain?: boolean;
  /** `--events`: Warning events of the resources and their children printed as they arrive. */
  liveEvents?: boolean;
}

/** What the command runs with; tests replace parts. */
export interface WaitDeps {
  /** Line writers. */
  out: (line: string) => void;
  /** Line writer for stderr. */
  err: (line: string) => void;
  /** Environment. */
  env: Record<string, string | undefined>;
  /** Stdout is a terminal. */
  isTerminal: boolean;
  /** Terminal width, if known. */
  columns?: number;
  /** Terminal height, if known. */
  rows?: number;
  /** The terminal's size now (0 or undefined: unknown); read again at each redraw. */
  terminalSize?: () => { columns?: number; rows?: number };
  /** Calls `listener` when the terminal is resized (SIGWINCH); returns how to stop. */
  onResize?: (listener: () => void) => () => void;
  /** Opens the cluster connection. */
  connect: Connector;
  /** Reads stdin for `-f -`. */
  readStdin?: StdinReader;
  /** Aborted on SIGINT/SIGTERM; `reason` is the signal name. */
  interrupt?: AbortSignal;
  /** Time source. */
  clock?: Clock;
  /** Makes the reporter (default {@linkcode createReporter}); several contexts merge theirs. */
  reporter?: (options: ReporterOptions) => Reporter;
}

/** Runs `wait` (or `status` with `once`) and returns the exit code. */
export async function runWait(options: WaitCommandOptions, deps: WaitDeps): Promise<number> {
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  const controller = new AbortController();
  const interrupted = () => controller.abort(deps.interrupt?.reason);
  deps.interrupt?.addEventListener("abort", interrupted, { once: true });
  if (deps.interrupt?.aborted) interrupted();
  let timedOut = false;
  const timer = options.timeoutMs > 0 && !options.once
    ? setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException("timed out", "TimeoutError"));
    }, options.timeoutMs)
    : undefined;

  // Before polling starts (connecting, reading stdin) a signal or the timeout ends the command
  // at once, even when what it waits on cannot be cancelled (a stdin that stays open).
  let waitingFor = "before the resources to wait for were known";
  let conn: Connection | undefined;
  const stoppedEarly = () =>
    timedOut
      ? stalledExit(conn, options.timeoutMs) ?? new CliExit(
        ExitCode.NotReady,
        `error: timed out after ${formatDuration(options.timeoutMs)} ${waitingFor}`,
      )
      : new CliExit(
        interruptCode(deps),
        `interrupted (${deps.interrupt?.reason === "SIGTERM" ? "SIGTERM" : "SIGINT"}) ` +
          waitingFor,
      );
  try {
    // Rules first: a malformed rules file is bad input, said before any connection is made.
    // Like connecting, it ends at once on a signal or the timeout (`--rules -` with an open stdin).
    let ruleSet: RuleSet;
    let cel: CelSupport;
    let goals: Goal[];
    // Without rules files, manifests or a cel= goal, the rule pack and the CEL library load
    // only for an object read from the cluster that needs them (deferred_judging.ts).
    let deferred: { prepare: (obj: KubeObject) => Promise<unknown> | undefined } | undefined;
    try {
      const ruleFlags = { rules: options.rules ?? [], builtinRules: options.builtinRules ?? true };
      if (
        ruleFlags.rules.length === 0 && options.files.length === 0 &&
        !options.goals.some((g) => g.type === "cel")
      ) {
        const lazy = await lazyRuleSetFromFlags(ruleFlags);
        const later = deferredCel(loadCelSupport);
        [ruleSet, cel] = [lazy.set, later.cel];
        let celLoaded = false;
        deferred = {
          prepare: (obj) =>
            !celLoaded && hasCelGoal(obj)
              ? Promise.all([lazy.prepare(obj), later.ensure().then(() => celLoaded = true)])
              : lazy.prepare(obj),
        };
      } else {
        [ruleSet, cel] = await untilAborted(
          Promise.all([
            ruleSetFromFlags(ruleFlags, {
              readStdin: deps.readStdin,
              stdinTaken: options.files.includes("-"),
            }),
            loadCelSupport(),
          ]),
          controller.signal,
        );
      }
      goals = options.goals.map((g) => compileGoal(g, cel));
    } catch (e) {
      if (controller.signal.aborted) throw stoppedEarly();
      throw classify(e, "");
    }
    try {
      conn = await untilAborted(
        deps.connect({ ...options, logRequest: options.verbose ? deps.err : undefined }, deps.env),
        controller.signal,
        (c) => c.close(),
      );
    } catch (e) {
      if (controller.signal.aborted) throw stoppedEarly();
      throw classify(e, "");
    }
    let ids: ObjectIdentifier[];
    const known = new Map<string, KnownChoice>();
    const onManifest = (m: ManifestObject, id: ObjectIdentifier) => {
      const choice = manifestChoice(m, cel);
      if (choice) known.set(identifierKey(id), choice);
    };
    try {
      const emptyKinds: string[] = [];
      ids = await untilAborted(
        resolveTargets(options, conn, {
          readStdin: deps.readStdin,
          signal: controller.signal,
          onManifest,
          emptyKinds,
        }),
        controller.signal,
      );
      if (!options.once && options.goals.some((g) => g.type === "create") && emptyKinds.length) {
        ids = await untilSelectorMatches(
          ids,
          emptyKinds,
          options,
          conn,
          deps,
          controller.signal,
          (w) => {
            waitingFor = w;
          },
        );
      }
    } catch (e) {
      // Out of time while requests were out: what they waited on did not answer (exit 4, named).
      const stalled = timedOut ? stalledExit(conn, options.timeoutMs) : undefined;
      if (stalled) throw stalled;
      if (timedOut && conn.stats().requests > 0) {
        throw new CliExit(
          ExitCode.Cluster,
          `error: timed out after ${
            formatDuration(options.timeoutMs)
          }: the API server at ${conn.server} did not answer in time`,
        );
      }
      if (controller.signal.aborted) throw stoppedEarly();
      throw classify(e, conn.server);
    }
    if (ids.length === 0) {
      // Nothing to look at is a fine answer for `status` and for `--for deleted`; for any other
      // wait it is almost always a mistyped selector or an empty manifest, which CI must not pass.
      // A selector over a namespace that does not exist can never match: say that instead.
      const deletedOnly = options.goals.every((g) => g.type === "deleted");
      if ((options.selector || options.all) && !options.allNamespaces && !deletedOnly) {
        const missing = await missingNamespace(conn, [conn.namespace], controller.signal);
        if (missing) throw missing;
      }
      if (options.once || deletedOnly) {
        deps.err("no resources found");
        return ExitCode.Ok;
      }
      throw new CliExit(
        ExitCode.BadInput,
        `no resources found to wait for: ${what(options, conn.namespace)}`,
      );
    }
    if (wantsStrict({ rules: options.rules ?? [] }) && !options.once) {
      for (const line of await strictWarnings(conn.api, ids, controller.signal)) deps.err(line);
    }
    const judge = createGoalJudge({
      goals: options.once ? [compileGoal({ type: "current", text: "current" })] : goals,
      compile: (spec) => compileGoal(spec, cel),
      requireObserved: options.once ? false : options.requireObserved,
      failTerminal: !options.once && (options.failTerminal ?? true),
      startedAt,
      known,
    });
    return await pollUntilDone(
      options,
      deps,
      { ruleSet, judge: judge.judge, known, prepare: deferred?.prepare },
      conn,
      ids,
      controller,
      clock,
      startedAt,
      () => timedOut,
    );
  } finally {
    clearTimeout(timer);
    deps.interrupt?.removeEventListener("abort", interrupted);
    conn?.close();
  }
}

/** What judging a wait takes: the rule set, the goal judge, the choices from manifests. */
interface Judging {
  ruleSet: RuleSet;
  judge: (status: ResourceStatus) => ResourceStatus;
  known: ReadonlyMap<string, KnownChoice>;
  /** Awaited for each object read before it is judged, when judging is deferred. */
  prepare?: (obj: KubeObject) => Promise<unknown> | undefined;
}

async function pollUntilDone(
  options: WaitCommandOptions,
  deps: WaitDeps,
  { ruleSet, judge, known, prepare }: Judging,
  conn: Awaited<ReturnType<Connector>>,
  ids: ObjectIdentifier[],
  controller: AbortController,
  clock: Clock,
  startedAt: number,
  timedOut: () => boolean,
): Promise<number> {
  // A terminal that cannot move its cursor (TERM=dumb: Emacs shells, some CI logs) gets lines;
  // -v writes a line per request to stderr, which would break a block redrawn in place.
  const liveTable = deps.isTerminal && deps.env.TERM !== "dumb" && !options.verbose;
  const mode: ReportMode = options.explain && options.output !== "json"
    ? "explain"
    : options.quiet && options.output !== "json"
    ? "quiet"
    : options.output === "auto"
    ? (liveTable ? "live" : "events")
    : options.output === "table"
    ? (liveTable ? "live" : "table")
    : options.output;
  const color = deps.isTerminal && !deps.env.NO_COLOR && deps.env.TERM !== "dumb";
  const reporter = (deps.reporter ?? createReporter)({
    mode,
    out: deps.out,
    color,
    width: deps.columns,
    height: deps.rows,
    terminalSize: deps.terminalSize && (() => {
      const { columns, rows } = deps.terminalSize!();
      return { width: columns || undefined, height: rows || undefined };
    }),
    onResize: deps.onResize,
    quiet: options.quiet,
    now: () => clock.now(),
    startedAt,
    goal: options.once ? "current" : goalsText(options.goals),
    target: options.once ? "Current" : [...known.values()].some((c) => c.goals)
      // Some objects have goals of their own (kstatus.dev/for).
      ? `at goal (${goalsText(options.goals)}, or their own ${FOR_ANNOTATION})`
      : goalTarget(options.goals),
    stats: () => {
      const now = conn.stats();
      const steadyRequests = steadyFrom === undefined ? 0 : now.requests - steadyFrom;
      return { ...now, cycles, steadyRequests };
    },
  });
  const collector = new ResourceStatusCollector(ids);
  let cycles = 0;
  // The request count once the first cycle's sync is done (its LISTs and WATCHes sent): what
  // comes after is the steady state's.
  let steadyFrom: number | undefined;
  const engine = createStatusPoller({
    mapper: conn.api.mapper,
    clusterReaderFactory: prepare
      ? preparedReaders(conn.readerFactory(options.reader), prepare)
      : conn.readerFactory(options.reader),
    clock,
    failOn: options.failOn,
    compute: ruleSet.compute,
    transform: judge,
    // The watch reader reports every change: a tick need only read what time alone can change.
    tickRecheck,
  });
  const seen = new Set<string>();
  let firstLookDone = false;
  let badInput: CliExit | undefined;
  // Skipped by a manifest's annotation: listed at once, never read.
  const polled: ObjectIdentifier[] = [];
  for (const id of ids) {
    if (!known.get(identifierKey(id))?.skip) {
      polled.push(id);
      continue;
    }
    const event = { type: "ResourceUpdate" as const, resource: judge(unread(id)) };
    collector.apply(event);
    reporter.event(event, collector);
    seen.add(identifierKey(id));
  }
  let outcome: Outcome | undefined = polled.length === 0
    ? (options.once ? { kind: "once" } : { kind: "goal" })
    : undefined;
  const live = options.liveEvents && !options.once
    ? startLiveEvents(conn, polled, collector, reporter, controller.signal)
    : undefined;
  const events = outcome
    ? []
    : engine.poll(polled, { pollInterval: options.intervalMs, signal: controller.signal });
  for await (const event of events) {
    if (event.type === "Sync" && ++cycles === 1) steadyFrom = conn.stats().requests;
    collector.apply(event);
    reporter.event(event, collector);
    if (event.type === "Error") {
      outcome = isRefusal(event.error)
        ? { kind: "refused", error: event.error }
        : { kind: "error", error: event.error };
      break;
    }
    if (event.type !== "ResourceUpdate") continue;
    const refusal = findRefusal(event.resource);
    if (refusal) {
      outcome = { kind: "refused", error: refusal };
      break;
    }
    seen.add(identifierKey(event.resource.identifier));
    if (!firstLookDone && seen.size >= ids.length) {
      firstLookDone = true;
      const statuses = collector.latestObservation().resourceStatuses;
      // Not for a wait for deletion (a missing namespace is the goal reached) or creation (the
      // namespace may be on its way too).
      if (options.once || !options.goals.some((g) => g.type === "deleted" || g.type === "create")) {
        const missing = await missingNamespace(
          conn,
          namespacesOfNotFound(statuses),
          controller.signal,
        ).catch(() => undefined);
        if (missing) {
          badInput = missing;
          break;
        }
        const note = options.once ? undefined : notFoundNote(statuses);
        if (note) reporter.notice(note);
      }
    }
    if (options.once) {
      if (seen.size >= ids.length) {
        outcome = { kind: "once" };
        break;
      }
      continue;
    }
    if (collector.allAtGoal()) {
      outcome = { kind: "goal" };
      break;
    }
    if (options.failTerminal !== false && event.resource.goal?.terminal) {
      outcome = { kind: "failed" };
      break;
    }
    if (options.failFast && event.resource.status === "Failed") {
      outcome = { kind: "failed" };
      break;
    }
  }
  await live?.stop();
  if (badInput) {
    reporter.finish(
      { kind: "error", error: new Error(badInput.message.replace(/^error: /, "")) },
      collector,
      badInput.code,
    );
    badInput.summaryPrinted = true;
    throw badInput;
  }
  if (!outcome) {
    outcome = timedOut() ? { kind: "timeout" } : {
      kind: "interrupted",
      signal: deps.interrupt?.reason === "SIGTERM" ? "SIGTERM" : "SIGINT",
    };
  }
  const statuses = collector.latestObservation().resourceStatuses;
  // A wait that ran out of time while the cluster could not be reached says so (exit 4): the
  // resources may well be ready, nobody could tell.
  // `status` (once) likewise: every fault that stopped us reading is exit 4, in both commands.
  const unreachable = outcome.kind === "timeout" || outcome.kind === "once"
    ? statuses.map(findUnreachable).find((e) => e !== undefined)
    : undefined;
  // Out of time with nothing read while every request waited on something else than the
  // server (an exec plugin that has not answered): exit 4 naming it, as before polling.
  const stalled = outcome.kind === "timeout" && !statuses.some(wasRead)
    ? conn.stalledOn?.()
    : undefined;
  const code = (unreachable || stalled) && !statuses.some((s) => s.status === "Failed")
    ? ExitCode.Cluster
    : exitCodeFor(outcome, statuses, deps);
  // Diagnostics never change the exit code: a failure to gather them is a note, or at worst
  // a line on stderr.
  let diagnostics: Map<string, Diagnostics> | undefined;
  const explained = explainedStatuses(options, outcome, statuses);
  if (options.diagnostics && explained.length > 0) {
    try {
      const found = await collectDiagnostics(conn.api, explained, options.diagnostics);
      diagnostics = new Map(explained.map((s, i) => [identifierKey(s.identifier), found[i]]));
    } catch (e) {
      deps.err(`warning: diagnostics failed: ${(e as Error).message}`);
    }
  }
  reporter.finish(outcome, collector, code, diagnostics);
  // Exit code 4 gets one clear line on stderr whatever the output mode, as at setup.
  if (outcome.kind === "refused") {
    deps.err(
      `error: the cluster at ${conn.server} refused us: ${escapeControl(outcome.error.message)}`,
    );
  } else if (outcome.kind === "error") {
    deps.err(`error: ${escapeControl(outcome.error.message)}`);
  } else if (code === ExitCode.Cluster && stalled) {
    deps.err(
      `error: timed out after ${formatDuration(options.timeoutMs)}: ${escapeControl(stalled)}`,
    );
  } else if (code === ExitCode.Cluster && unreachable) {
    const prefix = outcome.kind === "timeout" ? "timed out: " : "";
    deps.err(`error: ${prefix}${escapeControl(serverNamed(unreachable, conn.server))}`);
  }
  return code;
}

/**
 * `--events`: Warning events of the tracked resources and their children printed as they arrive.
 * An event is ours when it is about an object of a tracked tree, or about an object named after
 * a tracked resource (`web-7d9c-x2` of `web`): a new pod's events can come before the pod is in
 * the tree.
 */
function startLiveEvents(
  conn: Connection,
  ids: readonly ObjectIdentifier[],
  collector: ResourceStatusCollector,
  reporter: ReturnType<typeof createReporter>,
  signal: AbortSignal,
): { stop(): Promise<void> } {
  const stopper = new AbortController();
  const both = AbortSignal.any([signal, stopper.signal]);
  const namespaces = [...new Set(ids.map((id) => id.namespace).filter(Boolean))];
  const ours = (namespace: string, kind: string, name: string) => {
    if (ids.some((id) => id.namespace === namespace && name.startsWith(`${id.name}-`))) return true;
    return collector.latestObservation().resourceStatuses.some((s) =>
      flatten(s).some((c) =>
        c.identifier.namespace === namespace && c.identifier.kind === kind &&
        c.identifier.name === name
      )
    );
  };
  const running = watchWarningEvents(conn.api, namespaces, {
    event(ev) {
      const slash = ev.object.indexOf("/");
      if (ours(ev.namespace, ev.object.slice(0, slash), ev.object.slice(slash + 1))) {
        reporter.warning(ev);
      }
    },
    note(namespace, text) {
      reporter.notice(`live ${text} in namespace ${namespace}`);
    },
  }, both).catch(() => {});
  return {
    async stop() {
      stopper.abort();
      await running;
    },
  };
}

/** The resources to explain: all for `explain`, else those not at the goal of a bad ending. */
function explainedStatuses(
  options: WaitCommandOptions,
  outcome: Outcome,
  statuses: ResourceStatus[],
): ResourceStatus[] {
  // A resource never read (an early stop) has nothing to explain.
  if (options.explain) return statuses.filter(wasRead);
  switch (outcome.kind) {
    case "failed":
    case "timeout":
    case "interrupted":
      return notReady(statuses).filter(wasRead);
    case "once":
      return statuses.filter((s) => s.status !== "Current" && wasRead(s));
    default:
      return [];
  }
}

function exitCodeFor(outcome: Outcome, statuses: ResourceStatus[], deps: WaitDeps): number {
  const anyFailed = statuses.some((s) => s.status === "Failed");
  switch (outcome.kind) {
    case "goal":
      return ExitCode.Ok;
    case "failed":
      return ExitCode.Failed;
    case "timeout":
      return anyFailed ? ExitCode.Failed : ExitCode.NotReady;
    case "once":
      if (anyFailed) return ExitCode.Failed;
      return statuses.every((s) => s.goal?.met) ? ExitCode.Ok : ExitCode.NotReady;
    case "interrupted":
      return interruptCode(deps);
    case "error":
    case "refused":
      return ExitCode.Cluster;
  }
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts; a value
 * that arrives after that is handed to `discard`.
 */
function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  discard?: (value: T) => void,
): Promise<T> {
  if (signal.aborted) {
    promise.then(discard, () => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      promise.then(discard, () => {});
      reject(signal.reason);
    };
    const settle = (finish: () => void) => {
      signal.removeEventListener("abort", onAbort);
      if (settled) return;
      settled = true;
      finish();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then((v) => settle(() => resolve(v)), (e) => settle(() => reject(e)));
  });
}

/** A resource read at least once (an object or an error came back). */
function wasRead(s: ResourceStatus): boolean {
  return s.resource !== undefined || s.error !== undefined;
}

/**
 * Exit 4 for a timeout that fired while every request waited on something else than the server
 * (an exec credential plugin that has not answered), naming it and how long it was waited on.
 */
function stalledExit(conn: Connection | undefined, timeoutMs: number): CliExit | undefined {
  const stalled = conn?.stalledOn?.();
  if (!stalled) return undefined;
  return new CliExit(
    ExitCode.Cluster,
    `error: timed out after ${formatDuration(timeoutMs)}: ${escapeControl(stalled)}`,
  );
}

/** An exec credential plugin that did not answer in time: nothing could be read. */
function isStalledCredential(e: unknown): boolean {
  return e instanceof Error && e.name === "ExecPluginError" &&
    (e as { timedOut?: unknown }).timedOut === true;
}

function interruptCode(deps: WaitDeps): number {
  return deps.interrupt?.reason === "SIGTERM" ? ExitCode.Terminated : ExitCode.Interrupted;
}

/** A 401/403 on the resource or any child: waiting will not fix it. */
function findRefusal(status: ResourceStatus): Error | undefined {
  if (status.error && isRefusal(status.error)) return status.error;
  for (const child of status.generatedResources) {
    const found = findRefusal(child);
    if (found) return found;
  }
  return undefined;
}

/**
 * The latest fault that stopped us reading the resource or any child: the API server could
 * not be reached, or answered with a server error (5xx, 429) even after retries.
 */
function findUnreachable(status: ResourceStatus): Error | undefined {
  const e = status.error;
  if (e && (isUnreachable(e) || isServerFault(e) || isStalledCredential(e))) return e;
  for (const child of status.generatedResources) {
    const found = findUnreachable(child);
    if (found) return found;
  }
  return undefined;
}

function isServerFault(e: Error): boolean {
  if (e.name === "BadResponseError") return true;
  const code = (e as { code?: unknown }).code;
  return typeof code === "number" && (code >= 500 || code === 429);
}

/** `message`, with the server named when it does not say which one it is about. */
function serverNamed(e: Error, server: string): string {
  if (isStalledCredential(e) || e.message.includes(server)) return e.message;
  return `the API server at ${server}: ${e.message}`;
}

/** Maps setup errors to exit codes: bad input 3, cluster unreachable or refusing 4. */
function classify(e: unknown, server: string): CliExit {
  if (e instanceof CliExit) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (
    isUnreachable(e) || isStalledCredential(e) ||
    (e instanceof Error && e.name === "BadResponseError")
  ) {
    return new CliExit(ExitCode.Cluster, `error: ${message}`);
  }
  if (isRefusal(e)) {
    return new CliExit(
      ExitCode.Cluster,
      `error: the cluster${server ? ` at ${server}` : ""} refused us: ${message}`,
    );
  }
  if (e instanceof Error && e.name === "NoMatchError") {
    return new CliExit(ExitCode.BadInput, `error: ${message}`);
  }
  if (e instanceof InputError) return new CliExit(ExitCode.BadInput, `error: ${message}`);
  // An answer from the API server (it has an HTTP code) is a cluster problem...
  if (e instanceof Error && typeof (e as { code?: unknown }).code === "number") {
    return new CliExit(ExitCode.Cluster, `error: ${server ? serverNamed(e, server) : message}`);
  }
  // ...our own errors before that point (kubeconfig, arguments) are bad input.
  if (e instanceof KstatusError) return new CliExit(ExitCode.BadInput, `error: ${message}`);
  throw e;
}

/** Names the inputs that matched nothing, for the error line. */
function what(options: WaitCommandOptions, namespace: string): string {
  const parts: string[] = [];
  if (options.selector || options.all) {
    parts.push(
      `${options.selector ? `-l ${options.selector} matched` : "--all found"} no ${
        options.kinds ?? options.args[0]
      } in ${options.allNamespaces ? "any namespace" : `namespace ${namespace}`}`,
    );
  }
  if (options.files.length > 0) parts.push(`${options.files.join(", ")} held no objects`);
  return parts.join("; ") || "no inputs";
}

/** A resource not read (skipped before polling). */
function unread(id: ObjectIdentifier): ResourceStatus {
  return { identifier: id, status: "Unknown", message: "", generatedResources: [] };
}

/** The CEL helpers of the rules, loaded when a command waits (never at start-up). */
async function loadCelSupport(): Promise<CelSupport> {
  const { celVariables, createCelCompiler, isAbsentFieldError } = await import(
    "../rules/cel.ts"
  );
  return {
    compiler: createCelCompiler(),
    variables: celVariables,
    isAbsentField: isAbsentFieldError,
  };
}

/** The choices in a manifest's annotations, compiled; errors name the file and line. */
function manifestChoice(m: ManifestObject, cel: CelSupport): KnownChoice | undefined {
  try {
    const choice = objectChoice(m.object);
    if (!choice) return undefined;
    return { skip: choice.skip, goals: choice.goal ? [compileGoal(choice.goal, cel)] : undefined };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(e.message, { file: m.file, line: m.line });
  }
}

/**
 * `--for create` with `-l`: lists again every interval until each of `--kinds` has a match
 * (kubectl's `--for=create`), then returns every target.
 */
async function untilSelectorMatches(
  ids: ObjectIdentifier[],
  emptyKinds: string[],
  options: WaitCommandOptions,
  conn: Connection,
  deps: WaitDeps,
  signal: AbortSignal,
  describe: (waitingFor: string) => void,
): Promise<ObjectIdentifier[]> {
  const where = options.allNamespaces ? "in any namespace" : `in namespace ${conn.namespace}`;
  const say = (kinds: string[]) =>
    `for ${kinds.join(", ")} matching -l ${options.selector} ${where} to be created`;
  deps.err(`waiting ${say(emptyKinds)}`);
  describe(`waiting ${say(emptyKinds)}`);
  const selectorOnly = { ...options, files: [], args: [] };
  const found = new Map(ids.map((id) => [identifierKey(id), id]));
  let missing = emptyKinds;
  while (missing.length > 0) {
    await sleep(options.intervalMs, signal);
    const empty: string[] = [];
    const more = await resolveTargets({ ...selectorOnly, kinds: missing.join(",") }, conn, {
      signal,
      emptyKinds: empty,
    });
    for (const id of more) found.set(identifierKey(id), id);
    missing = empty;
    describe(`waiting ${say(missing)}`);
  }
  return [...found.values()];
}
