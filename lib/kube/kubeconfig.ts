/**
 * Reading kubeconfig files and merging several with kubectl's precedence:
 * the first file to set a value wins, and clusters, users and contexts are
 * merged by name (the first entry of a name wins). Relative file paths are
 * resolved against the directory of the file that holds them.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, sep } from "node:path";
import { plainKubeconfigYaml } from "./kubeconfig_yaml.ts";
import { ConfigError } from "./errors.ts";

/** A cluster entry of a kubeconfig (the fields kstatus uses). */
export interface KubeconfigCluster {
  /** `https://host:port`, possibly with a path. */
  server?: string;
  /** Path of a PEM CA bundle, absolute after loading. */
  "certificate-authority"?: string;
  /** Base64 of a PEM CA bundle. */
  "certificate-authority-data"?: string;
  /** Skip verification of the server's certificate. */
  "insecure-skip-tls-verify"?: boolean;
  /** Name to verify the server's certificate against, and to send as SNI. */
  "tls-server-name"?: string;
  /** Proxy URL for connections to this cluster. */
  "proxy-url"?: string;
  /** Extensions; `client.authentication.k8s.io/exec` is passed to exec plugins. */
  extensions?: Array<{ name?: string; extension?: unknown }>;
}

/** An exec credential plugin configuration, as written in a kubeconfig. */
export interface KubeconfigExec {
  /** `client.authentication.k8s.io/v1` or `.../v1beta1`. */
  apiVersion?: string;
  /** Program to run; resolved against the kubeconfig's directory when it contains a slash. */
  command?: string;
  /** Its arguments. */
  args?: string[];
  /** Extra environment variables. */
  env?: Array<{ name?: string; value?: string }>;
  /** `Never`, `IfAvailable` or `Always`. */
  interactiveMode?: string;
  /** Pass the cluster's details in `KUBERNETES_EXEC_INFO`. */
  provideClusterInfo?: boolean;
  /** Shown when the command is not found. */
  installHint?: string;
}

/** A user (auth info) entry of a kubeconfig. */
export interface KubeconfigUser {
  /** Path of a PEM client certificate. */
  "client-certificate"?: string;
  /** Base64 of a PEM client certificate. */
  "client-certificate-data"?: string;
  /** Path of a PEM private key. */
  "client-key"?: string;
  /** Base64 of a PEM private key. */
  "client-key-data"?: string;
  /** Bearer token. */
  token?: string;
  /** Path of a file holding a bearer token. */
  tokenFile?: string;
  /** Basic auth user. */
  username?: string;
  /** Basic auth password. */
  password?: string;
  /** Exec credential plugin. */
  exec?: KubeconfigExec;
  /** Legacy auth providers (not supported). */
  "auth-provider"?: { name?: string };
}

/** A context entry of a kubeconfig. */
export interface KubeconfigContext {
  /** Name of the cluster entry. */
  cluster?: string;
  /** Name of the user entry. */
  user?: string;
  /** Default namespace. */
  namespace?: string;
}

/** A named entry and the file it came from. */
export interface Sourced<T> {
  /** The entry. */
  value: T;
  /** Absolute path of the kubeconfig file that defined it. */
  file: string;
}

/** Several kubeconfig files merged. */
export interface MergedKubeconfig {
  /** The files read, in precedence order. */
  files: string[];
  /** `current-context` of the first file that sets it. */
  currentContext?: string;
  /** The file that set `current-context`. */
  currentContextFile?: string;
  /** Clusters by name. */
  clusters: Map<string, Sourced<KubeconfigCluster>>;
  /** Users by name. */
  users: Map<string, Sourced<KubeconfigUser>>;
  /** Contexts by name. */
  contexts: Map<string, Sourced<KubeconfigContext>>;
}

/** Describes a failed file read in a few words (`no such file`), never the file's content. */
export function describeFsError(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return e instanceof Error ? e.message : String(e);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses one kubeconfig's text. Errors name the file and the field, never a value. */
export async function parseKubeconfig(text: string, file: string): Promise<MergedKubeconfig> {
  let doc = plainKubeconfigYaml(text)?.value;
  // The `yaml` library loads only for a kubeconfig beyond the plain subset (kubeconfig_yaml.ts).
  const yaml = doc === undefined ? await import("../deps/yaml.ts") : undefined;
  try {
    if (yaml) doc = yaml.parse(text);
  } catch (e) {
    // The YAML library quotes the offending line, which may hold a secret: keep only the position.
    const pos = (e as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : "";
    throw new ConfigError(`invalid YAML${where}`, { file });
  }
  const merged: MergedKubeconfig = {
    files: [file],
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
  };
  if (doc === null || doc === undefined) return merged;
  if (!isRecord(doc)) throw new ConfigError("not a kubeconfig (expected a mapping)", { file });
  const base = dirname(file);
  const current = doc["current-context"];
  if (typeof current === "string" && current) {
    merged.currentContext = current;
    merged.currentContextFile = file;
  }
  readNamed(doc, "clusters", "cluster", file, (name, value) => {
    const cluster = { ...value } as KubeconfigCluster;
    cluster["certificate-authority"] = resolvePath(cluster["certificate-authority"], base);
    merged.clusters.set(name, { value: cluster, file });
  });
  readNamed(doc, "users", "user", file, (name, value) => {
    const user = { ...value } as KubeconfigUser;
    user["client-certificate"] = resolvePath(user["client-certificate"], base);
    user["client-key"] = resolvePath(user["client-key"], base);
    user.tokenFile = resolvePath(user.tokenFile, base);
    if (isRecord(user.exec)) {
      const exec = { ...user.exec } as KubeconfigExec;
      // As kubectl: only a command with a path separator is relative to the file; else PATH.
      if (typeof exec.command === "string" && exec.command.includes(sep)) {
        exec.command = resolvePath(exec.command, base);
      }
      user.exec = exec;
    }
    merged.users.set(name, { value: user, file });
  });
  readNamed(doc, "contexts", "context", file, (name, value) => {
    merged.contexts.set(name, { value: value as KubeconfigContext, file });
  });
  return merged;
}

function readNamed(
  doc: Record<string, unknown>,
  list: string,
  field: string,
  file: string,
  add: (name: string, value: Record<string, unknown>) => void,
): void {
  const entries = doc[list];
  if (entries === undefined || entries === null) return;
  if (!Array.isArray(entries)) throw new ConfigError(`${list} is not a list`, { file });
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.name !== "string" || !entry.name) {
      throw new ConfigError(`${list}[${i}] has no name`, { file });
    }
    const value = entry[field] ?? {};
    if (!isRecord(value)) {
      throw new ConfigError(`${field} "${entry.name}" is not a mapping`, { file });
    }
    // Within one file the first entry of a name wins too.
    if (seen.has(entry.name)) return;
    seen.add(entry.name);
    add(entry.name, value);
  });
}

function resolvePath(path: unknown, base: string): string | undefined {
  if (typeof path !== "string" || !path) return undefined;
  return isAbsolute(path) ? path : join(base, path);
}

/** Merges parsed kubeconfigs, earlier ones taking precedence. */
export function mergeKubeconfigs(configs: MergedKubeconfig[]): MergedKubeconfig {
  const out: MergedKubeconfig = {
    files: [],
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
  };
  for (const c of configs) {
    out.files.push(...c.files);
    if (out.currentContext === undefined && c.currentContext !== undefined) {
      out.currentContext = c.currentContext;
      out.currentContextFile = c.currentContextFile;
    }
    for (const [k, v] of c.clusters) if (!out.clusters.has(k)) out.clusters.set(k, v);
    for (const [k, v] of c.users) if (!out.users.has(k)) out.users.set(k, v);
    for (const [k, v] of c.contexts) if (!out.contexts.has(k)) out.contexts.set(k, v);
  }
  return out;
}

/**
 * Reads and merges kubeconfig files. Files named in `optional` that do not
 * exist are skipped (as kubectl does for `KUBECONFIG` entries); any other
 * read failure is an error naming the file.
 */
export async function readKubeconfigs(
  files: string[],
  { skipMissing = false }: { skipMissing?: boolean } = {},
): Promise<MergedKubeconfig> {
  const parsed: MergedKubeconfig[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      if (skipMissing && (e as { code?: unknown }).code === "ENOENT") continue;
      throw new ConfigError(`cannot read kubeconfig ${file}: ${describeFsError(e)}`, { cause: e });
    }
    parsed.push(await parseKubeconfig(text, file));
  }
  return mergeKubeconfigs(parsed);
}
