/**
 * Helpers of the fault suite: the CLI run in-process against a real
 * connection (the HTTPS client, not an in-memory API), timed.
 *
 * @module
 */

import { runCli } from "../../main.ts";
import { connectToCluster } from "../../lib/cli/kube_connection.ts";

/** What a run printed, its exit code and how long it took. */
export interface TimedRun {
  /** Exit code. */
  code: number;
  /** Lines on stdout. */
  out: string[];
  /** Lines on stderr. */
  err: string[];
  /** Everything printed, stdout then stderr. */
  text: string;
  /** Milliseconds from start to exit code. */
  ms: number;
}

/** Runs the CLI in-process with the real cluster connection; `env` is all it sees. */
export async function kstatus(
  args: string[],
  env: Record<string, string | undefined> = {},
  interrupt?: AbortSignal,
): Promise<TimedRun> {
  const out: string[] = [];
  const err: string[] = [];
  const t0 = performance.now();
  const code = await runCli(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env,
    isTerminal: false,
    connect: connectToCluster,
    interrupt,
  });
  const ms = performance.now() - t0;
  return { code, out, err, text: [...out, ...err].join("\n"), ms };
}

/** True when `text` holds a control character other than a newline or tab (an escape leaked). */
export function hasRawControl(text: string): boolean {
  // deno-lint-ignore no-control-regex
  return /[\x00-\x08\x0b-\x1f\x7f\x9b]/.test(text);
}
