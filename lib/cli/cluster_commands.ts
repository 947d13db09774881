/**
 * Registers `wait` and `status` on the command tree.
 *
 * @module
 */

import { FAIL_ON_REASONS, type FailOnReason, parseFailOn } from "../../readers/fail_on.ts";
import { type Command, Option } from "../deps/commander.ts";
import { InputError } from "../errors.ts";
import { GOAL_USAGE, parseGoals } from "../goals/goal.ts";
import type { Connector, ReaderChoice } from "./connection.ts";
import { parseDuration } from "./duration.ts";
import { CliExit, ExitCode } from "./exit_codes.ts";
import { addRuleOptions, type RuleFlags } from "./rule_flags.ts";
import {
  addDiagnosticsOptions,
  type DiagnosticsFlags,
  diagnosticsFromFlags,
} from "./diagnostics_flags.ts";
import { runWait, type WaitCommandOptions, type WaitDeps } from "./wait_command.ts";

interface RawFlags extends RuleFlags, DiagnosticsFlags {
  filename: string[];
  recursive: boolean;
  selector?: string;
  kinds?: string;
  allNamespaces?: boolean;
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  for: string[];
  requireObserved?: boolean;
  failTerminal?: boolean;
  timeout?: string;
  interval: string;
  reader?: ReaderChoice;
  output: WaitCommandOptions["output"];
  failFast?: boolean;
  failOn?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function addCommonOptions(cmd: Command): Command {
  return addRuleOptions(cmd)
    .argument("[KIND/NAME...]", "resources by kind and name (deploy/web, sts/db)")
    .option(
      "-f, --filename <path>",
      "manifest file, directory or - for stdin (repeatable)",
      collect,
      [],
    )
    .option("-R, --recursive", "read directories recursively", false)
    .option("-l, --selector <selector>", "label selector, with --kinds (app=web,tier!=db)")
    .option("--kinds <kinds>", "kinds the selector applies to, comma-separated (deploy,sts)")
    .option("-A, --all-namespaces", "with -l: select in every namespace")
    .option("-n, --namespace <namespace>", "namespace for objects that name none")
    .option("--context <context>", "kubeconfig context to use")
    .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG or ~/.kube/config)")
    .addOption(
      new Option(
        "--reader <reader>",
        "how to read the cluster: watch (changes as they happen; default for wait), caching " +
          "(one LIST per kind and namespace per poll; default for status), direct (a GET per object)",
      ).choices(["caching", "direct", "watch"]),
    )
    .option("--interval <duration>", "time between polls", "2s")
    .option(
      "--fail-on <reasons>",
      "pod problems that count as Failed at once, for the pod and its owners (comma-separated, " +
        `or all): ${FAIL_ON_REASONS.join(",")}`,
    )
    .addOption(
      new Option("-o, --output <format>", "auto: live table on a terminal, events otherwise")
        .choices(["auto", "table", "events", "json"]).default("auto"),
    );
}

function toOptions(
  args: string[],
  raw: RawFlags,
  once: boolean,
  explain = false,
): WaitCommandOptions {
  let intervalMs: number;
  let timeoutMs = 0;
  try {
    intervalMs = parseDuration(raw.interval, "--interval");
    if (!once) timeoutMs = parseDuration(raw.timeout ?? "5m", "--timeout");
  } catch (e) {
    throw new CliExit(ExitCode.BadInput, `error: ${(e as Error).message}`);
  }
  if (intervalMs <= 0) throw new CliExit(ExitCode.BadInput, "error: --interval must be above 0");
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
    namespace: raw.namespace,
    context: raw.context,
    kubeconfig: raw.kubeconfig,
    goals,
    requireObserved: raw.requireObserved,
    failTerminal: raw.failTerminal ?? true,
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

/** What the cluster commands need besides flags. */
export type ClusterCommandDeps = Omit<WaitDeps, "connect"> & { connect: Connector };

/** Adds `wait` and `status` to `program`. */
export function installClusterCommands(
  program: Command,
  deps: ClusterCommandDeps,
  setCode: (code: number) => void,
): void {
  addCommonOptions(
    addDiagnosticsOptions(
      program.command("wait")
        .description("wait until resources reach a goal (Current by default), showing progress"),
      true,
    ),
  )
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
    .option("--timeout <duration>", "give up after this long; 0 waits forever", "5m")
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

When the wait fails, times out or is interrupted, each resource not ready is explained:
the rule that decided, the children that explain it, Warning events and the last log
lines of crashed containers (within --diagnostics-limit and a 5 s deadline).

Examples:
  kstatus wait -f app.yaml
  kustomize build . | kstatus wait -f - --timeout 10m
  kstatus wait deploy/web sts/db -n shop --fail-fast
  kstatus wait -f app.yaml --fail-on all --fail-fast
  kstatus wait -l app=web --kinds deploy,sts -o json
  kstatus wait -f app.yaml --for deleted
  kstatus wait job/migrate --for complete
  kstatus wait deploy/web --for condition=Available
  kstatus wait pod/web-0 --for jsonpath='{.status.phase}'=Running
  kstatus wait widget/w --for cel='status.ready == true' --require-observed
  kstatus wait -l app=web --kinds deploy --for create

Per object, in manifests: annotation kstatus.dev/skip: "true" (listed as Skipped, never
waited on) or kstatus.dev/for: GOAL (its own --for).`,
    )
    .action(async (args: string[], raw: RawFlags) => {
      setCode(await runWait(toOptions(args, raw, false), deps));
    });

  addCommonOptions(
    addDiagnosticsOptions(
      program.command("status").description("look once at resources in the cluster and report"),
      false,
    ),
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
      setCode(await runWait(toOptions(args, raw, true), deps));
    });

  addCommonOptions(
    addDiagnosticsOptions(
      program.command("explain")
        .description("why resources are (not) ready: rule, children, events and logs, now"),
      false,
    ),
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
      setCode(await runWait(toOptions(args, raw, true, true), deps));
    });
}
