/**
 * Request credentials: a static or file-backed bearer token, basic auth, or
 * an exec plugin's token or client certificate. File tokens are re-read when
 * the file changes; exec credentials are cached until they expire; both are
 * refreshed once after a 401.
 *
 * @module
 */

import { readFile, stat } from "node:fs/promises";
import { Buffer } from "node:buffer";
import type { ClientConfig } from "./config.ts";
import { ConfigError } from "./errors.ts";
import { type ExecCredential, runExecPlugin } from "./exec.ts";
import { describeFsError } from "./kubeconfig.ts";
import { abortable } from "./retry.ts";

/** What to send with one request. */
export interface RequestCredentials {
  /** `Authorization` header value. */
  authorization?: string;
  /** Client certificate from an exec plugin (replaces the kubeconfig's). */
  cert?: string;
  /** Its key. */
  key?: string;
  /** Identifies this credential, for {@linkcode CredentialSource.invalidate}. */
  generation: number;
}

/** Supplies credentials for requests. */
export interface CredentialSource {
  /** Credentials for the next request (may run an exec plugin). */
  get(signal?: AbortSignal): Promise<RequestCredentials>;
  /**
   * The server rejected the credentials of `generation` with a 401: forget
   * them. True when fresh ones may differ, so a retry is worth it.
   */
  invalidate(generation: number): boolean;
  /** The secrets currently in use, so messages can be scrubbed of them. */
  secrets(): string[];
  /** Stops what is running (an exec plugin). */
  close?(): void;
  /** The exec plugin requests are waiting on now, and since when (ms since epoch). */
  pending?(): { command: string; since: number } | undefined;
}

/** Options of {@linkcode createCredentialSource}. */
export interface CredentialOptions {
  /** Whether our stdin is a terminal (exec plugins' interactiveMode); default: detected. */
  stdinIsTerminal?: boolean;
  /** Clock for exec credential expiry; default `Date.now`. */
  now?: () => number;
}

/** The credential source for a configuration. */
export function createCredentialSource(
  config: ClientConfig,
  opts: CredentialOptions = {},
): CredentialSource {
  const auth = config.auth;
  switch (auth.type) {
    case "none":
      return {
        get: () => Promise.resolve({ generation: 0 }),
        invalidate: () => false,
        secrets: () => [],
      };
    case "token": {
      const authorization = `Bearer ${auth.token}`;
      return {
        get: () => Promise.resolve({ authorization, generation: 0 }),
        invalidate: () => false,
        secrets: () => [auth.token],
      };
    }
    case "basic": {
      const encoded = Buffer.from(`${auth.username}:${auth.password}`).toString("base64");
      return {
        get: () => Promise.resolve({ authorization: `Basic ${encoded}`, generation: 0 }),
        invalidate: () => false,
        secrets: () => [auth.password, encoded].filter(Boolean),
      };
    }
    case "tokenFile":
      return tokenFileSource(auth.path);
    case "exec":
      return execSource(config, opts);
  }
}

/** A token read from a file, re-read when its modification time or size changes. */
function tokenFileSource(path: string): CredentialSource {
  let token = "";
  let stamp = "";
  let generation = 0;
  return {
    async get() {
      let s;
      try {
        s = await stat(path);
      } catch (e) {
        throw new ConfigError(`cannot read token file ${path}: ${describeFsError(e)}`, {
          cause: e,
        });
      }
      const now = `${s.mtimeMs}:${s.size}:${s.ino}`;
      if (now !== stamp || !token) {
        let text: string;
        try {
          text = await readFile(path, "utf8");
        } catch (e) {
          throw new ConfigError(`cannot read token file ${path}: ${describeFsError(e)}`, {
            cause: e,
          });
        }
        const next = text.trim();
        if (!next) throw new ConfigError(`token file ${path} is empty`);
        if (next !== token) generation++;
        token = next;
        stamp = now;
      }
      return { authorization: `Bearer ${token}`, generation };
    },
    invalidate(gen) {
      if (gen !== generation) return true; // already re-read since
      stamp = "";
      return true;
    },
    secrets: () => (token ? [token] : []),
  };
}

/** An exec plugin's credential, cached until expiry and shared by concurrent requests. */
function execSource(config: ClientConfig, opts: CredentialOptions): CredentialSource {
  if (config.auth.type !== "exec") throw new Error("not an exec config");
  const exec = config.auth.exec;
  const now = opts.now ?? Date.now;
  let current: (ExecCredential & { generation: number }) | undefined;
  let running: Promise<ExecCredential & { generation: number }> | undefined;
  // When the running plugin was started: a deadline that fires meanwhile names it.
  let runningSince = 0;
  let generation = 0;
  const used = new Set<string>();
  // Kills a plugin still running when the client closes.
  const lifetime = new AbortController();

  function fresh(): boolean {
    return current !== undefined && (current.expiresAt === undefined || now() < current.expiresAt);
  }

  return {
    async get(signal) {
      if (!fresh()) {
        // One run serves every request waiting for it; an abort only stops its own caller.
        if (!running) runningSince = now();
        running ??= runExecPlugin(exec, {
          cluster: config,
          stdinIsTerminal: opts.stdinIsTerminal,
          signal: lifetime.signal,
        }).then((c) => {
          generation++;
          current = { ...c, generation };
          for (const s of [c.token, c.key]) if (s) used.add(s);
          return current;
        }).finally(() => {
          running = undefined;
        });
        await abortable(running, signal);
      }
      const c = current!;
      return {
        authorization: c.token ? `Bearer ${c.token}` : undefined,
        cert: c.cert,
        key: c.key,
        generation: c.generation,
      };
    },
    invalidate(gen) {
      if (current?.generation === gen) current = undefined;
      return true;
    },
    secrets: () => [...used],
    close: () => lifetime.abort(),
    pending: () => running ? { command: exec.command, since: runningSince } : undefined,
  };
}
