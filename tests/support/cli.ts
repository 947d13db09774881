/**
 * The CLI run in-process, its lines captured: what the CLI tests assert on.
 *
 * @module
 */

import { runCli } from "../../main.ts";
import type { Connector } from "../../lib/cli/connection.ts";

/** What a run printed and its exit code. */
export interface Run {
  /** Exit code. */
  code: number;
  /** Lines on stdout. */
  out: string[];
  /** Lines on stderr. */
  err: string[];
}

/**
 * Runs the CLI in-process; stdin is `stdin`, and reading it when not given fails the test;
 * `connect` opens the cluster for `wait` and `status`.
 */
export async function cli(args: string[], stdin?: string, connect?: Connector): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readStdin: () =>
      stdin === undefined
        ? Promise.reject(new Error("the test gave no stdin"))
        : Promise.resolve(stdin),
    env: {},
    isTerminal: false,
    connect,
  });
  return { code, out, err };
}
