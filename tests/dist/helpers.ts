/**
 * Shared pieces of the distribution smoke tests (`deno task test:dist`):
 * paths, a subprocess runner, the objects fed to every build and what each
 * must print, and the skip-or-fail rule for tests the machine cannot run.
 *
 * These tests check the artefacts of `deno task release` in `dist/`; run it
 * first.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import denoJson from "../../deno.json" with { type: "json" };

/** The repository root, with a trailing slash. */
export const REPO: string = fileURLToPath(new URL("../../", import.meta.url));

/** The release output directory. */
export const DIST: string = join(REPO, "dist");

/** The version every build must report. */
export const VERSION: string = denoJson.version;

/** What a finished subprocess left behind. */
export interface Result {
  /** Exit code. */
  code: number;
  /** Standard output as text. */
  stdout: string;
  /** Standard error as text. */
  stderr: string;
}

/** Options of {@linkcode run}. */
export interface RunOptions {
  /** Text written to standard input (closed after it); stdin is empty otherwise. */
  stdin?: string;
  /** Working directory. */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Kills the process when aborted. */
  signal?: AbortSignal;
}

/** Runs a command to completion and collects its output; never throws on a non-zero exit. */
export async function run(cmd: string, args: string[], options: RunOptions = {}): Promise<Result> {
  const child = new Deno.Command(cmd, {
    args,
    cwd: options.cwd,
    env: options.env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: options.signal ?? AbortSignal.timeout(300_000),
  }).spawn();
  const writer = child.stdin.getWriter();
  try {
    if (options.stdin !== undefined) await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  } catch (e) {
    // A process that exits without reading its input is judged by its output, not by the pipe.
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
  }
  const out = await child.output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** Like {@linkcode run}, but throws with the command's output when it exits non-zero. */
export async function mustRun(
  cmd: string,
  args: string[],
  options: RunOptions = {},
): Promise<string> {
  const r = await run(cmd, args, options);
  if (r.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} exited ${r.code}:\n${r.stdout}${r.stderr}`.trimEnd(),
    );
  }
  return r.stdout;
}

/** Whether a command is on PATH. */
export async function onPath(cmd: string): Promise<boolean> {
  return (await run("sh", ["-c", `command -v "$1"`, "sh", cmd])).code === 0;
}

/** A ready Pod as JSON, the form `kubectl get -o json` gives. */
export const READY_POD_JSON: string = JSON.stringify({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-0", namespace: "default" },
  status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
});

/** What `compute -f -` prints for {@linkcode READY_POD_JSON} (exit 0). */
export const READY_POD_LINE = "pod/default/web-0  Current  Pod is Ready";

/** The ready Pod and a Deployment with 1 of 3 replicas available, as multi-document YAML. */
export const MIXED_YAML: string = `${READY_POD_JSON}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop, generation: 2}
spec: {replicas: 3}
status: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 1}
`;

/** What `compute -f -` prints for {@linkcode MIXED_YAML} (exit 2: not all Current). */
export const MIXED_LINES: string[] = [
  "pod/default/web-0         Current     Pod is Ready",
  "deployment.apps/shop/api  InProgress  Available: 1/3",
];

/** Whether we run in CI, where a smoke test that cannot run is a failure, not a skip. */
export function inCI(): boolean {
  return (Deno.env.get("CI") ?? "") !== "";
}

/**
 * Registers a smoke test that needs things the machine may lack. `missing`
 * lists what is absent. Outside CI the test is skipped with the reasons
 * printed; in CI it runs and fails with them.
 */
export function smokeTest(name: string, missing: string[], fn: () => Promise<void>): void {
  const skip = missing.length > 0 && !inCI();
  if (skip) console.log(`skipping "${name}": ${missing.join("; ")}`);
  Deno.test({
    name,
    ignore: skip,
    fn: async () => {
      if (missing.length) {
        throw new Error(`cannot run here (CI is set, so this fails): ${missing.join("; ")}`);
      }
      await fn();
    },
  });
}

/** The path of a release file, failing with a hint when the release was not built. */
export async function releaseFile(name: string): Promise<string> {
  const path = join(DIST, name);
  try {
    await Deno.stat(path);
  } catch {
    throw new Error(`${path} is missing: run \`deno task release\` first`);
  }
  return path;
}
