/**
 * Registers `wait` and `status` on the command tree.
 *
 * @module
 */

import { FAIL_ON_REASONS, type FailOnReason, parseFailOn } from "../../readers/fail_on_reasons.ts";
import { type Command, Option } from "../deps/commander.ts";
import { parseSelector, SelectorError } from "../selector.ts";
import { InputError } from "../errors.ts";
import { GOAL_USAGE, parseGoals } from "../goals/goal.ts";
import type { Connector, ContextLister, ReaderChoice } from "./connection.ts";
import { parseDuration } from "./duration.ts";
import { CliExit, ExitCode } from "./exit_codes.ts";
import { addRuleOptions, type RuleFlags } from "./rule_flags.ts";
import {
  addDiagnosticsOptions,
  type DiagnosticsFlags,
  diagnosticsFromFlags,
} from "./diagnostics_flags.ts";
import type { WaitCommandOptions, WaitDeps } from "./wait_command.ts";

/** The engine, the readers and the printers load when `wait` or `status` runs, not at start-up. */
async function runWait(options: WaitCommandOptions, deps: WaitDeps): Promise<number> {
  return (await import("./wait_command.ts")).runWait(options, deps);
}

interface RawFlags extends RuleFlags, DiagnosticsFlags {
  all?: boolean;
  as?: string;
  asGroup: string[];
  quiet?: boolean;
  verbose?: boolean;
  filename: string[];
  recursive: boolean;
  selector?: string;
  kinds?: string;
  allNamespaces?: boolean;
  namespace?: string;
  context: string[];
  allContexts?: boolean;
  kubeconfig?: string;
  for: string[];
  requireObserved?: boolean;
  failTerminal?: boolean;
  timeout?: string;
  requestTimeout: string;
  interval: string;
  reader?: ReaderChoice;
  output: WaitCommandOptions["output"];
  failFast?: boolean;
  failOn?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** An option whose default can come from the environment (`KSTATUS_*`), shown in `--help`. */
function envOption(flags: string, description: string, env: string): Option {
  return new Option(flags, description).env(env);
}

function addCommonOptions(cmd: Command): Command {
  cmd
    .argument(
      "[TARGET...]",
      "resources: KIND/NAME (deploy/web sts/db), or TYPE NAME... as kubectl takes them " +
        "(deployment web api)",
    )
    .optionsGroup("Targets:")
    .option(
      "-f, --filename <path>",
      "manifest file, directory or - for stdin (repeatable)",
      collect,
      [],
    )
    .option("-R, --recursive", "read directories recursively", false)
    .option(
      "-l, --selector <selector>",
      "label selector, with --kinds or a TYPE (app=web,tier!=db)",
    )
    .option("--kinds <kinds>", "kinds for -l and --all, comma-separated (deploy,sts)")
    .option("--all", "every object of --kinds (or of the TYPE) in the namespace")
    .option("-A, --all-namespaces", "with -l or --all: select in every namespace")
    .addOption(
      envOption(
        "-n, --namespace <namespace>",
        "namespace for objects that name none",
        "KSTATUS_NAMESPACE",
      ),
    )
    .optionsGroup("Cluster:")
    .addOption(
      envOption(
        "--context <context>",
        "kubeconfig context to use (repeatable: the same wait in each cluster at once)",
        "KSTATUS_CONTEXT",
      ).argParser(collect).default([], "the kubeconfig's current context"),
    )
    .option("--all-contexts", "run in every context of the kubeconfig at once")
    .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG or ~/.kube/config)")
    .option("--as <user>", "act as this user (impersonation)")
    .option(
      "--as-group <group>",
      "act as a member of this group, with --as (repeatable)",
      collect,
      [],
    )
    .addOption(
      new Option(
        "--reader <reader>",
        "how to read the cluster: watch (changes as they happen; default for wait), caching " +
          "(one LIST per kind and namespace per poll; default for status), direct (a GET per object)",
      ).choices(["caching", "direct", "watch"]).env("KSTATUS_READER"),
    )
    .addOption(
      envOption(
        "--request-timeout <duration>",
        "give up on one server request after this long, as kubectl (0: the built-in deadlines, " +
          "30s to connect and answer, 30s of silence in a response)",
        "KSTATUS_REQUEST_TIMEOUT",
      ).default("0"),
    )
    .addOption(
      envOption("--interval <duration>", "time between polls", "KSTATUS_INTERVAL").default("2s"),
    )
    .optionsGroup("Verdicts:");
  addRuleOptions(cmd)
    .addOption(
      envOption(
        "--fail-on <reasons>",
        "pod problems that count as Failed at once, for the pod and its owners (comma-separated, " +
          `or all): ${FAIL_ON_REASONS.join(",")}`,
        "KSTATUS_FAIL_ON",
      ),
    )
    .optionsGroup("Output:")
    .addOption(
      new Option("-o, --output <format>", "auto: live table on a terminal, events otherwise")
        .choices(["auto", "table", "events", "json"]).default("auto").env("KSTATUS_OUTPUT"),
    )
    .option("-q, --quiet", "print only the summary (and, with -o json, only the summary line)")
    .option("-v, --verbose", "print each request to stderr: method, URL, status, time");
  return cmd;
}

function toOptions(
  args: string[],
  raw: RawFlags,
  once: boolean,
  explain = false,
): WaitCommandOptions {
  let intervalMs: number;
  let timeoutMs = 0;
  let requestTimeoutMs: number;
  try {
    intervalMs = parseDuration(raw.interval, "--interval");
    requestTimeoutMs = parseDuration(raw.requestTimeout, "--request-timeout");
    if (!once) timeoutMs = parseDuration(raw.timeout ?? "5m", "--timeout");
  } catch (e) {
    throw new CliExit(ExitCode.BadInput, `error: ${(e as Error).message}`);
  }
  if (intervalMs <= 0) throw new CliExit(ExitCode.BadInput, "error: --interval must be above 0");
  checkSelectorFlags(raw);
  let goals;
  try {
    goals = parseGoals(raw.for ?? []);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new CliExit(ExitCode.BadInput, `error: ${e.message}`);
  }
  let failOn: FailOnReason[] = [];
  let diagnostics: WaitCommandOptions["diagnostics"];
  try {
    failOn = raw.failOn === undefined ? [] : parseFailOn(raw.failOn);
    diagnostics = diagnosticsFromFlags(raw);
    // explain is diagnostics: without them it still gives the rule of each resource.
    if (explain && diagnostics === false) diagnostics = { events: false, logs: false };
  } catch (e) {
    throw new CliExit(ExitCode.BadInput, `error: ${(e as Error).message}`);
  }
  return {
    files: raw.filename,
    recursive: raw.recursive,
    args,
    selector: raw.selector,
    kinds: raw.kinds,
    allNamespaces: raw.allNamespaces,
    all: raw.all,
    namespace: raw.namespace,
    context: raw.context[0],
    as: raw.as,
    asGroups: raw.asGroup,
    quiet: raw.quiet ?? false,
    verbose: raw.verbose ?? false,
    kubeconfig: raw.kubeconfig,
    goals,
    requireObserved: raw.requireObserved,
    failTerminal: raw.failTerminal ?? true,
    requestTimeoutMs,
    timeoutMs,
    intervalMs,
    // wait: the watch reader sees changes at once and costs nothing per steady cycle (see the
    // README's benchmark); status looks once, where a LIST per kind is cheaper than LIST+WATCH.
    reader: raw.reader ?? (once ? "caching" : "watch"),
    output: raw.output,
    failFast: raw.failFast ?? false,
    failOn,
    once,
    rules: raw.rules,
    builtinRules: raw.builtinRules,
    diagnostics,
    explain,
    liveEvents: raw.events === true,
  };
}

/**
 * `-l` is parsed here, before any connection, so a typo is exit 3 with where it is (the server
 * would only say it as a 400, exit 4); `-A` selects by label only, so it needs `-l`.
 */
function checkSelectorFlags(raw: RawFlags): void {
  if (raw.allNamespaces && raw.selector === undefined && !raw.all) {
    throw new CliExit(
      ExitCode.BadInput,
      "error: -A (--all-namespaces) works with -l or --all: KIND/NAME and -f name their " +
        "namespace (-n, or the manifest's)",
    );
  }
  if (raw.asGroup.length > 0 && !raw.as) {
    throw new CliExit(ExitCode.BadInput, "error: --as-group needs --as (the user to act as)");
  }
  if (raw.selector === undefined) return;
  try {
    parseSelector(raw.selector);
  } catch (e) {
    if (!(e instanceof SelectorError)) throw e;
    const caret = e.offset === undefined
      ? ""
      : `\n    ${raw.selector}\n    ${" ".repeat(e.offset)}^`;
    throw new CliExit(
      ExitCode.BadInput,
      `error: -l ${JSON.stringify(raw.selector)}: ${e.message}${caret}`,
    );
  }
}

/** What the cluster commands need besides flags. */
export type ClusterCommandDeps = Omit<WaitDeps, "connect"> & {
  connect: Connector;
  listContexts?: ContextLister;
};

/** One context: the wait as it always was; several: `runMultiWait` (multi_context.ts). */
async function run(options: WaitCommandOptions, raw: RawFlags, deps: ClusterCommandDeps) {
  const choice = { contexts: raw.context, all: raw.allContexts === true };
  // Loaded only when more than one context is named, as the rest of `wait` loads lazily.
  if (choice.all || choice.contexts.length > 1) {
    const multi = await import("./multi_context.ts");
    if (multi.isMultiContext(choice)) return multi.runMultiWait(options, choice, deps);
  }
  return runWait(options, deps);
}

/** Adds `wait` and `status` to `program`. */
export function installClusterCommands(
  program: Command,
  deps: ClusterCommandDeps,
  setCode: (code: number) => void,
): void {
  addDiagnosticsOptions(
    addCommonOptions(
      program.command("wait").description(
        "wait until resources reach a goal (Current by default), showing progress",
      ),
    )
      .optionsGroup("Diagnostics:"),
    true,
  )
    .optionsGroup("Waiting:")
    .addOption(
      new Option("--for <goal>", `what to wait for (repeatable: all must hold): ${GOAL_USAGE}`)
        .argParser(collect).default([], "current"),
    )
    .option(
      "--require-observed",
      "count an object at its goal only once its controller has observed its spec " +
        "(default for --for complete)",
    )
    .option("--no-require-observed", "do not wait for the controller (with --for complete)")
    .addOption(
      envOption(
        "--timeout <duration>",
        "give up after this long; 0 waits forever",
        "KSTATUS_TIMEOUT",
      )
        .default("5m"),
    )
    .option("--fail-fast", "exit as soon as a resource Failed")
    .option(
      "--no-fail-terminal",
      "keep waiting on failures that cannot recover by themselves (a Deployment past its " +
        "progress deadline, a failed Job, a failed Pod with restartPolicy Never)",
    )
    .addHelpText(
      "after",
      `
Exit codes: 0 goal reached, 1 a resource Failed, 2 timed out, 3 bad input or
configuration, 4 the cluster could not be reached or refused us, 130/143 interrupted.
With several contexts: the worst context's (130/143 > 4 > 3 > 1 > 2 > 0).

When the wait fails, times out or is interrupted, each resource not ready is explained:
the rule that decided, the children that explain it, Warning events and the last log
lines of crashed containers (within --diagnostics-limit and a 5 s deadline).

Examples:
  kstatus wait -f app.yaml
  kustomize build . | kstatus wait -f - --timeout 10m
  kstatus wait deploy/web sts/db -n shop --fail-fast
  kstatus wait deployment web api -n shop
  kstatus wait deploy,sts --all -n shop -q
  kstatus wait -f app.yaml --fail-on all --fail-fast
  kstatus wait -l app=web --kinds deploy,sts -o json
  kstatus wait -f app.yaml --for deleted
  kstatus wait job/migrate --for complete
  kstatus wait deploy/web --for condition=Available
  kstatus wait pod/web-0 --for jsonpath='{.status.phase}'=Running
  kstatus wait widget/w --for cel='status.ready == true' --require-observed
  kstatus wait -l app=web --kinds deploy --for create
  kstatus wait -f app.yaml --context eu --context us   # each cluster at once

Per object, in manifests: annotation kstatus.dev/skip: "true" (listed as Skipped, never
waited on) or kstatus.dev/for: GOAL (its own --for).`,
    )
    .action(async (args: string[], raw: RawFlags) => {
      setCode(await run(toOptions(args, raw, false), raw, deps));
    });

  addDiagnosticsOptions(
    addCommonOptions(
      program.command("status").description("look once at resources in the cluster and report"),
    )
      .optionsGroup("Diagnostics:"),
    false,
  )
    .addHelpText(
      "after",
      `
Exit codes: 0 all Current, 1 any Failed, 2 some not Current, 3 bad input,
4 the cluster could not be reached or refused us.

Examples:
  kstatus status -f app.yaml
  kstatus status deploy/web -n shop -o json`,
    )
    .action(async (args: string[], raw: RawFlags) => {
      setCode(await run(toOptions(args, raw, true), raw, deps));
    });

  addDiagnosticsOptions(
    addCommonOptions(
      program.command("explain").description(
        "why resources are (not) ready: rule, children, events and logs, now",
      ),
    )
      .optionsGroup("Diagnostics:"),
    false,
  )
    .addHelpText(
      "after",
      `
Looks once, like status, and explains every resource whatever its status: the rule
and the condition or field that decided, the children that explain it, Warning
events of the resource and its children (folded by reason) and the last log lines
of containers that crashed, exited non-zero or restarted. The kubectl describe of
readiness. Exit codes as status.

Examples:
  kstatus explain deploy/web -n shop
  kstatus explain -f app.yaml --no-logs
  kstatus explain -l app=web --kinds deploy -o json`,
    )
    .action(async (args: string[], raw: RawFlags) => {
      setCode(await run(toOptions(args, raw, true, true), raw, deps));
    });
}
