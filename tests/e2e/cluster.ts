/**
 * Helpers of the end-to-end suite: the local control plane started by
 * `deno task cluster:up` (kube-apiserver, controller-manager, scheduler,
 * etcd and kwok built from their Go modules), kubectl to change it, and the
 * kstatus CLI run as a subprocess (from source with Deno, or the Bun-built
 * binary).
 *
 * When the cluster is not up, every test fails loudly: this suite never
 * passes by skipping.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const clusterDir = Deno.env.get("KSTATUS_CLUSTER_DIR") ??
  join(Deno.env.get("HOME") ?? "/root", ".cache/kstatus-cluster/run");

/** The running cluster's settings, read from `cluster.env` written by up.sh. */
export interface ClusterEnv {
  /** Admin kubeconfig. */
  kubeconfig: string;
  /** Kubeconfig of a user with no RBAC grants. */
  restrictedKubeconfig: string;
  /** API server URL. */
  server: string;
  /** Directory of the built binaries (kubectl among them). */
  bin: string;
}

/** Reads `cluster.env`; throws with the way out when the cluster is not up. */
export function clusterEnv(): ClusterEnv {
  const file = join(clusterDir, "cluster.env");
  if (!existsSync(file)) {
    throw new Error(`no local cluster (${file} missing): run deno task cluster:up first`);
  }
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^(\w+)=(.*)$/.exec(line.trim());
    if (m) vars[m[1]] = m[2];
  }
  return {
    kubeconfig: vars.KUBECONFIG,
    restrictedKubeconfig: vars.KSTATUS_RESTRICTED_KUBECONFIG,
    server: vars.KSTATUS_APISERVER_URL,
    bin: vars.KSTATUS_CLUSTER_BIN,
  };
}

/** The result of a subprocess. */
export interface RunResult {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

async function run(
  cmd: string,
  args: string[],
  options: {
    stdin?: string;
    env?: Record<string, string>;
    signal?: AbortSignal;
    onStdout?: (chunk: string) => void;
  } = {},
): Promise<RunResult> {
  const child = new Deno.Command(cmd, {
    args,
    cwd: root,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...options.env },
    signal: options.signal,
  }).spawn();
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(options.stdin));
    await w.close();
  }
  if (options.onStdout) {
    // Streamed: the test reads what kstatus printed so far while it still runs.
    const dec = new TextDecoder();
    let stdout = "";
    const reading = (async () => {
      for await (const chunk of child.stdout) {
        const text = dec.decode(chunk, { stream: true });
        stdout += text;
        options.onStdout!(text);
      }
    })();
    const stderr = new Response(child.stderr).text();
    const status = await child.status;
    await reading;
    return { code: status.code, stdout, stderr: await stderr };
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Runs kubectl against the cluster as admin; throws when it fails. */
export async function kubectl(args: string[], stdin?: string): Promise<string> {
  const env = clusterEnv();
  const r = await run(join(env.bin, "kubectl"), ["--kubeconfig", env.kubeconfig, ...args], {
    stdin,
  });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** How to run kstatus: from source under Deno, or the compiled Bun binary. */
export type Runner = "deno" | "binary";

/** Runs the kstatus CLI with the admin kubeconfig unless `--kubeconfig` is given. */
export function kstatus(
  args: string[],
  options: {
    stdin?: string;
    runner?: Runner;
    kubeconfig?: string;
    signal?: AbortSignal;
    onStdout?: (chunk: string) => void;
  } = {},
): Promise<RunResult> {
  const env = clusterEnv();
  const withConfig = [...args, "--kubeconfig", options.kubeconfig ?? env.kubeconfig];
  if (options.runner === "binary") {
    const binary = join(root, "dist/kstatus");
    if (!existsSync(binary)) throw new Error(`${binary} missing: run deno task build first`);
    return run(binary, withConfig, options);
  }
  return run(Deno.execPath(), ["run", "-A", join(root, "main.ts"), ...withConfig], options);
}

let counter = 0;

/** Creates a namespace for one test; returns its name. */
export async function createNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${counter++}`;
  await kubectl(["create", "namespace", name]);
  // Pods need the default service account, which the controller-manager creates shortly.
  for (let i = 0; i < 100; i++) {
    const r = await run(join(clusterEnv().bin, "kubectl"), [
      "--kubeconfig",
      clusterEnv().kubeconfig,
      "-n",
      name,
      "get",
      "serviceaccount",
      "default",
    ]);
    if (r.code === 0) return name;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`namespace ${name}: no default service account after 10 s`);
}

/** Deletes a namespace without waiting. */
export async function deleteNamespace(name: string): Promise<void> {
  await kubectl(["delete", "namespace", name, "--wait=false"]);
}

/** Runs `fn` with a fresh namespace, deleted afterwards. */
export async function inNamespace(
  prefix: string,
  fn: (ns: string) => Promise<void>,
): Promise<void> {
  const ns = await createNamespace(prefix);
  try {
    await fn(ns);
  } finally {
    await deleteNamespace(ns);
  }
}

/** A run's exit code and output, for assertion messages. */
export function explain(r: RunResult): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** Applies manifests (YAML text) in a namespace. */
export async function apply(namespace: string, yaml: string): Promise<void> {
  await kubectl(["apply", "-n", namespace, "-f", "-"], yaml);
}

/** Writes manifests to a temporary file and returns its path. */
export async function manifestFile(yaml: string): Promise<string> {
  const file = await Deno.makeTempFile({ suffix: ".yaml" });
  await Deno.writeTextFile(file, yaml);
  return file;
}

/** Parses `-o json` output into its lines. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

/** Restarts the API server: down for `seconds`, then up again (blocks until ready). */
export async function restartApiServer(seconds: number): Promise<RunResult> {
  return await run("bash", [
    join(root, "scripts/cluster/restart-apiserver.sh"),
    String(seconds),
    "KILL",
  ]);
}
