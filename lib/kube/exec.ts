/**
 * Exec credential plugins (`client.authentication.k8s.io/v1` and `v1beta1`):
 * running the plugin with `KUBERNETES_EXEC_INFO`, the stdin kubectl would
 * give it, and reading the ExecCredential it prints (a token, or a client
 * certificate and key, with an optional expiry). Error messages never quote
 * the plugin's output, which holds secrets.
 *
 * @module
 */

import { spawn } from "node:child_process";
import process from "node:process";
import { Buffer } from "node:buffer";
import type { ClientConfig, ExecConfig } from "./config.ts";
import { ExecPluginError } from "./errors.ts";

/** What a plugin returned. */
export interface ExecCredential {
  /** Bearer token. */
  token?: string;
  /** PEM client certificate. */
  cert?: string;
  /** PEM client key. */
  key?: string;
  /** When the credential expires (ms since epoch); unset: until a 401. */
  expiresAt?: number;
}

/** Options of {@linkcode runExecPlugin}. */
export interface RunExecOptions {
  /** The cluster, for `provideClusterInfo`. */
  cluster: Pick<
    ClientConfig,
    "server" | "ca" | "insecureSkipVerify" | "serverName" | "proxyUrl" | "proxyFromEnv"
  >;
  /** Whether our stdin is a terminal; default `process.stdin.isTTY`. */
  stdinIsTerminal?: boolean;
  /** Aborting kills the plugin (and its process group). */
  signal?: AbortSignal;
  /** The plugin is killed (with its process group) after this long; default 30 s. */
  timeoutMs?: number;
  /** Most stdout read from the plugin; default 1 MiB. */
  maxOutputBytes?: number;
}

/** Default of {@linkcode RunExecOptions.timeoutMs}. */
export const EXEC_TIMEOUT_MS = 30_000;
/** Default of {@linkcode RunExecOptions.maxOutputBytes}. */
export const EXEC_MAX_OUTPUT = 1024 * 1024;

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** The `KUBERNETES_EXEC_INFO` value for a run. */
export function execInfo(
  exec: ExecConfig,
  interactive: boolean,
  cluster: RunExecOptions["cluster"],
) {
  const spec: Record<string, unknown> = { interactive };
  if (exec.provideClusterInfo) {
    const c: Record<string, unknown> = { server: cluster.server };
    if (cluster.serverName) c["tls-server-name"] = cluster.serverName;
    if (cluster.insecureSkipVerify) c["insecure-skip-tls-verify"] = true;
    if (cluster.ca) c["certificate-authority-data"] = base64(cluster.ca);
    if (cluster.proxyUrl && !cluster.proxyFromEnv) c["proxy-url"] = cluster.proxyUrl;
    if (exec.clusterConfig !== undefined) c.config = exec.clusterConfig;
    spec.cluster = c;
  }
  return { apiVersion: exec.apiVersion, kind: "ExecCredential", spec };
}

/**
 * Runs an exec plugin once and returns its credential.
 *
 * @throws {ExecPluginError} when it cannot be started, fails, or prints something unusable.
 */
export async function runExecPlugin(
  exec: ExecConfig,
  opts: RunExecOptions,
): Promise<ExecCredential> {
  const terminal = opts.stdinIsTerminal ?? Boolean(process.stdin.isTTY);
  let interactive: boolean;
  if (exec.interactiveMode === "Never") interactive = false;
  else if (exec.interactiveMode === "Always") {
    if (!terminal) {
      throw new ExecPluginError(
        exec.command,
        "interactiveMode is Always but standard input is not a terminal",
      );
    }
    interactive = true;
  } else interactive = terminal;

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(exec.baseEnv ?? process.env)) {
    if (v !== undefined) env[k] = v;
  }
  for (const { name, value } of exec.env) env[name] = value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify(execInfo(exec, interactive, opts.cluster));

  const timeoutMs = opts.timeoutMs ?? EXEC_TIMEOUT_MS;
  const maxOutput = opts.maxOutputBytes ?? EXEC_MAX_OUTPUT;
  const stdout = await new Promise<string>((resolve, reject) => {
    opts.signal?.throwIfAborted();
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // Its own process group (unless it talks to the terminal, which needs ours), so that a
    // shell script's children die with it: a child left holding stdout kept us alive.
    const grouped = !interactive && process.platform !== "win32";
    const child = spawn(exec.command, exec.args, {
      env,
      detached: grouped,
      // The plugin's stderr goes to ours, as with kubectl: it is where plugins talk to people.
      stdio: [interactive ? "inherit" : "ignore", "pipe", "inherit"],
    });
    const kill = () => {
      try {
        if (grouped && child.pid) process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
        // already gone
      }
      child.stdout?.destroy();
    };
    // After a kill, the error is given once the plugin has exited (at once after SIGKILL), so
    // nothing of it outlives the call; 500 ms at most, for a process that cannot be reaped.
    let failure: { error: unknown } | undefined;
    let reapTimer: ReturnType<typeof setTimeout> | undefined;
    const killWith = (error: unknown) => {
      if (settled || failure) return;
      failure = { error };
      kill();
      if (child.exitCode !== null || child.signalCode !== null) return done(error);
      reapTimer = setTimeout(() => done(error), 500);
    };
    const timer = setTimeout(
      () =>
        killWith(
          new ExecPluginError(exec.command, `did not finish within ${timeoutMs / 1000}s`, {
            timedOut: true,
          }),
        ),
      timeoutMs,
    );
    const onAbort = () => killWith(opts.signal!.reason);
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    // Our exit, whatever its cause, takes the plugin's group along.
    process.on("exit", kill);
    function done(err?: unknown, out?: string) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(reapTimer);
      process.off("exit", kill);
      opts.signal?.removeEventListener("abort", onAbort);
      if (err) reject(err);
      else resolve(out!);
    }
    child.stdout!.on("data", (c: Buffer) => {
      size += c.length;
      if (size > maxOutput) {
        return killWith(
          new ExecPluginError(exec.command, `printed more than ${maxOutput} bytes (the limit)`),
        );
      }
      if (failure) return;
      chunks.push(c);
    });
    child.stdout!.on("error", () => {});
    child.on("error", (e: NodeJS.ErrnoException) => {
      if (failure) return done(failure.error);
      if (opts.signal?.aborted) return done(opts.signal.reason);
      const hint = exec.installHint ? `; ${exec.installHint.trim()}` : "";
      done(
        new ExecPluginError(
          exec.command,
          e.code === "ENOENT" ? `command not found${hint}` : `cannot start: ${e.message}`,
          { cause: e },
        ),
      );
    });
    // "exit", not "close": a child the plugin left behind may hold stdout open for ever.
    child.on("exit", (code, sig) => {
      if (failure) return done(failure.error);
      if (opts.signal?.aborted) return done(opts.signal.reason);
      if (code !== 0) {
        kill();
        return done(
          new ExecPluginError(
            exec.command,
            sig ? `killed by ${sig}` : `exited with code ${code}`,
          ),
        );
      }
      // What is still buffered in the pipe arrives before its end; a leftover child holding
      // the pipe gets a moment, then is killed with the group.
      const grace = setTimeout(() => {
        kill();
        done(undefined, Buffer.concat(chunks).toString("utf8"));
      }, 200);
      child.stdout!.once("close", () => {
        clearTimeout(grace);
        done(undefined, Buffer.concat(chunks).toString("utf8"));
      });
      if (child.stdout!.closed) {
        clearTimeout(grace);
        done(undefined, Buffer.concat(chunks).toString("utf8"));
      }
    });
  });
  return parseExecCredential(exec, stdout);
}

/** Reads a plugin's output; errors describe what is wrong without quoting it. */
export function parseExecCredential(exec: ExecConfig, stdout: string): ExecCredential {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw new ExecPluginError(exec.command, "did not print an ExecCredential as JSON");
  }
  if (typeof doc !== "object" || doc === null) {
    throw new ExecPluginError(exec.command, "did not print an ExecCredential object");
  }
  const cred = doc as { apiVersion?: unknown; kind?: unknown; status?: unknown };
  if (cred.kind !== "ExecCredential") {
    throw new ExecPluginError(exec.command, "printed an object whose kind is not ExecCredential");
  }
  if (cred.apiVersion !== exec.apiVersion) {
    throw new ExecPluginError(
      exec.command,
      `returned apiVersion ${
        JSON.stringify(String(cred.apiVersion))
      }, expected "${exec.apiVersion}"`,
    );
  }
  const status = cred.status as Record<string, unknown> | undefined;
  if (typeof status !== "object" || status === null) {
    throw new ExecPluginError(exec.command, "returned an ExecCredential without status");
  }
  const out: ExecCredential = {};
  if (typeof status.token === "string" && status.token) out.token = status.token;
  const cert = status.clientCertificateData;
  const key = status.clientKeyData;
  if (typeof cert === "string" && cert) out.cert = cert;
  if (typeof key === "string" && key) out.key = key;
  if (Boolean(out.cert) !== Boolean(out.key)) {
    throw new ExecPluginError(
      exec.command,
      "returned only one of clientCertificateData and clientKeyData",
    );
  }
  if (!out.token && !out.cert) {
    throw new ExecPluginError(exec.command, "returned neither a token nor a client certificate");
  }
  if (status.expirationTimestamp !== undefined && status.expirationTimestamp !== null) {
    const at = Date.parse(String(status.expirationTimestamp));
    if (Number.isNaN(at)) {
      throw new ExecPluginError(exec.command, "returned an invalid expirationTimestamp");
    }
    out.expiresAt = at;
  }
  return out;
}
