/**
 * The CLI run in-process against an in-memory cluster: what the CLI tests of `wait` and
 * `status` without a server use.
 *
 * @module
 */

import { runCli } from "../../main.ts";
import type { MemoryCluster } from "../../mod.ts";
import { connectionFromApi } from "../../lib/cli/connection.ts";

/** What a run printed and its exit code; `text` is stdout then stderr, for messages. */
export interface MemoryRun {
  /** Exit code. */
  code: number;
  /** Lines on stdout. */
  out: string[];
  /** Lines on stderr. */
  err: string[];
  /** All lines, stdout first. */
  text: string;
}

/** Runs the CLI with `args` against `cluster` (namespace `default`); `stdin` for `-f -`. */
export async function runOnMemory(
  cluster: MemoryCluster,
  args: string[],
  stdin = "",
): Promise<MemoryRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    isTerminal: false,
    readStdin: () => Promise.resolve(stdin),
    connect: () =>
      Promise.resolve(connectionFromApi(cluster.api, {
        namespace: "default",
        server: "memory",
        resolveKind: (t) => cluster.resolveKind(t),
      })),
  });
  return { code, out, err, text: [...out, ...err].join("\n") };
}
