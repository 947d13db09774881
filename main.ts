#!/usr/bin/env -S deno run -A
/**
 * The `kstatus` command: wait until Kubernetes resources are ready, show why
 * they are not, or compute status offline.
 *
 * @example
 * ```sh
 * kstatus wait -f app.yaml
 * kstatus compute -f deploy.yaml
 * ```
 *
 * @module
 */

import process from "node:process";
import type { Connector, ContextLister } from "./lib/cli/connection.ts";
import { runCli } from "./lib/cli/program.ts";
import { garbageCollector } from "./lib/collect_garbage.ts";
import { processStdin } from "./lib/manifest_input.ts";

export { runCli } from "./lib/cli/program.ts";
export type { CliIo } from "./lib/cli/program.ts";
export type {
  Connection,
  ConnectionFlags,
  ConnectionStats,
  Connector,
  ContextLister,
  ReaderChoice,
  RequestStats,
} from "./lib/cli/connection.ts";
export { parseDuration } from "./lib/cli/duration.ts";

// The cluster client loads when a command needs it, so `version`, `--help` and `compute` start
// without it (scripts/bench_startup.ts); stdin is read as a stream of bytes.
const connectToCluster: Connector = async (flags, env) =>
  (await import("./lib/cli/kube_connection.ts")).connectToCluster(flags, env);
const listKubeconfigContexts: ContextLister = async (flags, env) =>
  (await import("./lib/cli/kube_connection.ts")).listKubeconfigContexts(flags, env);

/**
 * Writes a line, ignoring a closed pipe (`kstatus ... | head`). Lines written in one turn of the
 * event loop go out in one write (a system call per line was a tenth of `compute`'s time).
 */
function writer(stream: NodeJS.WriteStream): (line: string) => void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
  let pending = "";
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!pending) return;
    const text = pending;
    pending = "";
    stream.write(text);
  };
  return (line) => {
    pending += line + "\n";
    if (pending.length >= 1 << 16) flush();
    else if (!scheduled) {
      scheduled = true;
      setTimeout(flush, 0);
    }
  };
}

/**
 * Resolves when `stream` has room again (Bun buffers writes to a pipe in memory), or at once
 * when it is closed or failed, so a reader that went away never leaves us waiting.
 */
function drainer(stream: NodeJS.WriteStream): () => Promise<void> {
  return () => {
    if (!stream.writableNeedDrain || stream.destroyed || stream.writableEnded) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        for (const event of ["drain", "error", "close"]) stream.off(event, done);
        resolve();
      };
      for (const event of ["drain", "error", "close"]) stream.on(event, done);
    });
  };
}

if (import.meta.main) {
  // The first SIGINT/SIGTERM stops the wait cleanly (summary printed); a second one exits at once.
  const interrupt = new AbortController();
  const onSignal = (signal: "SIGINT" | "SIGTERM") => () => {
    if (interrupt.signal.aborted) process.exit(signal === "SIGINT" ? 130 : 143);
    interrupt.abort(signal);
  };
  const onInt = onSignal("SIGINT");
  const onTerm = onSignal("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  let stdinRead = false;
  const code = await runCli(process.argv.slice(2), {
    out: writer(process.stdout),
    err: writer(process.stderr),
    drain: drainer(process.stdout),
    collectGarbage: garbageCollector(),
    readStdin: () => {
      stdinRead = true;
      return processStdin();
    },
    env: process.env,
    isTerminal: Boolean(process.stdout.isTTY),
    // A 0x0 pty (some CI runners) is a terminal of unknown size, not one of 0 columns.
    columns: process.stdout.columns || undefined,
    rows: process.stdout.rows || undefined,
    terminalSize: () => ({ columns: process.stdout.columns, rows: process.stdout.rows }),
    onResize: (listener) => {
      if (!process.stdout.isTTY || process.platform === "win32") return () => {};
      process.on("SIGWINCH", listener);
      return () => process.off("SIGWINCH", listener);
    },
    connect: connectToCluster,
    listContexts: listKubeconfigContexts,
    interrupt: interrupt.signal,
  });
  process.off("SIGINT", onInt);
  process.off("SIGTERM", onTerm);
  // A wait stopped (signal, timeout) while stdin was still open leaves that read pending; it
  // would keep the process alive until the producer ends. Node and Bun let go of stdin when
  // the stream is destroyed; Deno's pending read only ends when its own stdin is closed.
  if (stdinRead) {
    process.stdin.destroy();
    (globalThis as { Deno?: { stdin: { close(): void } } }).Deno?.stdin.close();
  }
  process.exitCode = code;
}
