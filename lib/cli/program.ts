/**
 * The `kstatus` command line: builds the command tree and runs it, mapping
 * every outcome to an exit code. Kept apart from `main.ts` so tests can run
 * it in-process.
 *
 * @module
 */

import { Command, CommanderError, Option } from "../deps/commander.ts";
import { InputError, KstatusError } from "../errors.ts";
import { runtimeDescription, VERSION } from "../version.ts";
import type { Connector, ContextLister } from "./connection.ts";
import type { StdinSource } from "../manifest_input.ts";
import { CliExit, ExitCode } from "./exit_codes.ts";
import { jsonErrorLine, jsonSummaryLine } from "../printers/json.ts";
import { addRuleOptions, lazyRuleSetFromFlags, type RuleFlags } from "./rule_flags.ts";
import { escapeControlKeepLines } from "../text/escape.ts";

/** Where the CLI reads and writes; tests replace these. */
export interface CliIo {
  /** Writes one line to stdout. */
  out: (line: string) => void;
  /** Writes one line to stderr. */
  err: (line: string) => void;
  /** Reads stdin: all of it, or as byte chunks. */
  readStdin?: StdinSource;
  /** Environment variables. */
  env: Record<string, string | undefined>;
  /** True when stdout is a terminal. */
  isTerminal: boolean;
  /** Terminal width, if known. */
  columns?: number;
  /** Terminal height, if known. */
  rows?: number;
  /** The terminal's size now (0 or undefined: unknown); read again at each redraw. */
  terminalSize?: () => { columns?: number; rows?: number };
  /** Calls `listener` when the terminal is resized (SIGWINCH); returns how to stop. */
  onResize?: (listener: () => void) => () => void;
  /** Opens cluster connections; without it the cluster commands are not available. */
  connect?: Connector;
  /** Lists the kubeconfig's contexts, for `--all-contexts`. */
  listContexts?: ContextLister;
  /** Aborted on SIGINT/SIGTERM, with the signal name as reason. */
  interrupt?: AbortSignal;
  /** Resolves when stdout takes more lines; without it lines are written without waiting. */
  drain?: () => Promise<void>;
  /**
   * A full garbage collection (lib/collect_garbage.ts): `compute` asks for one every 10,000
   * objects so its peak memory does not grow with the input.
   */
  collectGarbage?: () => void;
}

/** Commands whose run needs no other command of the tree (see `runCli`). */
const STANDALONE = new Set(["version", "compute"]);

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Runs the CLI with `args` (without the program name) and returns the exit code.
 *
 * @example
 * ```ts
 * import { runCli } from "@kstatus/kstatus/cli";
 * const code = await runCli(["version"], {
 *   out: console.log,
 *   err: console.error,
 *   env: {},
 *   isTerminal: false,
 * });
 * ```
 */
export async function runCli(
  args: string[],
  io: CliIo,
): Promise<number> {
  const startedAt = Date.now();
  let code: number = ExitCode.Ok;
  const setCode = (c: number) => {
    code = c;
  };
  const program = new Command("kstatus")
    .description("Are these Kubernetes resources ready yet, and if not, why?")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, "")),
      writeErr: (s) => io.err(s.replace(/\n$/, "")),
    });

  program
    .version(`kstatus ${VERSION} (${runtimeDescription()})`, "--version", "print the version")
    .addHelpText(
      "after",
      `
Exit codes: 0 goal reached, 1 a resource Failed, 2 timed out or not ready, 3 bad input or
configuration, 4 the cluster could not be reached or refused us, 130/143 interrupted.

Examples:
  kstatus wait -f app.yaml
  kustomize build . | kstatus wait -f - --timeout 10m
  kstatus status deploy/web -n shop
  kstatus compute -f deploy.yaml
  kstatus rules test my-rules.yaml
  source <(kstatus completion bash)
  kstatus wait --help

Environment: KSTATUS_NAMESPACE, KSTATUS_CONTEXT, KSTATUS_OUTPUT, KSTATUS_TIMEOUT,
KSTATUS_INTERVAL, KSTATUS_READER and KSTATUS_FAIL_ON are defaults for the flags of the same
names (a flag given wins); KUBECONFIG as kubectl reads it; NO_COLOR turns colours off.`,
    );

  program.command("version")
    .description("print the version and the runtime")
    .addHelpText(
      "after",
      `
Examples:
  kstatus version    # kstatus 0.1.0 (bun 1.4.5)`,
    )
    .action(() => {
      io.out(`kstatus ${VERSION} (${runtimeDescription()})`);
    });

  addRuleOptions(program.command("compute"))
    .description("compute the status of objects from manifests, offline (no cluster needed)")
    .option("-f, --filename <path>", "file, directory or - for stdin (repeatable)", collect, [])
    .addOption(
      new Option("-o, --output <format>", "output format").choices(["text", "json"]).default(
        "text",
      ),
    )
    .option("-R, --recursive", "read directories recursively", false)
    .addHelpText(
      "after",
      `
Prints one line per object: Kind/namespace/name, status, message.
Exit codes: 0 all Current, 1 any Failed, 2 some not Current, 3 bad input.

Examples:
  kstatus compute -f deploy.yaml
  kubectl get deploy -A -o yaml | kstatus compute -f -
  kstatus compute -f manifests/ -o json
  kstatus compute -f certificate.yaml --rules my-rules.yaml`,
    )
    .action(async (
      opts: { filename: string[]; output: "text" | "json"; recursive: boolean } & RuleFlags,
    ) => {
      if (opts.filename.length === 0) {
        throw new CliExit(ExitCode.BadInput, "error: compute needs at least one -f FILE|DIR|-");
      }
      // A bad --rules file is reported before the manifests are read; without one, CEL loads
      // only once an object that a pack or strict rule judges comes.
      const ruleSet = await lazyRuleSetFromFlags(opts, {
        readStdin: io.readStdin,
        stdinTaken: opts.filename.includes("-"),
      });
      const { runCompute } = await import("./compute_command.ts");
      setCode(
        await runCompute({
          ruleSet,
          files: opts.filename,
          output: opts.output,
          recursive: opts.recursive,
          write: io.out,
          warn: io.err,
          readStdin: io.readStdin,
          interrupt: io.interrupt,
          drain: io.drain,
          collectGarbage: io.collectGarbage,
        }),
      );
    });

  // `version` and `compute` are run by themselves: the other commands (and the modules that
  // make them) are left out of their start-up (scripts/startup_phases.ts). Anything else, help
  // and completion included, sees the whole tree.
  if (!STANDALONE.has(args[0])) {
    const [{ installClusterCommands }, { installRulesCommands }, { installCompletionCommands }] =
      await Promise.all([
        import("./cluster_commands.ts"),
        import("./rules_command.ts"),
        import("./completion.ts"),
      ]);
    if (io.connect) installClusterCommands(program, { ...io, connect: io.connect }, setCode);
    installRulesCommands(program, io, setCode);
    installCompletionCommands(program, io);
  }

  try {
    await program.parseAsync(args, { from: "user" });
  } catch (e) {
    const exit = handleError(e, io);
    // `-o json` promises JSON on stdout whatever happens: the error and a summary.
    if (wantsJson(args) && exit !== 0 && !(e instanceof CliExit && e.summaryPrinted)) {
      const message = errorText(e);
      const now = new Date();
      io.out(jsonErrorLine(new Error(message), now, exit));
      io.out(jsonSummaryLine({
        result: "error",
        exitCode: exit,
        elapsedMs: Date.now() - startedAt,
        message,
        resources: [],
      }, now));
    }
    return exit;
  }
  return code;
}

/** True when the arguments ask for `-o json` (before a `--`). */
function wantsJson(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") return false;
    if ((a === "-o" || a === "--output") && args[i + 1] === "json") return true;
    if (a === "-ojson" || a === "--output=json" || a === "-o=json") return true;
  }
  return false;
}

/** The error's text as stderr shows it, without the `error: ` lead. */
function errorText(e: unknown): string {
  if (e instanceof CommanderError) return e.message.replace(/^error: /, "");
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/^error: /, "").split("\n")[0];
}

function handleError(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    // Asked-for help (`--help`, `help wait`) and `--version` are successful runs (exit code 0
    // from commander); help shown because no command was given is a usage error.
    if (
      e.exitCode === 0 &&
      ["commander.helpDisplayed", "commander.help", "commander.version"].includes(e.code)
    ) return 0;
    return ExitCode.BadInput;
  }
  // Messages may quote the cluster or a manifest: no control character reaches the terminal.
  if (e instanceof CliExit) {
    if (e.message) io.err(escapeControlKeepLines(e.message));
    return e.code;
  }
  if (e instanceof InputError) {
    io.err(`error: ${escapeControlKeepLines(e.message)}`);
    return ExitCode.BadInput;
  }
  if (e instanceof KstatusError) {
    io.err(`error: ${escapeControlKeepLines(e.message)}`);
    return ExitCode.BadInput;
  }
  throw e;
}
