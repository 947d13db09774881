#!/usr/bin/env -S deno run -A
/**
 * The `kstatus` command: wait until Kubernetes resources are ready, show why
 * they are not, or compute status offline.
 *
 * @example
 * ```sh
 * kstatus compute -f deploy.yaml
 * ```
 *
 * @module
 */

import process from "node:process";
import { runCli } from "./lib/cli/program.ts";
import { readStdin } from "./lib/manifests.ts";

export { runCli } from "./lib/cli/program.ts";
export type { CliIo, CommandInstaller } from "./lib/cli/program.ts";

/** Writes a line, ignoring a closed pipe (`kstatus ... | head`). */
function writer(stream: NodeJS.WriteStream): (line: string) => void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
  return (line) => {
    stream.write(line + "\n");
  };
}

if (import.meta.main) {
  const code = await runCli(process.argv.slice(2), {
    out: writer(process.stdout),
    err: writer(process.stderr),
    readStdin,
    env: process.env,
    isTerminal: Boolean(process.stdout.isTTY),
  });
  process.exitCode = code;
}
