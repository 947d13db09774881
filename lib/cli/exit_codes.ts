/**
 * The CLI's exit codes, shared by every command.
 *
 * @module
 */

/** Exit codes of the `kstatus` command. */
export const ExitCode = {
  /** The goal was reached (every object Current, or deleted, or known). */
  Ok: 0,
  /** A resource Failed. */
  Failed: 1,
  /** Timed out, or (offline) some resource is not Current. */
  NotReady: 2,
  /** Bad input or configuration. */
  BadInput: 3,
  /** The cluster could not be reached or refused us. */
  Cluster: 4,
  /** Interrupted by SIGINT. */
  Interrupted: 130,
  /** Terminated by SIGTERM. */
  Terminated: 143,
} as const;

/** An error that ends the CLI with a given exit code and one clear line. */
export class CliExit extends Error {
  /** The process exit code. */
  code: number;
  /** The command already printed its summary (`-o json`: the error and summary lines). */
  summaryPrinted = false;
  /**
   * @param code exit code
   * @param message the line printed to stderr (empty for none)
   */
  constructor(code: number, message = "") {
    super(message);
    this.name = "CliExit";
    this.code = code;
  }
}
