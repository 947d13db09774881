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
import { runCompute } from "./compute_command.ts";
import { installClusterCommands } from "./cluster_commands.ts";
import type { Connector } from "./connection.ts";
import type { StdinSource } from "../manifest_input.ts";
import { CliExit, ExitCode } from "./exit_codes.ts";
import { addRuleOptions, type RuleFlags, ruleSetFromFlags } from "./rule_flags.ts";
import { installRulesCommands } from "./rules_command.ts";

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
  /** Opens cluster connections; without it the cluster commands are not available. */
  connect?: Connector;
  /** Aborted on SIGINT/SIGTERM, with the signal name as reason. */
  interrupt?: AbortSignal;
  /** Resolves when stdout takes more lines; without it lines are written without waiting. */
  drain?: () => Promise<void>;
}

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
  kstatus wait --help`,
    );

  program.command("version")
    .description("print the version and the runtime")
    .addHelpText(
      "after",
      `
Examples:
  kstatus version    # kstatus 0.1.0 (deno 2.1.4)`,
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
      const ruleSet = await ruleSetFromFlags(opts, {
        readStdin: io.readStdin,
        stdinTaken: opts.filename.includes("-"),
      });
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
        }),
      );
    });

  if (io.connect) installClusterCommands(program, { ...io, connect: io.connect }, setCode);
  installRulesCommands(program, io, setCode);

  try {
    await program.parseAsync(args, { from: "user" });
  } catch (e) {
    return handleError(e, io);
  }
  return code;
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
  if (e instanceof CliExit) {
    if (e.message) io.err(e.message);
    return e.code;
  }
  if (e instanceof InputError) {
    io.err(`error: ${e.message}`);
    return ExitCode.BadInput;
  }
  if (e instanceof KstatusError) {
    io.err(`error: ${e.message}`);
    return ExitCode.BadInput;
  }
  throw e;
}
